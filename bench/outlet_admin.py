"""The outlets' admin list (every scorecard column) on a database built by bench/million.py.

    DATABASE_URL=... .venv/bin/python bench/outlet_admin.py [--code=DIR] [--repeat=N]

Prints, for the changelist plain and sorted (descending) by each scorecard figure,
an outlet's admin page and its public page (outlet7.example), the median wall and
CPU ms (``time.process_time``) over ``--repeat`` requests after one warm-up, the
SQL ms those requests' queries took and their count. ``--code=DIR`` runs another
checkout's code (a worktree of ``main``) with this script, so before and after can
be run alternately on the same database; the sort links are read from the list's
own header, so both lists' columns are found by name whatever their positions.
"""

import os
import re
import statistics
import sys
import time
from pathlib import Path

CODE = next((arg[7:] for arg in sys.argv if arg.startswith("--code=")), None)
REPEAT = int(next((arg[9:] for arg in sys.argv if arg.startswith("--repeat=")), 5))
ROOT = Path(CODE).resolve() if CODE else Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "newsroom.settings"
os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-not-secret")
os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver"
os.environ.pop("DJANGO_DEBUG", None)
os.environ.pop("REDIS_URL", None)

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import User  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client, override_settings  # noqa: E402

from articles.tests.admin_helpers import make_editor  # noqa: E402
from providers.models import Provider  # noqa: E402

STATIC = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
CHANGELIST = "/admin/providers/provider/"
FIGURES = {
    "stories": ("story_count", "story_total"),
    "published": ("published_count", "published_total"),
    "per week": ("stories_per_week",),
    "share": ("published_share",),
    "quality": ("mean_quality",),
    "first": ("first_reports",),
    "repeats": ("repeats",),
}


class QueryLog(list):
    def __call__(self, execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.append(time.perf_counter() - start)


def measure(client, path, params=None):
    walls, cpus, sqls = [], [], []
    for attempt in range(REPEAT + 1):
        log = QueryLog()
        wall, cpu = time.perf_counter(), time.process_time()
        with connection.execute_wrapper(log):
            response = client.get(path, params or {})
        assert response.status_code == 200, (path, params, response.status_code)
        if attempt:  # the first warms the caches
            walls.append((time.perf_counter() - wall) * 1000)
            cpus.append((time.process_time() - cpu) * 1000)
            sqls.append(sum(log) * 1000)
    return statistics.median(walls), statistics.median(cpus), statistics.median(sqls), len(log)


def sort_links(html):
    """``{column name: its o= index}`` from the list's header."""
    found = {}
    for name, header in re.findall(r'class="sortable column-(\w+)[^"]*">(.*?)</th>', html, re.S):
        if link := re.search(r'<div class="text"><a [^>]*href="\?o=-?(\d+)', header):
            found[name] = int(link.group(1))
    return found


def main():
    editor = Client()
    editor.force_login(User.objects.filter(username="editor").first() or make_editor())
    outlet = Provider.objects.get(domain="outlet7.example")
    load = Path("/proc/loadavg").read_text().split()[:3]
    print(f"code: {ROOT}; repeat {REPEAT}; load average {' '.join(load)}")
    with override_settings(STORAGES=STATIC):
        pages = [("list plain", CHANGELIST, None)]
        links = sort_links(editor.get(CHANGELIST).content.decode())
        for label, names in FIGURES.items():
            index = next(links[name] for name in names if name in links)
            pages.append((f"list by {label} desc", CHANGELIST, {"o": f"-{index}"}))
        pages.append(("admin outlet page", f"{CHANGELIST}{outlet.pk}/change/", None))
        pages.append(("public outlet page", outlet.get_absolute_url(), None))
        for label, path, params in pages:
            wall, cpu, sql, queries = measure(editor if "admin" in path else Client(), path, params)
            print(
                f"{label:22} {wall:8.1f} ms wall {cpu:7.1f} ms CPU {sql:8.1f} ms SQL"
                f" {queries:3} queries"
            )


if __name__ == "__main__":
    main()
