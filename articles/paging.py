"""A paginator for long public lists: counts at most ``CAP`` rows, estimates beyond.

Django's paginator runs an exact ``COUNT(*)`` over the whole result for every
page; at a million stories that count costs more than the page itself. Here the
count stops after ``CAP + 1`` rows. A longer list is *about* so many: on
PostgreSQL the planner's row estimate for the same query (never below the
cap), elsewhere "more than ``CAP``"; templates say so through ``count_is_exact``
and ``rough_count`` / ``rough_pages`` ("page 3 of about 40", "page 3 of many").
Whether there is a next page is known exactly, by reading one row more than a
page holds, so the "Older" link is right whatever the estimate says.

Deep pages (:func:`page_rows`) read the ids first, then the rows: a large
``OFFSET`` makes the database build every skipped row in full (its outlet
count, search rank and headlines included) only to throw it away. Even as bare
ids, skipping costs in proportion to the offset (at a million stories on
PostgreSQL: 9 ms at 1,000 rows, 55 ms at 10,000, and 3.7 s at 20,000 where the
planner gives up the index), so a list stops at ``MAX_PAGES``: the last page
says so (``past_last_page``) and a later page is a 404 that says why; older
stories are a date filter, a topic or an outlet away.
"""

import json
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from operator import attrgetter

from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db import connections
from django.utils.functional import cached_property

from newsroom.precompiled import precompiled_count, precompiled_rows, precompiled_sql

CAP = 1_000
LARGEST_OFFSET = 2**62
"""No database integer holds an offset past 2**63; stop well before it."""
DEEP_OFFSET = 200
"""From this offset on, :func:`page_rows` skips rows as bare ids."""
MAX_PAGES = 100
"""The deepest page a public list serves (2,000 stories at 20 a page)."""


def page_rows(queryset, start, stop, size=None):
    """``list(queryset[start:stop])``, in two steps deep in the list.

    The skipped rows cost only their id (the ordering's columns and the
    filters still apply); the rows shown are then read by id with everything
    ``queryset`` annotates and prefetches, in the first step's order. Same rows,
    one more query. ``size``: a callable giving the list's length as the paginator
    states it, for a :class:`KeptList` that plans its page by it.
    """
    if isinstance(queryset, KeptList):
        return queryset.rows(start, stop, size)
    if start < DEEP_OFFSET:
        return list(queryset[start:stop])
    ids = list(queryset.values_list("pk", flat=True)[start:stop])
    if not ids:
        return []
    rows = {row.pk: row for row in queryset.filter(pk__in=ids)}
    return [rows[pk] for pk in ids if pk in rows]


def kept_page_rows(key, build, params, start, stop, pk=attrgetter("pk"), *, by_id=None):
    """:func:`page_rows` for a list kept compiled (``newsroom.precompiled``) by ``key``.

    ``build(**params)`` is the list's ordered queryset; ``pk`` reads a row's id
    (``itemgetter(0)`` for ``values_list`` rows that start with it); ``by_id``: the
    same list written for reading a page's rows by their ids, if not ``build``
    (``keptlists.paged_rows``: a walk's form of a filter can cost more than the page).
    """
    by_id_build = by_id or build
    if start < DEEP_OFFSET:
        return precompiled_rows(key, build, params, start, stop)

    def ids_of(**params):
        return build(**params).values_list("pk", flat=True)

    ids = precompiled_rows(f"{key}:ids", ids_of, params, start, stop)
    return rows_by_ids(key, by_id_build, params, ids, pk)


def rows_by_ids(key, build, params, ids, pk=attrgetter("pk")):
    """The rows of ``build(**params)`` whose ids are ``ids``, in that order (kept by ``key``)."""
    if not ids:
        return []

    def rows_of(ids, **params):
        return build(**params).filter(pk__in=ids)

    rows = {
        pk(row): row for row in precompiled_rows(f"{key}:by-id", rows_of, {**params, "ids": ids})
    }
    return [rows[id_] for id_ in ids if id_ in rows]


@dataclass(frozen=True)
class KeptList:
    """A list of fixed shape for :class:`CappedPaginator`: its SQL compiled once per process.

    ``build(**params)`` is the list's ordered queryset (run only to compile it,
    ``newsroom.precompiled``); ``key`` names its shape. The paginator counts and
    pages it as it would the queryset, deep pages ids first (:func:`page_rows`).
    """

    key: str
    build: Callable
    params: dict = field(default_factory=dict)
    paged: Callable | None = None
    """``paged(params, start, stop, size=...)`` pages the list instead, given a ``size``
    (``keptlists.paged_rows``)."""
    ordered = True

    def capped_count(self, cap):
        return precompiled_count(f"{self.key}:count:{cap}", self.counted_build(cap), self.params)

    def counted_build(self, cap):
        """What the capped count counts: the list's ids, unordered, at most ``cap + 1``."""

        def counted(**params):
            return self.build(**params).order_by().values("pk")[: cap + 1]

        return counted

    def rows(self, start, stop, size=None):
        if self.paged is not None and size is not None:
            return self.paged(self.params, start, stop, size=size)
        return kept_page_rows(self.key, self.build, self.params, start, stop)

    def unordered_sql(self):
        """The SQL and parameters of the list without its order (for the planner's estimate)."""

        def unordered(**params):
            return self.build(**params).order_by()

        return precompiled_sql(f"{self.key}:unordered", unordered, self.params)


