"""Feeds and the API in process, old code against new, measured alternately in one run.

Run from the repository root (a few minutes on 2 shared cores):
    .venv/bin/python bench/feeds_api.py --old DIR [STORIES] [--rounds N] [--repeat N]

``DIR`` is a copy of the code to compare against, say
``git archive main | tar -x -C /tmp/newsroom-main``. One SQLite database of STORIES
generated stories (default 20,000, bench/stories.py) is built once; then one worker
process runs each tree's code on it (django.test.Client, DEBUG off, no page cache),
and the driver asks them in turn, old then new then new then old, for the median CPU
ms (``time.process_time``) and wall ms of ``--repeat`` requests of each path. Each
answer also carries a hash of the body, so the table says whether both trees sent the
same bytes. The load average is printed before and after.
"""

import argparse
import hashlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PATHS = (
    "/health/",
    "/api/news/",
    "/api/news/?page=50",
    "/api/news/topic-3/",
    "/api/news/?collapse=clusters",
    "/feeds/rss/",
    "/feeds/atom/",
    "/feeds/json/",
    "/feeds/rss/?topic=topic-3&sort=quality",
)


def environment(database):
    env = dict(os.environ)
    env.update(
        DATABASE_URL=f"sqlite:///{database}",
        DJANGO_SETTINGS_MODULE="newsroom.settings",
        DJANGO_ALLOWED_HOSTS="testserver",
    )
    env.setdefault("DJANGO_SECRET_KEY", "bench-only-not-secret")
    env.pop("DJANGO_DEBUG", None)
    env.pop("REDIS_URL", None)  # measure the views, not the page cache
    return env


def start_django(tree):
    sys.path[:] = [str(tree), *(p for p in sys.path if Path(p).resolve() != ROOT / "bench")]
    import django

    django.setup()


def build(tree, stories):
    """Migrate and fill the database (run in a process of its own)."""
    start_django(tree)
    from django.core.management import call_command
    from django.db import connection

    from bench.stories import generate

    call_command("migrate", verbosity=0)
    generate(stories)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def worker(tree):
    """Answer ``path repeat`` lines with the medians of that many requests."""
    start_django(tree)
    from django.test import Client, override_settings

    client = Client()
    storages = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(STORAGES=storages):
        for line in sys.stdin:
            path, repeat = line.split()
            response = client.get(path)  # warm: the first request pays for imports
            cpu, wall = [], []
            for _ in range(int(repeat)):
                wall_start, cpu_start = time.perf_counter(), time.process_time()
                response = client.get(path)
                cpu.append(time.process_time() - cpu_start)
                wall.append(time.perf_counter() - wall_start)
            answer = {
                "status": response.status_code,
                "cpu": statistics.median(cpu) * 1000,
                "wall": statistics.median(wall) * 1000,
                "body": hashlib.sha256(response.content).hexdigest()[:12],
            }
            print(json.dumps(answer), flush=True)


class Worker:
    def __init__(self, tree, env):
        self.process = subprocess.Popen(
            [sys.executable, __file__, "--worker", str(tree)],
            env=env,
            cwd=tree,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def ask(self, path, repeat):
        self.process.stdin.write(f"{path} {repeat}\n")
        self.process.stdin.flush()
        return json.loads(self.process.stdout.readline())

    def close(self):
        self.process.stdin.close()
        self.process.wait()


def loadavg():
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("stories", nargs="?", type=int, default=20_000)
    parser.add_argument("--old", type=Path, required=True, help="the code to compare against")
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--repeat", type=int, default=25)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="newsroom-feeds-api-") as folder:
        env = environment(Path(folder) / "bench.sqlite3")
        started = time.perf_counter()
        build_command = [sys.executable, __file__, "--build", str(args.stories)]
        subprocess.run(build_command, env=env, check=True)
        print(f"{args.stories} stories in {time.perf_counter() - started:.0f} s; load {loadavg()}")
        old, new = Worker(args.old.resolve(), env), Worker(ROOT, env)
        results = {path: {"old": [], "new": []} for path in PATHS}
        same = dict.fromkeys(PATHS, True)
        for number in range(args.rounds):
            order = [("old", old), ("new", new)]
            if number % 2:
                order.reverse()
            for path in PATHS:
                answers = {name: w.ask(path, args.repeat) for name, w in order}
                for name, answer in answers.items():
                    assert answer["status"] == 200, (name, path, answer)
                    results[path][name].append(answer)
                same[path] &= answers["old"]["body"] == answers["new"]["body"]
        old.close()
        new.close()
        print(f"load after: {loadavg()}; medians of {args.repeat} requests, {args.rounds} rounds")
        print(f"\n{'path':40} {'CPU ms old':>12} {'new':>12} {'wall ms old':>12} {'new':>12} same")
        for path in PATHS:
            row = [path]
            for measure in ("cpu", "wall"):
                for name in ("old", "new"):
                    values = [answer[measure] for answer in results[path][name]]
                    row.append(f"{min(values):.1f}–{max(values):.1f}")
            print(f"{row[0]:40} {row[1]:>12} {row[2]:>12} {row[3]:>12} {row[4]:>12} {same[path]}")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--worker"]:
        worker(Path(sys.argv[2]))
    elif sys.argv[1:2] == ["--build"]:
        build(ROOT, int(sys.argv[2]))
    else:
        main()
