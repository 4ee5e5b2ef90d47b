"""PostgreSQL's cursor: prepared statements, except where a word's frequency picks the plan.

With ``server_side_binding`` and ``prepare_threshold`` (newsroom/settings.py, docs/deploy.md)
psycopg prepares what a connection repeats, and from a prepared statement's sixth run
PostgreSQL may keep one generic plan for any parameters. That plan is as good as a
custom one for every public page at a million stories (bench/prepared_plans.py
--plans), but not for full-text search: how common the searched word is decides
between the GIN index and reading the matches by date, and the generic plan of the
admin's capped count chosen for a rare word took 236 ms instead of 7 ms for a common
one. A statement that matches full text is therefore never prepared: it is bound on
the server and planned for its word on every run, as before.
"""

from django.db.backends.postgresql.base import ServerBindingCursor

FULL_TEXT_MARKS = ("to_tsquery(",)
"""What the SQL of a full-text match holds (``websearch_to_tsquery`` and its kin)."""


def planned_per_word(query):
    """Whether ``query`` (SQL text) is one whose plan depends on the searched word's frequency."""
    text = query if isinstance(query, str) else str(query)
    return any(mark in text for mark in FULL_TEXT_MARKS)


class PreparingCursor(ServerBindingCursor):
    """Django's server-side binding cursor, leaving full-text statements unprepared."""

    def execute(self, query, params=None, *, prepare=None, binary=None):
        if prepare is None and planned_per_word(query):
            prepare = False
        return super().execute(query, params, prepare=prepare, binary=binary)
