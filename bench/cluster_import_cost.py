"""What clustering costs the import, and whether its cost per story grows with the archive.

Usage: .venv/bin/python bench/cluster_import_cost.py [--files 2000] [--rounds 3]
                                                     [--archives 1000,4000] [--new 200]
                                                     [--workers 1]
(DEBUG off, as in production, unless DJANGO_DEBUG=1 is set.)

Makes news files from ../shared/corpus/news: copy k of the corpus gets its own URLs
and is dated within the week starting 8 × k days after 2020-01-01, so the archive
grows in time as a real one does, at a steady ~130 stories a week (copies of one file
are 8 days apart: never in one clustering window). In one run:
  1. the same files imported into an empty SQLite database with clustering on and
     with it off (the clustering calls, and the signing in the parse workers, replaced
     by no-ops), interleaved rounds, best and median of each; the ratio on/off is the
     throughput clustering leaves (goal >= 0.75). The same ratio of this process's CPU
     time is printed too: on a machine other work loads, it moves far less than the
     wall clock's;
  2. for each archive size A: an archive of A stories, then NEW more files imported;
     the time of clustering those NEW stories, per story. The ratio of the per-story
     cost at the largest archive to the smallest shows whether it grows (goal ~ 1).
"""

import argparse
import datetime as dt
import os
import re
import shutil
import statistics
import time
from pathlib import Path

from throwaway_sqlite import start_django

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("NEWSROOM_SHARED", ROOT.parent / "shared"))
CORPUS_NEWS = SHARED / "corpus" / "news"
DATE = re.compile(r"^publishedDateTime: (\S+)$", re.M)
URL = re.compile(r'^(webUrl|originalUrl|ampWebUrl|cdnAmpWebUrl): ("?)', re.M)


def make_files(folder, count, start=0):
    folder.mkdir(parents=True, exist_ok=True)
    sources = sorted(CORPUS_NEWS.glob("*.md"))
    texts = [path.read_text(encoding="utf-8") for path in sources]
    for n in range(start, start + count):
        index, copy = n % len(texts), n // len(texts)
        text = URL.sub(lambda m, n=n: f"{m[1]}: {m[2]}https://copy{n}.example/?u=", texts[index])
        when = _dated(copy, index, len(texts))
        text = DATE.sub(lambda m, when=when: f"publishedDateTime: {when}", text, 1)
        (folder / f"{sources[index].stem}-copy{n}.md").write_text(text, encoding="utf-8")
    return sorted(folder.glob("*.md"))


def _dated(copy, index, count):
    start = dt.datetime(2020, 1, 1, tzinfo=dt.UTC) + dt.timedelta(days=8 * copy)
    return (start + dt.timedelta(days=7) * index / count).strftime("%Y-%m-%dT%H:%M:%SZ")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--archives", default="1000,4000")
    parser.add_argument("--new", type=int, default=200)
    parser.add_argument(
        "--workers", type=int, default=1, help="parse workers of the import (its default: 2)"
    )
    args = parser.parse_args()

    # DEBUG off, as an import runs in production: the debug cursor's query log
    # (each statement's parameters quoted) is a development cost, and falls mostly
    # on the clustering's look-ups of thousands of keys. DJANGO_DEBUG=1 measures with it.
    os.environ.setdefault("DJANGO_DEBUG", "0")
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-not-secret")
    work = start_django(prefix="newsroom-cluster-cost-")

    from django.conf import settings

    from articles.clusters import assign
    from articles.ingest import importer, parse
    from articles.models import Article, Cluster, SourceFile, Topic
    from providers.models import Provider

    def empty():
        for model in (SourceFile, Article, Cluster, Topic, Provider):
            model.objects.all().delete()

    clustering, signing = assign.cluster_new_stories, parse.sign

    def clustering_at_import(hook):
        # The writer clusters each batch (assign's function); the importer once more
        # at the end of the run (its own reference). The parse workers sign the
        # records for it (forked after this, so they see the same choice).
        assign.cluster_new_stories = importer.cluster_new_stories = hook
        parse.sign = signing if hook is clustering else no_signing

    def no_clustering(apps=None, article_ids=None, signed=None, created=()):
        return 0

    def no_signing(records):
        return None

    files = work / "throughput"
    paths = make_files(files, args.files)
    on_runs, off_runs = [], []
    for _ in range(args.rounds):
        for runs, hook in ((off_runs, no_clustering), (on_runs, clustering)):
            empty()
            clustering_at_import(hook)
            started, cpu = time.perf_counter(), time.process_time()
            report = importer.import_paths([files], workers=args.workers)
            runs.append((time.perf_counter() - started, time.process_time() - cpu))
            assert report.failed == 0 and report.created == len(paths), report
    clustering_at_import(clustering)
    assert Article.objects.filter(cluster=None).count() == 0
    n = len(paths)
    print(
        f"files: {n}, {args.rounds} interleaved rounds, SQLite, "
        f"{args.workers} parse worker(s), DEBUG {'on' if settings.DEBUG else 'off'}, "
        f"load average {os.getloadavg()[0]:.1f} at the end"
    )
    for name, pick in (("best", min), ("median", statistics.median)):
        on, off = pick(wall for wall, _ in on_runs), pick(wall for wall, _ in off_runs)
        on_cpu, off_cpu = pick(cpu for _, cpu in on_runs), pick(cpu for _, cpu in off_runs)
        print(
            f"{name:>6} of the rounds: off {n / off:5.0f} files/s, on {n / on:5.0f} files/s, "
            f"ratio on/off {off / on:.2f} (goal >= 0.75); CPU of this process "
            f"off {off_cpu:.2f} s, on {on_cpu:.2f} s, ratio {off_cpu / on_cpu:.2f}"
        )
    print(
        "  (this process: the writer; with 1 worker the parsing too. A full pass of "
        "Python's collector, ~75 ms here, falls in some rounds and not others: the "
        "median is the steadier figure)"
    )

    per_story = {}
    for size in sorted(int(value) for value in args.archives.split(",")):
        empty()
        shutil.rmtree(work / "archive", ignore_errors=True)
        importer.import_paths([make_files(work / "archive", size)[0].parent], workers=1)
        new = make_files(work / "new", args.new, start=size)
        clustering_at_import(no_clustering)
        importer.import_paths(new, workers=1)
        clustering_at_import(clustering)
        started = time.perf_counter()
        clustered = assign.cluster_new_stories()
        per_story[size] = (time.perf_counter() - started) / clustered
        shutil.rmtree(work / "new")
        print(
            f"archive {size:6d} stories: clustering {clustered} new ones "
            f"{per_story[size] * 1000:.2f} ms per story"
        )
    smallest, largest = min(per_story), max(per_story)
    print(
        f"ratio per-story cost at {largest} / at {smallest}: "
        f"{per_story[largest] / per_story[smallest]:.2f}  (flat ~ 1; a scan would be "
        f"~{largest / smallest:.0f})"
    )
    shutil.rmtree(work)


if __name__ == "__main__":
    main()
