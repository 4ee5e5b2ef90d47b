"""Text search over stories, behind one interface for every caller.

The public list (``?q=``), the admin search and the API all call
:func:`search_articles`. On PostgreSQL it is ranked full-text search over the
stored ``Article.search_vector`` (title weight A, excerpt B, outlet and topic
names C; English stemming), with highlighted headlines. Elsewhere (SQLite) it
is a portable, case-insensitive substring match with the same interface.
docs/search.md says how the vector is kept current and why the query is shaped
the way it is.
"""

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
)
from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import (
    Case,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    OuterRef,
    Q,
    TextField,
    Value,
    When,
)
from django.db.models.expressions import OrderBy
from django.db.models.functions import Coalesce
from django.utils.html import escape
from django.utils.safestring import mark_safe

from .models import Article
from .paging import planner_estimate

CONFIG = "english"
"""The text search configuration: the one the stored vector is built with."""

MARK_START, MARK_STOP = "\ue000", "\ue001"
"""Private-use characters that bracket a match in a raw headline.

Real text never holds them, and they survive HTML escaping untouched, so
:func:`safe_headline` can escape everything first and then turn only these
into ``<mark>`` tags.
"""


MAX_WORDS = 32
"""The most words a search may have: each word is one more condition, and around a
hundred of them overflow Python's recursion (and SQLite's parser) when the
query is built; no reader's search needs so many."""


RANK_WINDOW = 1_000
"""Relevance order ranks only the newest this many matches (docs/search.md).

A common word matches most of a million stories; ranking every match before
showing twenty cost 2–3 s a page. Readers who want every match sort by date
(``?sort=newest``), which lists them all.
"""


def validate_search(value):
    """A form validator: refuse a search of more than :data:`MAX_WORDS` words."""
    if len((value or "").split()) > MAX_WORDS:
        raise ValidationError(f"Use at most {MAX_WORDS} words in a search.", code="too_many_words")


def search_articles(queryset, query, *, order_by_rank=False, ordered=True):
    """Narrow ``queryset`` to the stories matching ``query``.

    Every result carries ``rank`` (higher is better), ``headline`` (the excerpt
    with matches bracketed) and ``title_headline`` (the whole title, likewise):
    pass the last two through :func:`safe_headline` before showing them. On
    SQLite the headlines are None. ``order_by_rank`` puts the best matches
    first (newest first among equals); otherwise the queryset's own ordering
    (or the model's) stands, applied by :func:`order_matches`. To sort the
    results differently afterwards, use :func:`order_matches` too; ``ordered=False``
    leaves the order to the caller, which spares the planner's estimate (the list
    filter orders every search itself). An empty query returns ``queryset`` unchanged.
    """
    query = (query or "").strip()
    if not query:
        return queryset
    if connections[queryset.db].vendor == "postgresql":
        queryset = _full_text(queryset, query)
    else:
        queryset = _substring(queryset, query)
    if order_by_rank:
        return best_of_newest(queryset)
    if not ordered:
        return queryset
    fields = queryset.query.order_by or (
        queryset.model._meta.ordering if queryset.query.default_ordering else ()
    )
    return order_matches(queryset, *fields)


def best_of_newest(matches):
    """``matches`` (from :func:`search_articles`) narrowed to the newest
    :data:`RANK_WINDOW`, best first (newest first among equals).

    The window is found by date alone, so only the stories in it are ranked and
    headlined. Narrow ``matches`` by every other filter first: the window is
    the newest of what is left.
    """
    window = matches.order_by("-published_at", "-id").values("pk")[:RANK_WINDOW]
    return matches.filter(pk__in=window).order_by("-rank", "-published_at", "-id")


COMMON_MATCHES = 10_000
"""From this many expected matches (the planner's estimate), a sorted search walks
the sort's index (see :func:`order_matches`)."""


def order_matches(queryset, *fields, common=None):
    """Order search results by ``fields``, walking their index only for a common term.

    With ``ORDER BY published_at DESC LIMIT 20`` the planner likes to walk the
    date index and test each story against the query, expecting to meet 20
    matches soon; for a rare or absent term it reads the whole table (2.7 s at
    a million stories). Sorting on ``COALESCE(field, field)``, which no index
    serves, makes it find the matches through the GIN index first and sort only
    those; but for a term in a quarter of a million stories that is sorting them
    all (6.5 s), where the walk meets twenty matches in a few dozen rows. So the
    planner's own estimate of the matches (one ``EXPLAIN``) picks: from
    :data:`COMMON_MATCHES` on, the walk; below, the sort of the matches
    (docs/performance.md has the figures). ``common``: the answer of
    :func:`is_common` when the caller has it (a list kept compiled asks the
    planner about its kept SQL); otherwise it is asked here.
    """
    if not fields or connections[queryset.db].vendor != "postgresql":
        return queryset.order_by(*fields)
    if common is None:
        common = is_common(queryset)
    if common:
        return queryset.order_by(*fields)
    return queryset.order_by(*map(_unindexed, fields))


