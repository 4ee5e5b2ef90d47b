"""The outlets' admin list (every scorecard column) on a database built by bench/million.py.

    DATABASE_URL=... .venv/bin/python bench/outlet_admin.py [SORT_COLUMN]

Prints the median wall and CPU ms (``time.process_time``) of the changelist, its
query count and the SQL ms its queries took, over a few requests after one warm-up.
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
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
from bench.timing import QueryLog  # noqa: E402

REPEAT = 3
STATIC = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}


def main():
    editor = Client()
    editor.force_login(User.objects.filter(username="editor").first() or make_editor())
    params = {"o": sys.argv[1]} if len(sys.argv) > 1 else {}
    walls, cpus, sqls = [], [], []
    with override_settings(STORAGES=STATIC):
        for attempt in range(REPEAT + 1):
            log = QueryLog()
            wall, cpu = time.perf_counter(), time.process_time()
            with connection.execute_wrapper(log):
                response = editor.get("/admin/providers/provider/", params)
            assert response.status_code == 200
            if attempt:  # the first warms the caches
                walls.append((time.perf_counter() - wall) * 1000)
                cpus.append((time.process_time() - cpu) * 1000)
                sqls.append(sum(seconds for seconds, _ in log) * 1000)
    print(
        f"outlets admin {params}: {statistics.median(walls):.0f} ms wall,"
        f" {statistics.median(cpus):.0f} ms CPU, {statistics.median(sqls):.0f} ms SQL,"
        f" {len(log)} queries"
    )


if __name__ == "__main__":
    main()
