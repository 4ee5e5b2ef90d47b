"""Story lists from SQL kept compiled, when their shape is fixed: pages, feeds and the API.

A list's SQL depends on which filters are set, not on their values, for the
filters in :data:`KEPT_FILTERS` and on the sort's value: the list is kept per such
combination (``newsroom.precompiled``), the filters still applied by
``ArticleFilter`` itself (:meth:`ArticleFilter.narrowed`). An outlet, whose rule
lower-cases the value, and a date, whose bound is computed from it, change the
SQL with their value (or make a parameter the precompiler cannot follow): those
lists stay with the ORM, as does a search on SQLite (one condition per word,
``%word%`` parameters). On PostgreSQL a search is kept for the HTML lists
(:func:`kept_values` with ``search=True``); the API and feeds apply their page's
topic after a search's relevance window, so theirs stay with the ORM.

On PostgreSQL a filtered or sorted HTML list is paged by :func:`paged_rows`: its
ids first, from a sort's index alone, then the rows.
"""

from functools import partial

from django.db import connections
from django.db.models import Subquery
from django_filters.constants import EMPTY_VALUES

from newsroom import precompiled

from . import paging, plainrows
from .clusters.public import one_per_cluster
from .filters import ArticleFilter
from .models import Article
from .search import order_matches


class _NotKept(Exception):
    """This value makes a list the kept SQL cannot serve."""


def _integer(value):
    """A minimum quality as the integer column compares it (the ORM's ``int()``), if it fits."""
    number = int(value)
    low, high = connections["default"].ops.integer_field_range("IntegerField")
    if (low is not None and number < low) or (high is not None and number > high):
        raise _NotKept  # the ORM answers "none" or "all" without the value: another SQL
    return number


KEPT_FILTERS = {"topic": lambda topic: topic.pk, "type": str, "min_quality": _integer}
"""The filters a kept list may have set, and how each value becomes a parameter."""

SEARCH = "q"


def kept_values(cleaned, *, search=False):
    """The set filters of ``cleaned`` (a form's values) and the sort, or None if not kept.

    ``search``: a search may be kept too (PostgreSQL's full text only). None as
    well with ``NEWSROOM_PRECOMPILED_SQL`` off: every filtered list then goes
    through the filters' own ORM path, the reference the kept lists are tested against.
    """
    if not precompiled.enabled():
        return None
    values = {name: value for name, value in cleaned.items() if value not in EMPTY_VALUES}
    sort = values.pop("sort", "")
    searched = values.pop(SEARCH, None)
    if searched is not None and not (search and connections["default"].vendor == "postgresql"):
        return None
    if any(name not in KEPT_FILTERS for name in values):
        return None
    try:
        kept = {name: KEPT_FILTERS[name](value) for name, value in values.items()}
    except _NotKept:
        return None
    if searched is not None:
        kept[SEARCH] = searched.strip()
    return kept, sort


def story_rows(key, columns, now, filters, start, stop, *, sort="", collapse=False, topic=None):
    """Rows ``start:stop`` of the published list at ``now`` narrowed by ``filters``.

    ``filters``: parameters from :func:`kept_values`; ``topic``: the id of the topic
    whose page this is (the API's ``/news/<topic>/``), applied after the filters;
    ``collapse``: one story per cluster, last. Named tuples of ``columns``.
    """
    params = {"now": now, **filters}
    if topic is not None:
        params["page_topic"] = topic
    build = _builder(columns, sort, collapse)
    key = f"{key}:{sort}:{'clusters' if collapse else 'all'}"
    return plainrows.story_rows(key, build, params, columns, start, stop)


def _builder(columns, sort, collapse):
    def build(now, page_topic=None, **values):
        stories = Article.objects.published(now)
        stories = ArticleFilter(queryset=stories).narrowed(stories, {**values, "sort": sort})
        if page_topic is not None:
            stories = stories.filter(topics=page_topic)
        if collapse:
            stories = one_per_cluster(stories, now=now)
        return stories.values_list(*columns)

    return build


