"""PostgreSQL's cursor: prepared statements, except where the parameters' values pick the plan.

With ``server_side_binding`` and ``prepare_threshold`` (newsroom/settings.py, docs/deploy.md)
psycopg prepares what a connection repeats, and from a prepared statement's sixth run
PostgreSQL may keep one generic plan for any parameters. At a million stories that plan
reads what a custom one reads for every query of every public page
(bench/prepared_plans.py --plans), with two kinds of exceptions, which are therefore
never prepared (bound on the server, planned for their values on every run, as before):

- full-text search: how common the searched word is decides between the GIN index and
  reading the matches by date; the admin's capped search count with the generic plan
  chosen for a rare word took 236 ms instead of 7 ms for a common one;
- capped counts (``SELECT COUNT(*) FROM (... LIMIT n)``, articles/paging.py): how many
  rows match decides how soon the LIMIT stops a walk; the generic plan of
  ``/?type=video``'s count walked the cluster index and filtered (20-41 ms, 2,836 pages
  read mostly from disk) where the custom one probes the type's index (2 ms).
"""

from django.db.backends.postgresql.base import ServerBindingCursor

FULL_TEXT_MARK = "to_tsquery("
"""What the SQL of a full-text match holds (``websearch_to_tsquery`` and its kin)."""
CAPPED_COUNT_START = "SELECT COUNT(*) FROM ("
"""How a count over a subquery starts (Django's and newsroom/precompiled.py's)."""


def planned_per_value(query):
    """Whether ``query`` (SQL text) is one whose plan depends on its parameters' values."""
    text = query if isinstance(query, str) else str(query)
    capped_count = text.startswith(CAPPED_COUNT_START) and " LIMIT " in text
    return capped_count or FULL_TEXT_MARK in text


class PreparingCursor(ServerBindingCursor):
    """Django's server-side binding cursor, leaving full-text statements and capped counts
    unprepared."""

    def execute(self, query, params=None, *, prepare=None, binary=None):
        if prepare is None and planned_per_value(query):
            prepare = False
        return super().execute(query, params, prepare=prepare, binary=binary)
