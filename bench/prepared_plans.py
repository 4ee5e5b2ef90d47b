"""bench/million.py's pages with and without prepared statements, once PostgreSQL plans generically.

Run from the repository root on a database bench/million.py built (read as is, like
``million.py --reuse``):
    DATABASE_URL=... .venv/bin/python bench/prepared_plans.py [STORIES] [--only=WORD ...]

newsroom/settings.py turns on server-side binding and psycopg's prepared statements
(``DATABASE_PREPARE_THRESHOLD``). A prepared statement gets custom plans (planned for
its parameters) for its first five executions; from the sixth PostgreSQL may keep a
generic plan, planned once for any parameters, which skips planning but can be a
worse plan for some values. For each page this prints, from one connection:
unprepared (psycopg's ``prepare_threshold`` None: bound on the server, planned every
time) and prepared after ``WARM`` requests (past PostgreSQL's choice), the medians
of the page's time and of its queries' time ("SQL ms", planning included), and the
ratio prepared / unprepared of the SQL time. The cases run one after the other on
the same connection, so a statement shared by several pages (a count, the cards'
prefetches) is planned from the earlier pages' parameters and then used with the
later ones': a regression from a generic plan fixed on other values shows here too.
Then the prepared statements that PostgreSQL runs with a generic plan. ``-v`` also
prints the queries that took 2 ms more prepared. ``--plans`` compares instead, query
by query, the pages PostgreSQL reads under the plan it keeps against a custom plan,
also where another page's parameters chose it (``CROSS``; ``--cross-only``), leaving
out the statements newsroom/pgcursor.py never prepares (``--all`` keeps them).
"""

import os
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

# It sets Django up with the production settings; what it imported after is used from it.
from bench import million  # noqa: E402
from newsroom.pgcursor import planned_per_value  # noqa: E402

connection, Client, override_settings = (
    million.connection,
    million.Client,
    million.override_settings,
)

WARM = 8  # requests before measuring: psycopg prepares on the 3rd, PostgreSQL decides on the 8th


def measure(case, reader, editor, threshold):
    """The page's median ms, its queries' median ms, and each query's median ms and SQL."""
    name, url, params, _queryset, _size, staff, *_ = case
    client = editor if staff else reader
    connection.ensure_connection()
    connection.connection.prepare_threshold = threshold
    for _ in range(WARM if threshold is not None else 1):
        response = client.get(url, params)
        assert response.status_code == 200, (name, response.status_code)
    pages, logs = [], []
    for _ in range(million.REPEAT):
        log = million.QueryLog()
        with connection.execute_wrapper(log):
            start = time.perf_counter()
            client.get(url, params)
            pages.append(time.perf_counter() - start)
        logs.append(log)
    queries = [
        (statistics.median(log[i][0] for log in logs) * 1000, logs[0][i][1])
        for i in range(min(map(len, logs)))
    ]
    sql = statistics.median(sum(seconds for seconds, _ in log) for log in logs)
    return statistics.median(pages) * 1000, sql * 1000, queries


def placeholders(sql):
    """Django's ``%s`` placeholders as PostgreSQL's ``$1, $2, ...`` (``%%`` is a ``%``)."""
    numbers = iter(range(1, 10_000))
    return re.sub(r"%%|%s", lambda m: "%" if m.group() == "%%" else f"${next(numbers)}", sql)


def plan_of(cursor, run, mode):
    """EXPLAIN ANALYZE of ``EXECUTE run`` under ``plan_cache_mode`` ``mode``: (ms, pages read)."""
    cursor.execute(f"SET plan_cache_mode = {mode}")
    cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) EXECUTE {run}")
    plan = cursor.fetchone()[0][0]
    top = plan["Plan"]
    return plan["Execution Time"], top["Shared Hit Blocks"] + top["Shared Read Blocks"]


def generic_against_custom(case, reader, editor, first=None):
    """Each query of the page PREPAREd by hand and run as PostgreSQL would run it from
    its sixth execution on (``auto``: the generic plan where it keeps one), against a
    custom plan: (generic?, pages read, custom pages read, ms, custom ms, SQL) each.
    Pages read (shared buffers) do not move with the machine's load; milliseconds do.
    ``first``: another case whose parameters the first six executions take (where its
    query is the same statement), as when another page chose the plan."""
    log = page_queries(case, reader, editor)
    choosing = page_queries(first, reader, editor) if first else log
    rows = []
    with connection.cursor() as cursor:
        for number, (sql, values) in enumerate(log):
            if not sql.lstrip().upper().startswith(("SELECT", "WITH")):
                continue
            if planned_per_value(sql) and "--all" not in sys.argv:
                continue  # never prepared (newsroom/pgcursor.py)
            earlier = [v for s, v in choosing if s == sql]
            statement = f"generic_probe_{number}"
            cursor.execute(f"PREPARE {statement} AS {placeholders(sql)}")
            run = execution(statement, values)
            cursor.execute("SET plan_cache_mode = auto")
            for _ in range(6):
                cursor.execute(f"EXECUTE {execution(statement, earlier[0] if earlier else values)}")
            ms, pages = plan_of(cursor, run, "auto")
            cursor.execute(
                "SELECT generic_plans > 0 FROM pg_prepared_statements WHERE name = %s", [statement]
            )
            generic = cursor.fetchone()[0]
            custom_ms, custom_pages = plan_of(cursor, run, "force_custom_plan")
            cursor.execute("SET plan_cache_mode = auto")
            cursor.execute(f"DEALLOCATE {statement}")
            rows.append((generic, pages, custom_pages, ms, custom_ms, sql))
    return rows


def page_queries(case, reader, editor):
    """The statements (SQL, parameters) one request of the case's page runs."""
    name, url, params, _queryset, _size, staff, *_ = case
    log = ParamLog()
    with connection.execute_wrapper(log):
        (editor if staff else reader).get(url, params)
    return log