def is_common(matches):
    """Whether the planner expects :data:`COMMON_MATCHES` or more of ``matches`` (a queryset or a
    ``paging.KeptList``): then a sorted search walks the sort's index (:func:`order_matches`)."""
    return planner_estimate(matches) >= COMMON_MATCHES


def _unindexed(field):
    if isinstance(field, OrderBy) and isinstance(field.expression, F):
        name = field.expression.name
        return OrderBy(
            Coalesce(F(name), F(name)),
            descending=field.descending,
            nulls_first=field.nulls_first,
            nulls_last=field.nulls_last,
        )
    if not isinstance(field, str) or field.lstrip("-") in ("pk", "id", "?"):
        return field
    name = field.lstrip("-")
    expression = Coalesce(F(name), F(name))
    return expression.desc() if field.startswith("-") else expression.asc()


def safe_headline(text):
    """A raw headline as HTML: everything escaped, only the match marks live."""
    if text is None:
        return None
    return mark_safe(escape(text).replace(MARK_START, "<mark>").replace(MARK_STOP, "</mark>"))


def update_search_vectors(article_ids, using=DEFAULT_DB_ALIAS):
    """Recompute the stored search vector of these stories in one UPDATE.

    The importer calls it once per batch (its bulk writes bypass signals), and
    the signals in ``articles/signals.py`` after topic changes. Writing NULL is
    the request: the trigger of migration 0003 computes the vector from the
    row, its outlet and its topics, so what is searched is defined once, in
    SQL. A no-op off PostgreSQL, where there is no vector.
    """
    if connections[using].vendor != "postgresql":
        return 0
    return Article.objects.using(using).filter(pk__in=article_ids).update(search_vector=None)


class StemPrefixQuery(SearchQuery):
    """Web-search syntax, with every stem of six letters or more matched as a prefix.

    The English stemmer leaves "recognize" as 'recogn' and "recognition" as
    'recognit'; matching 'recogn' as a prefix joins the family. Shorter stems
    stay exact, or "ai" would find "aid" and "air".
    """

    LONG_STEM = r"'(([^']|''){6,})'"
    AS_PREFIX = r"'\1':*"

    def __init__(self, value):
        super().__init__(value, config=CONFIG, search_type="websearch")

    def as_sql(self, compiler, connection, function=None, template=None):
        sql, params = super().as_sql(compiler, connection, function, template)
        sql = f"regexp_replace(({sql})::text, %s, %s, 'g')::tsquery"
        return sql, (*params, self.LONG_STEM, self.AS_PREFIX)


def _full_text(queryset, query):
    matching = StemPrefixQuery(query)
    exact = SearchQuery(query, config=CONFIG, search_type="websearch")
    marks = {"config": CONFIG, "start_sel": MARK_START, "stop_sel": MARK_STOP}
    return queryset.filter(search_vector=matching).annotate(
        # A story holding the very words counts twice: above one that only
        # shares a stem prefix with them.
        rank=SearchRank(F("search_vector"), matching) + SearchRank(F("search_vector"), exact),
        headline=SearchHeadline("excerpt", matching, **marks),
        title_headline=SearchHeadline("title", matching, highlight_all=True, **marks),
    )


def _substring(queryset, query):
    """Stories containing every word somewhere; rank counts the words in the title."""
    rank = Value(0.0)
    for word in query.split():
        topic_match = Article.topics.through.objects.filter(
            article_id=OuterRef("pk"), topic__name__icontains=word
        )
        queryset = queryset.filter(
            Q(title__icontains=word)
            | Q(excerpt__icontains=word)
            | Q(provider__name__icontains=word)
            | Exists(topic_match)
        )
        rank += Case(When(title__icontains=word, then=Value(1.0)), default=Value(0.0))
    return queryset.annotate(
        rank=ExpressionWrapper(rank, output_field=FloatField()),
        headline=Value(None, output_field=TextField()),
        title_headline=Value(None, output_field=TextField()),
    )
