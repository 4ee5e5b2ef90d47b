"""How fast the story changelist is on 100,000 stories, with its query count.

Run from the repository root:
    .venv/bin/python bench/admin_changelist.py [STORIES] [-v] [--db PATH]

Builds a fresh SQLite database in a temporary folder (STORIES generated stories,
default 100,000, over 200 outlets and 40 topics), then times the admin's story
list through django.test.Client as an editor (not a superuser). ``--db PATH``
keeps the database at PATH: built there if missing, reused (not rebuilt) if
present, so two checkouts can be measured on the same data. Each case is
reported as the median of several requests, in wall ms and in CPU ms (the
process's own time, ``time.process_time``: less moved by the machine's load),
and as a ratio to its baseline, measured in the same run: the ORM fetching the
same 100 rows (same filter, same order, one bare SELECT ... LIMIT 100), the
floor the page cannot beat. ``-v`` also prints each page's three slowest queries.
"""

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


if "--db" in sys.argv:
    DB_PATH = Path(sys.argv[sys.argv.index("--db") + 1]).resolve()
else:
    TMP = tempfile.TemporaryDirectory(prefix="newsroom-bench-")  # removed at exit
    DB_PATH = Path(TMP.name) / "bench.sqlite3"
REUSED = DB_PATH.exists()
os.environ["DATABASE_URL"] = f"sqlite:///{DB_PATH}"
os.environ["DJANGO_SETTINGS_MODULE"] = "newsroom.settings"
os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-not-secret")
os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver"
os.environ.pop("DJANGO_DEBUG", None)

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client, override_settings  # noqa: E402

from articles.models import Article, Topic  # noqa: E402
from articles.search import search_articles  # noqa: E402
from articles.tests.admin_helpers import make_editor  # noqa: E402
from bench import timing  # noqa: E402
from bench.stories import generate  # noqa: E402
from bench.timing import QueryLog  # noqa: E402
from providers.models import Provider  # noqa: E402

REPEAT = 7


def median_ms(function):
    return timing.median_ms(function, REPEAT)


def data(stories):
    """The outlets and topics of the stories: generated, or read back from ``--db``."""
    if REUSED:
        stories = Article.objects.count()
        print(f"{stories} stories reused from {DB_PATH}")
        return stories, list(Provider.objects.order_by("pk")), list(Topic.objects.order_by("pk"))
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    providers, topics = generate(stories)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"{stories} stories generated in {time.perf_counter() - started:.0f} s")
    return stories, providers, topics


def main():
    numbers = [arg for arg in sys.argv[1:] if arg.isdigit()]
    started = time.perf_counter()
    stories, providers, topics = data(int(numbers[0]) if numbers else 100_000)
    with open("/proc/loadavg") as loadavg:
        print(f"load average {' '.join(loadavg.read().split()[:3])}")

    client = Client()
    # A reused database has its editor already.
    client.force_login(User.objects.filter(username="editor").first() or make_editor())
    url = "/admin/articles/article/"
    ordered = Article.objects.order_by("-published_at", "-id")
    provider = providers[7]
    deep = max(1, min(200, stories // 100))
    cases = [
        ("plain", {}, ordered),
        ("unpublished", {"published__exact": "0"}, ordered.filter(published=False)),
        ("one provider", {"provider__id__exact": provider.pk}, ordered.filter(provider=provider)),
        ("one topic", {"topic": topics[3].pk}, ordered.filter(topics=topics[3])),
        ("quality ≥ 90", {"quality_band": "90"}, ordered.filter(quality__gte=90)),
        ("searched 'robot'", {"q": "robot"}, search_articles(ordered, "robot")),
        ("sorted by quality", {"o": "-4"}, ordered.order_by("-quality", "-id")),
        (f"page {deep}", {"p": str(deep)}, ordered),
        ("year 2023", {"published_at__year": "2023"}, ordered.filter(published_at__year=2023)),
    ]
    print(f"\n{'case':20} {'page ms':>8} {'CPU ms':>8} {'queries':>8} {'ORM ms':>8} {'ratio':>6}")
    with override_settings(
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
    ):
        for name, params, queryset in cases:
            offset = (int(params.get("p", 1)) - 1) * 100
            response = client.get(url, params)
            assert response.status_code == 200, (name, response.status_code)
            captured = QueryLog()
            with connection.execute_wrapper(captured):
                client.get(url, params)
            page, cpu = timing.median_wall_and_cpu_ms(
                lambda params=params: client.get(url, params), REPEAT
            )
            floor = median_ms(lambda q=queryset, o=offset: list(q[o : o + 100]))
            print(
                f"{name:20} {page:8.1f} {cpu:8.1f} {len(captured):8d} {floor:8.1f}"
                f" {page / floor:6.1f}"
            )
            if "-v" in sys.argv:
                for seconds, sql in sorted(captured, reverse=True)[:3]:
                    print(f"    {seconds * 1000:7.1f} ms  {sql[:150]}")
    print(f"\ntotal run time {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
