"""Newsroom under load: gunicorn on loopback, wrk against each public path and a hello-world.

Run from the repository root (wrk from Debian's package; Redis for the warm runs):
    bin/with-redis .venv/bin/python bench/load.py                     # SQLite
    bin/with-redis bin/with-postgres .venv/bin/python bench/load.py   # PostgreSQL
Options: --stories N (20,000), --seconds S per path (10), --connections C (32),
--code=DIR (serve the checkout in DIR with this script, e.g. a worktree of main),
--modes cold,warm (warm needs NEWSROOM_TEST_REDIS_URL, which bin/with-redis sets),
--paths home,topic,story,API,RSS (names from the table; default all, hello always).

It builds N generated stories in a fresh database (a temporary SQLite file, or the
empty database DATABASE_URL names), starts gunicorn with the project's
gunicorn.conf.py (DEBUG off, static files collected), and for each mode — cold: the
page cache off; warm: the page cache on Redis — loads /bench/hello/ and then each
path, printing req/s, p50, p99, errors, the ratio to hello-world's req/s in the
same run, and the server's CPU ms per request (user + system time of gunicorn's
processes over the run, divided by the requests served: on a shared machine steadier
than req/s, which other processes' CPU takes from directly) and, on a PostgreSQL of
this machine, the database's ("DB ms": its postmaster's processes, the same way). Goals (issue 16):
warm >= 0.5, cold >= 0.1, 0 errors. ``GUNICORN_*`` variables in the environment reach
the server (gunicorn.conf.py reads them), so a variant of its settings can be loaded.
"""

import argparse
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

# --code=DIR serves (and builds the database with) the project checked out in DIR, say a
# worktree of main, so that old and new code can be loaded alternately by this script.
CODE = next((arg[7:] for arg in sys.argv if arg.startswith("--code=")), None)
ROOT = Path(CODE).resolve() if CODE else Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TMP = tempfile.TemporaryDirectory(prefix="newsroom-load-")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{TMP.name}/load.sqlite3")
os.environ["DJANGO_SETTINGS_MODULE"] = "newsroom.settings"
os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-not-secret")
os.environ["DJANGO_ALLOWED_HOSTS"] = "127.0.0.1"
os.environ["DJANGO_STATIC_ROOT"] = f"{TMP.name}/static"
os.environ.pop("DJANGO_DEBUG", None)
os.environ.pop("REDIS_URL", None)

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from articles.models import Article  # noqa: E402
from bench.stories import generate  # noqa: E402

HELLO = "/bench/hello/"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def paths():
    story = Article.objects.filter(published=True).order_by("-published_at").first()
    return [
        ("home", "/"),
        ("page 50", "/?page=50"),
        ("topic", "/topics/topic-3/"),
        ("outlet", "/providers/outlet7.example/"),
        ("search", "/?q=robot"),
        ("story", story.get_absolute_url()),
        ("API", "/api/news/"),
        ("RSS", "/feeds/rss/"),
    ]


def start_gunicorn(port, extra_env):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.load_settings",
        "PYTHONPATH": str(ROOT),
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_ACCESS_LOG": "off",  # the access log would cost as much as a page
        **extra_env,
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "newsroom.wsgi:application"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(f"{TMP.name}/gunicorn.log", "ab"),
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}{HELLO}", timeout=1)
            return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    sys.exit("gunicorn did not start:\n" + Path(f"{TMP.name}/gunicorn.log").read_text()[-3000:])


UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def milliseconds(text):
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()
    return float(number) * UNITS[unit]


def cpu_ticks(pid):
    """CPU ticks (user + system) of a process and of each of its children, and under
    "ended" those of its children that ended and were waited for (cutime + cstime)."""
    ticks = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # a process that ended meanwhile
            continue
        if int(fields[1]) == pid:
            ticks[int(stat.parent.name)] = int(fields[11]) + int(fields[12])  # utime, stime
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks[pid] = int(fields[11]) + int(fields[12])
    ticks["ended"] = int(fields[13]) + int(fields[14])
    return ticks


def cpu_seconds_since(before, pid):
    """CPU seconds a process and its children spent since ``before`` (its cpu_ticks):
    a child that ended meanwhile moved its whole time into "ended", so what it had
    spent before is taken off (PostgreSQL's backends end when Django closes a
    connection older than CONN_MAX_AGE)."""
    after = cpu_ticks(pid)
    spent = sum(ticks - before.get(key, 0) for key, ticks in after.items())
    spent -= sum(ticks for key, ticks in before.items() if key not in after)
    return spent / os.sysconf("SC_CLK_TCK")


