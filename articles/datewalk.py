"""A topic's or an outlet's first pages on SQLite: walk the stories by date when it reads less.

SQLite plans such a list from the topic's link rows (or the outlet's index): every
story of the topic gets its row, its one-per-cluster check and its outlet count, and
then all of them are sorted for the 21 a page reads. Walking the public stories
newest first (``article_public_date_idx``) and keeping the topic's stops after those
21: for a topic of 500 among 20,000 stories the rows query takes 0.27 ms of CPU
instead of 1.8. But a topic with few stories would walk the whole index (5 stories:
4 ms against 0.03). So the walk is taken only where it reads fewer rows.

The cost model, measured on 20,000 generated stories: walking costs ~0.2 µs per
story passed, about ``stop × stories / count`` of them; the plan from the topic
costs ~3.5 µs per story of the topic. The walk is taken when
``count² × WALK_MARGIN ≥ stop × stories`` (``WALK_MARGIN`` keeps well on the side of
the plan from the topic, where the two are close). ``count`` is the list's capped
count, which the paginator asks first anyway; ``stories`` is the largest story id,
read in the same statement (no query more). Either plan gives the same rows in the
same order: only the time differs, whatever the figures say.

Only on SQLite, and only for the newest-first list without a filter: PostgreSQL's
plans are the million-story work's (``articles/keptlists.py``) and stay as they were.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import connections

from newsroom.precompiled import precompiled_rows, precompiled_sql

from .models import Article
from .paging import DEEP_OFFSET, KeptList

WALK_MARGIN = 10
"""``count² × WALK_MARGIN ≥ stop × stories`` takes the walk (the model above says ~17)."""


def walks_by_date(count, stories, stop):
    """Whether walking ``stories`` by date to a page ending at ``stop`` reads fewer rows
    than sorting the list's ``count`` stories (a capped count: at the cap, more)."""
    return count * count * WALK_MARGIN >= stop * stories


def may_walk(using="default"):
    """The walk is SQLite's: PostgreSQL keeps the plan it has."""
    return connections[using].vendor == "sqlite"


@dataclass(frozen=True)
class DateWalkList(KeptList):
    """A :class:`KeptList` whose first pages may be read by ``walk`` (the same list,
    written so that SQLite walks the date index) when :func:`walks_by_date` says so."""

    walk: Callable = None
    counted: dict = field(default_factory=dict, compare=False)
    """What the capped count found: the count and the largest story id."""

    def capped_count(self, cap):
        key, counted = f"{self.key}:count:{cap}", self.counted_build(cap)
        sql, params = precompiled_sql(key, counted, self.params)
        connection = connections["default"]
        table, pk = (connection.ops.quote_name(name) for name in (Article._meta.db_table, "id"))
        largest_id = f"(SELECT MAX({pk}) FROM {table})"
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*), {largest_id} FROM ({sql}) counted", params)
            count, stories = cursor.fetchone()
        self.counted.update(count=count, stories=stories or 0)
        return count

    def rows(self, start, stop, size=None):
        found = self.counted
        if start < DEEP_OFFSET and found and walks_by_date(found["count"], found["stories"], stop):
            return precompiled_rows(f"{self.key}:walk", self.walk, self.params, start, stop)
        return super().rows(start, stop, size)