@dataclass(frozen=True)
class RoughCount:
    """A count as a page may state it: ``kind`` is "exact", "about" or "more than"."""

    number: int
    kind: str = "exact"


def capped(number, cap):
    """``number`` (counted up to ``cap + 1``) as it may be stated."""
    return RoughCount(cap, "more than") if number > cap else RoughCount(number)


class CappedPaginator(Paginator):
    cap = CAP
    max_pages = MAX_PAGES

    @cached_property
    def _capped_count(self):
        # Only ids, unordered: no ranking, headline or sort is computed to count.
        if isinstance(self.object_list, KeptList):
            return self.object_list.capped_count(self.cap)
        return self.object_list.order_by().values("pk")[: self.cap + 1].count()

    @cached_property
    def count_is_exact(self):
        return self._capped_count <= self.cap

    @cached_property
    def count(self):
        if self.count_is_exact:
            return self._capped_count
        return max(self.cap + 1, self._estimate)

    @cached_property
    def _estimate(self):
        return planner_estimate(self.object_list)

    @cached_property
    def rough_count(self):
        """How many rows: exact, "about" the planner's estimate, or "more than" the cap."""
        if self.count_is_exact:
            return RoughCount(self._capped_count)
        if self._estimate > self.cap:
            return RoughCount(self._estimate, "about")
        return RoughCount(self.cap, "more than")

    def rough_pages(self, number):
        """How many pages, for page ``number``: exact, "about" N, or "many" when unknown."""
        rough = self.rough_count
        if rough.kind == "exact":
            return RoughCount(self.num_pages)
        pages = math.ceil(rough.number / self.per_page)
        if rough.kind == "about" and pages > number:
            return RoughCount(pages, "about")
        return RoughCount(0, "many")

    def validate_number(self, number):
        if self.count_is_exact:
            number = super().validate_number(number)
        else:
            try:
                number = int(number)
            except (TypeError, ValueError) as error:
                raise PageNotAnInteger("That page number is not an integer") from error
            if number < 1 or number * self.per_page >= LARGEST_OFFSET:
                raise EmptyPage("That page contains no results")
        if self.max_pages and number > self.max_pages:
            raise EmptyPage(
                f"lists stop at page {self.max_pages}: narrow this one by date, "
                "topic or outlet to reach older stories"
            )
        return number

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        # The count (and past the cap the estimate) comes before the rows: a page may plan by it.
        size = partial(getattr, self, "count")
        rows = page_rows(self.object_list, bottom, bottom + self.per_page + 1, size)
        if not rows and number > 1:
            raise EmptyPage("That page contains no results")
        more = len(rows) > self.per_page
        last = number == self.max_pages
        page = CappedPage(rows[: self.per_page], number, self, more=more and not last)
        page.past_last_page = more and last
        return page


class CappedQuerySetPaginator(CappedPaginator):
    """The capped count, with each page a queryset, as the admin's list edit needs.

    A deep page is the rows whose ids the first step found (the same ordering
    puts them in the same order); has_next is not known in advance here. Editors
    may page as deep as they like.
    """

    max_pages = None

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if bottom < DEEP_OFFSET:
            return Page(self.object_list[bottom:top], number, self)
        ids = list(self.object_list.values_list("pk", flat=True)[bottom:top])
        if not ids:
            raise EmptyPage("That page contains no results")
        return Page(self.object_list.filter(pk__in=ids), number, self)


class CappedPage(Page):
    past_last_page = False
    """More rows follow, but past the deepest page the list serves (``MAX_PAGES``)."""

    def __init__(self, object_list, number, paginator, *, more):
        super().__init__(object_list, number, paginator)
        self.more = more

    def has_next(self):
        return self.more


def planner_estimate(queryset):
    """The planner's guess at how many rows ``queryset`` returns; 0 off PostgreSQL."""
    kept = isinstance(queryset, KeptList)
    connection = connections["default" if kept else queryset.db]
    if connection.vendor != "postgresql":
        return 0
    if kept:
        sql, params = queryset.unordered_sql()
    else:
        sql, params = queryset.order_by().query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        (plan,) = cursor.fetchone()
    if isinstance(plan, str):
        plan = json.loads(plan)
    return math.ceil(plan[0]["Plan"]["Plan Rows"])
