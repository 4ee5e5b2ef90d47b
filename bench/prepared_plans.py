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
Then the prepared statements that PostgreSQL runs with a generic plan.
"""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

# It sets Django up with the production settings; what it imported after is used from it.
from bench import million  # noqa: E402

connection, Client, override_settings = (
    million.connection,
    million.Client,
    million.override_settings,
)

WARM = 8  # requests before measuring: psycopg prepares on the 3rd, PostgreSQL decides on the 8th


def measure(case, reader, editor, threshold):
    name, url, params, _queryset, _size, staff, *_ = case
    client = editor if staff else reader
    connection.ensure_connection()
    connection.connection.prepare_threshold = threshold
    for _ in range(WARM if threshold is not None else 1):
        response = client.get(url, params)
        assert response.status_code == 200, (name, response.status_code)
    page, sql, _cpu = million.page_sql_cpu_ms(client, url, params)
    return page, sql


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
    print(f"{'page':40} {'ms':>8} {'SQL ms':>8} {'prep ms':>8} {'prep SQL':>8} {'ratio':>6}")
    started = time.perf_counter()
    storages = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(STORAGES=storages):
        for case in chosen:
            page, sql = measure(case, reader, editor, None)
            prepared_page, prepared_sql = measure(case, reader, editor, threshold)
            print(
                f"{case[0]:40} {page:8.1f} {sql:8.1f} {prepared_page:8.1f} {prepared_sql:8.1f}"
                f" {prepared_sql / sql:6.2f}",
                flush=True,
            )
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
