"""Import throughput against plain front-matter parsing of the same files.

Usage: .venv/bin/python bench/import_throughput.py [--files 3000] [--workers 2]
       [--history on|off|both]

Makes FILES news files from ../shared/corpus/news (each copy gets its own URL),
then, in this one run:
  1. parse-only baseline: read + python-frontmatter parse of every file, one process;
  2. a first import into an empty SQLite database (start-up and migrations excluded);
  3. a no-op re-import of the same files;
repeated in interleaved rounds, keeping each side's best time.
It prints throughputs and the two ratios issue #16 (item 6) sets goals for:
import / parse-only (goal >= 0.9) and first import / no-op re-import (goal >= 15),
and the CPU time per file of the writer (this process) and of the parse workers,
which on 2 cores bound what the first import can reach.
With ``--history both`` each round imports once with the stories' versions
recorded (``NEWSROOM_HISTORY_ON_IMPORT``, the default) and once without, and it
prints the ratio of the two (issue #14's goal: history on within 20 % of off).
"""

import argparse
import os
import resource
import time
from pathlib import Path

from throwaway_sqlite import start_django

ROOT = Path(__file__).resolve().parent.parent
CORPUS_NEWS = ROOT.parent / "shared" / "corpus" / "news"

IMPORT_GOAL, NOOP_GOAL = 0.9, 15
"""Issue #16, item 6: import >= 0.9 x parse-only; a no-op re-import >= 15 x faster."""


def make_files(folder, count):
    sources = sorted(CORPUS_NEWS.glob("*.md"))
    texts = [path.read_text(encoding="utf-8") for path in sources]
    for n in range(count):
        index = n % len(texts)
        text = texts[index].replace('webUrl: "', f'webUrl: "https://copy{n}.example/?u=', 1)
        text = text.replace("webUrl: http", f"webUrl: https://copy{n}.example/?u=http", 1)
        name = f"{sources[index].stem}-copy{n}.md"
        (folder / name).write_text(text, encoding="utf-8")
    return sorted(folder.glob("*.md"))


def parse_only(paths):
    import frontmatter

    started = time.perf_counter()
    for path in paths:
        frontmatter.loads(path.read_text(encoding="utf-8"))
    return time.perf_counter() - started


def _cpu_seconds():
    """CPU time of this process (the writer) and of its ended children (the parse workers)."""
    return (
        time.process_time(),
        sum(
            getattr(resource.getrusage(resource.RUSAGE_CHILDREN), f)
            for f in ("ru_utime", "ru_stime")
        ),
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=3000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=3, help="best of this many runs each")
    parser.add_argument(
        "--history",
        choices=["on", "off", "both"],
        default="on",
        help="record the stories' versions during the import (both: compare the two)",
    )
    args = parser.parse_args()

    work = start_django(prefix="newsroom-bench-")

    from django.conf import settings

    from articles.ingest.importer import import_paths
    from articles.models import Article, SourceFile, Topic
    from providers.models import Provider

    files_dir = work / "news"
    files_dir.mkdir()
    paths = make_files(files_dir, args.files)
    parse_only(paths[:200])  # warm the page cache and imports alike for both sides

    modes = {"on": [True], "off": [False], "both": [True, False]}[args.history]
    parse_runs, parse_cpu_runs = [], []
    import_runs = {mode: [] for mode in modes}
    noop_runs = {mode: [] for mode in modes}
    import_cpu = {mode: [] for mode in modes}
    for _ in range(args.rounds):  # interleaved, so machine noise hits both sides alike
        cpu = _cpu_seconds()[0]
        parse_runs.append(parse_only(paths))
        parse_cpu_runs.append(_cpu_seconds()[0] - cpu)
        for history in modes:
            settings.NEWSROOM_HISTORY_ON_IMPORT = history
            # Stories first: deleting one records its last version.
            for model in (SourceFile, Article, Topic, Provider, Article.history.model):
                model.objects.all().delete()
            started, cpu = time.perf_counter(), _cpu_seconds()
            report = import_paths([files_dir], workers=args.workers)
            import_runs[history].append(time.perf_counter() - started)
            import_cpu[history].append(
                [after - before for after, before in zip(_cpu_seconds(), cpu, strict=True)]
            )
            assert report.failed == 0 and report.created == Article.objects.count() == len(paths)
            versions = Article.history.model.objects.filter(history_type="+").count()
            assert versions == (len(paths) if history else 0), versions
            started = time.perf_counter()
            again = import_paths([files_dir], workers=args.workers)
            noop_runs[history].append(time.perf_counter() - started)
            assert again.unchanged == len(paths), again
    parse_seconds = min(parse_runs)
    parse_cpu = min(parse_cpu_runs)

    n = len(paths)
    print(
        f"files: {n} (from {CORPUS_NEWS}), workers: {args.workers}, CPUs: {os.cpu_count()}, "
        f"best of {args.rounds} interleaved rounds"
    )
    print(f"parse only (python-frontmatter, 1 process): {n / parse_seconds:8.0f} files/s")
    for history in modes:
        import_seconds, noop_seconds = min(import_runs[history]), min(noop_runs[history])
        label = "history on" if history else "history off"
        print(f"{label}:")
        print(f"  first import (SQLite):                     {n / import_seconds:8.0f} files/s")
        print(f"  no-op re-import:                           {n / noop_seconds:8.0f} files/s")
        ratio, speedup = parse_seconds / import_seconds, import_seconds / noop_seconds
        print(f"  ratio import / parse-only:   {ratio:.2f}  (goal >= {IMPORT_GOAL})")
        print(f"  ratio no-op / first import:  {speedup:.1f}x (goal >= {NOOP_GOAL})")
        writer_cpu, workers_cpu = (min(run[i] for run in import_cpu[history]) for i in (0, 1))
        print(
            f"  CPU per file: writer {writer_cpu / n * 1000:.2f} ms, parse workers "
            f"{workers_cpu / n * 1000:.2f} ms; parse only {parse_cpu / n * 1000:.2f} ms"
        )
    if len(modes) == 2:
        ratio = min(import_runs[False]) / min(import_runs[True])
        print(f"ratio first import history on / off: {ratio:.2f}  (goal >= 0.8)")


if __name__ == "__main__":
    main()