HASHED_TOPICS_UP_TO = 40_000
"""A walk tests a topic against its links read into a hash up to this many listed stories
(the planner's estimate): beyond, the hash might outgrow PostgreSQL's ``hash_mem``,
where it would search the links linearly for every story, and so dense a topic's
stories are met soon by the join it plans."""


HASHED_TOPICS_FOR = {"quality", "heat"}
"""The sorts whose walks test a topic against a hash. Stories arrive in date order and a
topic's spread through it, so a newest-first walk meets them soon and the join's few
probes cost less than hashing the topic's links (25,000: 10 ms); a topic's stories
may all score low or high, and then the walk is long. A deep page (``DEEP_OFFSET`` on)
hashes them in any sort: it passes hundreds to thousands of the topic's stories, each
a probe of the links by the join (a topic's page 100 newest first: 25,000 stories
read by id and sorted, 228 ms; the walk testing the hash passes 80,000 index entries)."""


FENCED_UP_TO = 40_000
"""A deep page of a list of up to this many stories (the paginator's count or estimate) is
found by :func:`fenced_ids`: the filters' stories in a subquery the planner may not merge
(``OFFSET 0``), each story's cluster probed by key outside it
(``one_per_cluster(probed=True)``). The planner charges every condition of a scan to
each row it passes: a probe in the walk is charged to every story walked, not only to
those the filters keep, and a join to the clusters costs a hash of all of them (1,000,000,
spilled to disk). Outside the fence the probe is charged to the filters' stories alone,
and the list sorted outside is planned for reading it whole: the planner's own choice
between walking the sort's index (it still stops at the page) and finding the filters'
stories another way and sorting them. At a million stories, page 100: videos by heat
(19,861 estimated, 40,206 there) 8,728 buffers where the walk with the join read 9,010
and spilled 4,077 more to disk (242 ms), and the probe without the fence 161,510; a
topic with a minimum quality by heat (2,234 estimated, 4,643 there) 11,597 buffers, its
stories of that quality found in the quality index and sorted, for the walk's 14,618
(320,275 entries of the heat index); an outlet by quality 12,097 for 20,173. The bound
keeps the planning for the whole list to lists whose sort is cheap; past it the walk and
the join stay."""


def pages_by_ids(filters, sort, fixed):
    """Whether a kept list is paged by :func:`paged_rows`: on PostgreSQL, when filtered,
    fixed to an object or sorted, and not a search (whose order has its own guard)."""
    return (
        connections["default"].vendor == "postgresql"
        and SEARCH not in filters
        and bool(filters or sort or fixed)
    )


def paged_rows(key, listed, sort, params, start, stop, *, size):
    """Rows ``start:stop`` of the list ``listed(**params)``, its ids found first in one statement.

    PostgreSQL walks the sort's index until it meets enough stories the filters
    keep, expecting them every few rows; where they are rare in that order (a
    topic whose stories all score low, sorted by quality) the walk read 50,000
    stories from the table for 20 (280–450 ms). Here the page's ids come from a
    subquery that needs only the columns of migration 0026's covering indexes, so
    the walk reads index entries, not stories, and tests a topic against a hash
    (:func:`filters.in_topic`, :data:`HASHED_TOPICS_FOR`; a deep page in any sort) and,
    on a deep page of a shorter list than :data:`FENCED_UP_TO`, probes each story's
    cluster by key outside a fence (:func:`fenced_ids`); the rows are then read by
    id, a deep page's from the list as a page of ids reads it cheapest: each cluster probed, a topic
    joined, not hashed (for 21 ids, 21 probes of the links where the hash reads all of the
    topic's, 25,000 at a million stories: 2–3 ms; with a minimum quality PostgreSQL then
    intersected the ids with the quality index's 207,694 entries, 24–30 ms, against 1.1).
    ``size()``, the paginator's count (exact up to ``paging.CAP``, else the
    planner's estimate, both asked for the page anyway), picks the plan: a list of
    at most ``CAP`` stories is found first and sorted (``search.order_matches``'
    sort of the matches), as no walk can be cheaper than reading so few.
    """
    size = size()
    deep = start >= paging.DEEP_OFFSET
    walk = size > paging.CAP
    hashed = walk and size <= HASHED_TOPICS_UP_TO and (sort in HASHED_TOPICS_FOR or deep)
    fenced = deep and size <= FENCED_UP_TO
    plan = ("walk:hashed" if hashed else "walk") if walk else "sorted"
    plan = f"{plan}:fenced" if fenced else plan
    fields = ArticleFilter.SORTS[sort or "newest"]

    def ordered(**values):
        stories = listed(**values, hashed_topics=hashed)
        return order_matches(stories, *fields, common=walk)

    if deep:
        key, by_id = f"{key}:{plan}", partial(listed, probed_clusters=True)
        if not fenced:
            return paging.kept_page_rows(key, ordered, params, start, stop, by_id=by_id)
        filtered = partial(listed, hashed_topics=hashed, shown=False)
        ids = fenced_ids(key, filtered, fields, params, start, stop)
        return paging.rows_by_ids(key, by_id, params, ids)

    def page(offset, limit, **values):
        ids = PagedIds(ordered(**values).values("pk"), offset=offset, limit=limit)
        return listed(**values).filter(pk__in=ids)

    window = {**params, "offset": start, "limit": stop - start}
    return precompiled.precompiled_rows(f"{key}:paged:{plan}", page, window)


