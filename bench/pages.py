"""Where a public page's time goes, at 20,000 stories on SQLite: time, SQL, the rest.

Run from the repository root (about a minute on 2 shared cores):
    .venv/bin/python bench/pages.py [STORIES] [--profile] [--repeat=N] [--code=DIR]

Builds a fresh SQLite database in a temporary folder (STORIES generated stories,
default 20,000, bench/stories.py), then requests each path through
django.test.Client with DEBUG off and no page cache, and prints the median of
``--repeat`` requests (9 by default) in wall ms and in CPU ms
(``time.process_time``: what the machine's load does not inflate), the part
spent in SQL, its query count, and the ratio to a hello-world view measured in
the same run (an empty 200 through the same middleware). ``--code=DIR``
measures the project checked out in DIR (say a ``git worktree`` of main) with
this script, so old and new code can be run alternately. ``--profile`` adds
each path's costliest functions (cProfile, internal time, one request);
``--only=TEXT`` measures only the paths whose name holds TEXT (and hello-world).
On SQLite rows are computed while they are fetched, after the statement's
``execute`` returns, so "SQL ms" undercounts.
"""

import cProfile
import io
import os
import pstats
import statistics
import sys
import tempfile
import time
from pathlib import Path

CODE = next((arg[7:] for arg in sys.argv if arg.startswith("--code=")), None)
ROOT = Path(CODE).resolve() if CODE else Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.chdir(ROOT)
TMP = tempfile.TemporaryDirectory(prefix="newsroom-pages-")
os.environ["DATABASE_URL"] = f"sqlite:///{TMP.name}/bench.sqlite3"
os.environ["DJANGO_SETTINGS_MODULE"] = "newsroom.settings"
os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-not-secret")
os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver"
os.environ.pop("DJANGO_DEBUG", None)
os.environ.pop("REDIS_URL", None)  # measure the pages, not the page cache

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client, override_settings  # noqa: E402

from articles.models import Article  # noqa: E402
from bench.stories import generate  # noqa: E402
from bench.timing import QueryLog  # noqa: E402

REPEAT = int(next((arg[9:] for arg in sys.argv if arg.startswith("--repeat=")), 9))
HELLO = "/health/"


def medians_ms(function, repeat):
    """The median wall and CPU ms of ``repeat`` calls, after one to warm the caches.

    ``bench.timing.median_wall_and_cpu_ms`` does the same, but with ``--code=DIR``
    ``bench`` is DIR's, and an older checkout may not have it.
    """
    function()
    walls, cpus = [], []
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        function()
        cpus.append(time.process_time() - cpu)
        walls.append(time.perf_counter() - wall)
    return statistics.median(walls) * 1000, statistics.median(cpus) * 1000


def paths():
    story = Article.objects.published().order_by("-published_at")[500]
    return [
        ("hello-world (/health/)", HELLO),
        ("/", "/"),
        ("/?page=50", "/?page=50"),
        ("/?q=robot", "/?q=robot"),
        ("/?sort=quality", "/?sort=quality"),
        ("topic page", "/topics/topic-3/"),
        ("outlet page", "/providers/outlet7.example/"),
        ("/corrections/", "/corrections/"),
        ("story page", story.get_absolute_url()),
        ("/api/news/", "/api/news/"),
        ("/api/news/?page=50", "/api/news/?page=50"),
        ("/feeds/rss/", "/feeds/rss/"),
    ]


def sql_ms(client, path):
    log = QueryLog()
    with connection.execute_wrapper(log):
        client.get(path)
    return sum(seconds for seconds, _ in log) * 1000, len(log)


def profile(client, path):
    profiler = cProfile.Profile()
    profiler.enable()
    client.get(path)
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(25)
    return "\n".join(line for line in out.getvalue().splitlines()[8:] if line.strip())


def main():
    numbers = [arg for arg in sys.argv[1:] if arg.isdigit()]
    stories = int(numbers[0]) if numbers else 20_000
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    generate(stories)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"{stories} stories generated in {time.perf_counter() - started:.0f} s")
    client = Client()
    print(f"code: {ROOT} at {git_head()}; load average {Path('/proc/loadavg').read_text()}")
    heading = f"{'path':24} {'ms':>8} {'CPU ms':>8} {'SQL ms':>8} {'queries':>8} {'x hello':>8}"
    print(heading)
    with override_settings(
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
    ):
        hello = None
        only = next((arg[7:] for arg in sys.argv if arg.startswith("--only=")), "")
        for name, path in paths():
            if only not in name and path != HELLO:
                continue
            response = client.get(path)
            assert response.status_code == 200, (name, response.status_code)
            page, cpu = medians_ms(lambda p=path: client.get(p), REPEAT)
            hello = hello or page
            spent, count = sql_ms(client, path)
            print(f"{name:24} {page:8.1f} {cpu:8.1f} {spent:8.1f} {count:8d} {page / hello:8.1f}")
            if "--profile" in sys.argv:
                print(profile(client, path))
    print(f"\ntotal run time {time.perf_counter() - started:.0f} s")


def git_head():
    with os.popen(f"git -C {ROOT} rev-parse --short HEAD") as head:
        return head.read().strip()


if __name__ == "__main__":
    main()
