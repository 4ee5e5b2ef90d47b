"""Sitemap sections paged by key: each page starts at a kept first key, not an OFFSET.

A sitemap section of 10,000 URLs deep in the stories (page 80 of 800,000) skipped
its predecessors' 790,000 rows with an OFFSET, and the index and every page counted
them all. Here one query numbers the rows in the section's order and keeps the first
key of every page (the number of pages comes with them); the list of keys is kept
per page-cache generation (``pagecache.kept_or_computed``), so within a generation a
page costs one index range read of its own rows. Page 1 needs no key.

The ordering must be unique and its fields never NULL (say ``-published_at, -id``).
"""

from django.core.paginator import Page, Paginator
from django.db import connections
from django.db.models import F, Q, Window
from django.db.models.functions import RowNumber
from django.utils.functional import cached_property

from newsroom.pagecache import kept_or_computed


def _field(name):
    return name.removeprefix("-"), name.startswith("-")


def at_or_after(ordering, key):
    """The rows at ``key`` or after it in ``ordering`` (lexicographic, as ORDER BY).

    The first field's bound is also given alone, so the database reads the range
    of its index instead of testing the whole disjunction on every row.
    """
    fields = [_field(name) for name in ordering]
    condition = None
    for (name, descending), value in reversed(list(zip(fields, key, strict=True))):
        after = Q(**{f"{name}__{'lt' if descending else 'gt'}": value})
        at = Q(**{name: value})
        condition = (after | at) if condition is None else (after | (at & condition))
    first, descending = fields[0]
    return Q(**{f"{first}__{'lte' if descending else 'gte'}": key[0]}) & condition


def first_keys(queryset, ordering, per_page):
    """The key of the first row of every page of ``per_page`` rows, in one query.

    On PostgreSQL a recursive query hops from each key ``per_page`` rows down its
    index (≈100 ms for 80 keys among 800,000 public stories, read from the index
    alone); numbering every row with ``ROW_NUMBER()`` instead costs 740 ms there.
    Elsewhere (SQLite, at its smaller sizes) the numbering is the portable form.
    """
    fields = [_field(name) for name in ordering]
    if queryset.db and connections[queryset.db].vendor == "postgresql":
        return _hopped_keys(queryset, fields, per_page)
    order = [F(name).desc() if descending else F(name).asc() for name, descending in fields]
    numbered = (
        queryset.order_by()
        .annotate(row_number=Window(RowNumber(), order_by=order))
        .annotate(slot=(F("row_number") - 1) % per_page)
        .filter(slot=0)
        .order_by("row_number")
        .values_list(*(name for name, _ in fields))
    )
    return [tuple(key) for key in numbered]


def _hopped_keys(queryset, fields, per_page):
    """``first_keys`` as a recursive query: each key the row ``per_page`` after the last."""
    directions = {descending for _, descending in fields}
    assert len(directions) == 1, "a row comparison needs one direction for every field"
    later = "<" if directions.pop() else ">"
    columns = [f"k{position}" for position in range(len(fields))]
    listed, order = (
        ", ".join(columns),
        ", ".join(
            f"{column} {'DESC' if descending else 'ASC'}"
            for column, (_, descending) in zip(columns, fields, strict=True)
        ),
    )
    rows, params = (
        queryset.order_by().values_list(*(name for name, _ in fields)).query.sql_with_params()
    )
    keys = ", ".join(f"keys.{column}" for column in columns)
    sql = f"""
        WITH RECURSIVE keys ({listed}) AS (
            (SELECT {listed} FROM ({rows}) AS r ({listed}) ORDER BY {order} LIMIT 1)
            UNION ALL
            SELECT hop.* FROM keys, LATERAL (
                SELECT {listed} FROM ({rows}) AS r ({listed})
                WHERE ({listed}) {later} ({keys})
                ORDER BY {order} OFFSET {int(per_page) - 1} LIMIT 1
            ) AS hop
        )
        SELECT {listed} FROM keys"""
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, (*params, *params))
        return [tuple(key) for key in cursor.fetchall()]


class KeyedPaginator(Paginator):
    """A ``Paginator`` whose pages start at kept first keys (see the module's docstring).

    ``rows`` is what a page lists (say a ``values_list`` of the same queryset);
    ``queryset`` and ``ordering`` define the keys; ``name`` names them in the
    page cache.
    """

    def __init__(self, rows, per_page, *, queryset, ordering, name):
        super().__init__(rows.order_by(*ordering), per_page)
        self.queryset, self.ordering, self.name = queryset, ordering, name

    @cached_property
    def keys(self):
        return kept_or_computed(
            f"sitemap-keys:{self.name}:{self.per_page}",
            lambda: first_keys(self.queryset, self.ordering, self.per_page),
        )

    @cached_property
    def num_pages(self):
        return max(1, len(self.keys))

    @cached_property
    def count(self):
        """Exact, and so made only when asked for (the pages and the index need none)."""
        return self.queryset.count()

    def validate_number(self, number):
        # Page 1 is always there (an empty section is one empty page): no keys needed.
        if str(number).strip() == "1":
            return 1
        return super().validate_number(number)

    def page(self, number):
        number = self.validate_number(number)
        rows = self.object_list
        if number > 1:
            rows = rows.filter(at_or_after(self.ordering, self.keys[number - 1]))
        return Page(list(rows[: self.per_page]), number, self)