FENCED_COLUMNS = ("id", "cluster_id", "quality", "heat", "published_at")
"""What the test outside the fence and the sorts read of a fenced story. With every column
(a story's body among them) the planner priced a sort of the list as one spilled to disk,
and walked the sort's index instead: a topic with a minimum quality by heat, page 100,
passed 320,275 entries (14,618 buffers) where, these columns alone, it reads the 167,007
stories of that quality and sorts them (11,597 buffers)."""


def fenced_ids(key, filtered, fields, params, start, stop):
    """The ids of rows ``start:stop`` of the list of ``filtered(**params)`` (the filters'
    stories), ordered by ``fields``, one card per cluster tested outside a fence
    (:data:`FENCED_UP_TO`): ``SELECT id FROM (filtered OFFSET 0) WHERE one per cluster
    ORDER BY fields LIMIT OFFSET``, one statement, kept by ``key``. The same ids as
    ``one_per_cluster(filtered)`` paged: the test looks for a better story of the cluster
    among the filters' stories, and the fenced rows are those stories. The fence selects
    only :data:`FENCED_COLUMNS`.
    """

    def fenced(**values):
        return filtered(**values).order_by(*fields).values_list(*FENCED_COLUMNS)

    def collapsed(now, **values):
        among = filtered(now=now, **values)
        shown = one_per_cluster(Article.objects.all(), now, probed=True, among=among)
        return shown.order_by(*fields).values_list("pk")

    connection = connections["default"]
    table = connection.ops.quote_name(Article._meta.db_table)
    inner, inner_params = precompiled.precompiled_sql(f"{key}:fenced", fenced, params)
    outer, outer_params = precompiled.precompiled_sql(f"{key}:collapsed", collapsed, params)
    head, _, tail = outer.partition(f" FROM {table} ")
    assert "%s" not in head, head  # the outer parameters all follow the fence
    sql = f"{head} FROM ({inner} OFFSET 0) {table} {tail} LIMIT %s OFFSET %s"
    with connection.cursor() as cursor:
        cursor.execute(sql, (*inner_params, *outer_params, stop - start, start))
        return [id_ for (id_,) in cursor.fetchall()]


class PagedIds(Subquery):
    """``(SELECT ... LIMIT %s OFFSET %s)``: a page of ids, the window a parameter.

    Django writes a sliced subquery's bounds into the SQL's text, which would make
    every page another kept statement (``newsroom.precompiled``).
    """

    template = "(%(subquery)s LIMIT %%s OFFSET %%s)"

    def __init__(self, queryset, *, offset, limit):
        super().__init__(queryset)
        self.offset, self.limit = offset, limit

    def as_sql(self, compiler, connection, template=None, **extra_context):
        sql, params = super().as_sql(compiler, connection, template, **extra_context)
        return sql, (*params, self.limit, self.offset)