def postmaster_pid():
    """PostgreSQL's postmaster when it runs on this machine (the parent of this
    connection's backend), else None: its processes' CPU is the database's."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]
    try:
        parent = int(Path(f"/proc/{backend}/stat").read_text().rsplit(")", 1)[1].split()[1])
        Path(f"/proc/{parent}/stat").read_text()
    except OSError:  # not a process of this machine, or one we may not read
        return None
    return parent


def wrk(url, seconds, connections, server, database):
    cpu = cpu_ticks(server.pid)
    database_cpu = cpu_ticks(database) if database else None
    output = subprocess.run(
        ["wrk", f"-t{min(2, connections)}", f"-c{connections}", f"-d{seconds}s", "--latency", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    requests = int(re.search(r"(\d+) requests in", output).group(1))
    per_request = 1000 / max(requests, 1)
    cpu = cpu_seconds_since(cpu, server.pid) * per_request
    if database:
        database_cpu = cpu_seconds_since(database_cpu, database) * per_request
    kinds = {kind: int(n) for kind, n in re.findall(r"(connect|read|write|timeout) (\d+)", output)}
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if non_2xx:
        kinds["non-2xx"] = int(non_2xx.group(1))
    return {
        "cpu_ms": cpu,
        "db_cpu_ms": database_cpu,
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50": milliseconds(re.search(r"\s50%\s+(\S+)", output).group(1)),
        "p99": milliseconds(re.search(r"\s99%\s+(\S+)", output).group(1)),
        "errors": sum(kinds.values()),
        # wrk gives up on a response after 2 s: under overload "timeout" dominates.
        "kinds": ", ".join(f"{kind} {n}" for kind, n in kinds.items() if n),
    }


def load_average():
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f}, {five:.2f}, {fifteen:.2f}"


def load(mode, server, port, cases, seconds, connections, database):
    base = f"http://127.0.0.1:{port}"
    for _, path in cases:  # warm the server (and, warm, the cache) once per path
        urllib.request.urlopen(base + path, timeout=30).read()
    hello = wrk(base + HELLO, seconds, connections, server, database)
    print(f"\n{mode}: {connections} connections, {seconds} s per path; {load_average()}")
    print(
        f"{'path':<10} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7} {'ratio':>6}"
        f" {'CPU ms':>7} {'DB ms':>7}"
    )
    show("hello", hello, hello)
    for name, path in cases:  # each row as it is measured: a long run shows its progress
        show(name, wrk(base + path, seconds, connections, server, database), hello)
    print(f"({load_average()} at the end)", flush=True)


def show(name, row, hello):
    print(
        f"{name:<10} {row['rps']:>8.0f} {row['p50']:>8.1f} {row['p99']:>8.1f} "
        f"{row['errors']:>7} {row['rps'] / hello['rps']:>6.2f} {row['cpu_ms']:>7.2f}"
        + ("       -" if row["db_cpu_ms"] is None else f" {row['db_cpu_ms']:>7.2f}")
        + (f"  ({row['kinds']})" if row["kinds"] else ""),
        flush=True,
    )


def prepared_statements():
    """What the served code's settings prepare on PostgreSQL (newsroom/settings.py)."""
    if connection.vendor != "postgresql":
        return ""
    options = connection.settings_dict["OPTIONS"]
    binding = "server" if options.get("server_side_binding") else "client"
    return f"; {binding}-side binding, prepare_threshold {options.get('prepare_threshold')}"


def git_head():
    found = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], text=True, capture_output=True
    )
    return found.stdout.strip() or "?"


def gunicorn_overrides():
    given = {name: value for name, value in os.environ.items() if name.startswith("GUNICORN_")}
    return " ".join(f"{name}={value}" for name, value in sorted(given.items())) or "its defaults"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, default=20_000)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--modes", default="cold,warm")
    parser.add_argument("--paths", default="", help="comma-separated path names (default: all)")
    parser.add_argument("--code", default=None, help="serve the checkout in this folder")
    options = parser.parse_args()
    modes = options.modes.split(",")
    redis = os.environ.get("NEWSROOM_TEST_REDIS_URL")
    if "warm" in modes and not redis:
        sys.exit("warm runs need Redis: run under bin/with-redis (or pass --modes cold)")

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("collectstatic", verbosity=0, interactive=False)
    if not Article.objects.exists():
        generate(options.stories)
    # The steady state autovacuum keeps: building leaves a dead version of every story
    # row (its cluster is set after its insert), which a fresh PostgreSQL scans past and
    # checks until autovacuum's next round (a capped count of 20,000 rows took 13-16 ms
    # before VACUUM, 1.5-1.9 ms after).
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    cases = paths()
    if options.paths:
        wanted = options.paths.split(",")
        unknown = set(wanted) - {name for name, _ in cases}
        if unknown:
            sys.exit(f"unknown --paths {sorted(unknown)}; known: {[name for name, _ in cases]}")
        cases = [case for case in cases if case[0] in wanted]
    database = postmaster_pid()
    connection.close()
    print(
        f"{Article.objects.count()} stories on {connection.vendor}, ready in "
        f"{time.perf_counter() - started:.0f} s; {os.cpu_count()} CPUs; "
        f"gunicorn.conf.py with {gunicorn_overrides()}; code {ROOT} at {git_head()}"
        + prepared_statements()
    )

    settings_by_mode = {
        "cold": {"NEWSROOM_PAGE_CACHE_SECONDS": "0"},
        "warm": {"REDIS_URL": redis or "", "NEWSROOM_PAGE_CACHE_SECONDS": "300"},
    }
    for mode in modes:
        port = free_port()
        server = start_gunicorn(port, settings_by_mode[mode])
        try:
            load(mode, server, port, cases, options.seconds, options.connections, database)
        finally:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