def execution(statement, values):
    """What follows EXECUTE: the statement and its parameters as literals."""
    if not values:
        return statement
    return f"{statement}({', '.join(connection.ops.compose_sql('%s', [v]) for v in values)})"


class ParamLog(list):
    """Each statement a request runs with its parameters."""

    def __call__(self, execute, sql, params, many, context):
        self.append((sql, params or []))
        return execute(sql, params, many, context)


def worse_plan(pages, custom_pages, ms, custom_ms):
    """A kept plan that reads a fifth more pages, or takes twice the time (and 2 ms more),
    than a custom one: the pages are steady, the times (run back to back) show a plan
    that reads fewer pages in a worse order (a walk that filters out most of what it reads)."""
    return pages > 1.2 * custom_pages + 10 or ms > 2 * custom_ms + 2


def compare_plans(chosen, reader, editor):
    """--plans: each page's queries whose generic plan reads more pages than a custom one;
    then pages whose plans another page's parameters chose (CROSS)."""
    print(f"{'page':40} {'queries':>7} {'generic':>7} {'pages':>8} {'custom':>8} {'worse':>5}")
    by_name = {case[0]: case for case in million.cases(1_000_000)}
    crossed = [
        (f"{after} after {before}", by_name[after], by_name[before])
        for before, after in CROSS
        if before in by_name and after in {case[0] for case in chosen}
    ]
    alone = [] if "--cross-only" in sys.argv else [(case[0], case, None) for case in chosen]
    for name, case, first in alone + crossed:
        rows = generic_against_custom(case, reader, editor, first)
        worse = [row for row in rows if row[0] and worse_plan(*row[1:5])]
        print(
            f"{name:40} {len(rows):7d} {sum(row[0] for row in rows):7d}"
            f" {sum(row[1] for row in rows):8d} {sum(row[2] for row in rows):8d} {len(worse):5d}",
            flush=True,
        )
        for _generic, pages, custom_pages, ms, custom_ms, sql in worse:
            print(
                f"    generic {pages} pages {ms:.1f} ms, custom {custom_pages} pages"
                f" {custom_ms:.1f} ms: {sql[:400]}"
            )


CROSS = [  # (the page whose parameters choose the plan, the page then measured)
    ("/?q=zeppelin", "/?q=robot"),
    ("/?q=robot", "/?q=zeppelin"),
    ("admin q=zeppelin", "admin q=robot"),
    ("admin q=robot", "admin q=zeppelin"),
    ("/?min_quality=90", "/?type=video&min_quality=50"),
    ("/?type=video&min_quality=50", "/?min_quality=90"),
    ("/?min_quality=90 p=100", "topic page p=100"),
    ("topic page", "outlet page"),
    ("outlet page", "topic page"),
    ("sitemap-articles", "sitemap-articles p=200"),
    ("admin one outlet", "admin one topic"),
]


def main():
    assert connection.vendor == "postgresql", "give DATABASE_URL of bench/million.py's database"
    threshold = connection.settings_dict["OPTIONS"].get("prepare_threshold")
    assert threshold is not None, "DATABASE_PREPARE_THRESHOLD is empty: nothing is prepared"
    numbers = [arg for arg in sys.argv[1:] if arg.isdigit()]
    stories = int(numbers[0]) if numbers else 1_000_000
    only = [arg.removeprefix("--only=") for arg in sys.argv if arg.startswith("--only=")]
    chosen = [c for c in million.cases(stories) if not only or any(w in c[0] for w in only)]
    reader, editor = Client(), Client()
    editor.force_login(
        million.User.objects.filter(username="editor").first() or million.make_editor()
    )
    one, five, fifteen = os.getloadavg()
    print(
        f"prepare_threshold {threshold}, {WARM} requests before the prepared medians;"
        f" load average {one:.2f}, {five:.2f}, {fifteen:.2f}"
    )
    started = time.perf_counter()
    storages = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(STORAGES=storages):
        if "--plans" in sys.argv:
            return compare_plans(chosen, reader, editor)
        print(f"{'page':40} {'ms':>8} {'SQL ms':>8} {'prep ms':>8} {'prep SQL':>8} {'ratio':>6}")
        for case in chosen:
            page, sql, queries = measure(case, reader, editor, None)
            prepared_page, prepared_sql, prepared_queries = measure(case, reader, editor, threshold)
            print(
                f"{case[0]:40} {page:8.1f} {sql:8.1f} {prepared_page:8.1f} {prepared_sql:8.1f}"
                f" {prepared_sql / sql:6.2f}",
                flush=True,
            )
            if "-v" in sys.argv:  # the queries that took 2 ms more prepared
                for (ms, sql), (prepared_ms, _) in zip(queries, prepared_queries, strict=False):
                    if prepared_ms > ms + 2:
                        print(f"    {ms:7.1f} -> {prepared_ms:7.1f} ms  {sql[:300]}")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT generic_plans, custom_plans, statement FROM pg_prepared_statements"
            " ORDER BY generic_plans DESC, custom_plans DESC"
        )
        rows = cursor.fetchall()
    generic = [row for row in rows if row[0]]
    print(f"\n{len(rows)} prepared statements, {len(generic)} run with a generic plan:")
    for generic_plans, custom_plans, statement in rows:
        print(f"  generic {generic_plans:4d} custom {custom_plans:4d}  {statement[:140]}")
    one, five, fifteen = os.getloadavg()
    print(
        f"\ntotal run time {time.perf_counter() - started:.0f} s;"
        f" load average {one:.2f}, {five:.2f}, {fifteen:.2f}"
    )


if __name__ == "__main__":
    main()
