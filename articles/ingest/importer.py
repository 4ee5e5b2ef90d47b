"""Import news, topic and organization files: the engine behind ``import_articles``.

Guarantees:
- each file goes in whole or not at all; a bad file is reported and the run goes on
  (``strict``: the first bad file stops the run and nothing at all is written);
- a file whose bytes were imported before is skipped without being parsed;
- files are applied in sorted path order, so when two files carry the same story,
  the later one's values win, every run alike;
- ``dry_run`` does all the work inside a transaction that is rolled back.
"""

import hashlib
import multiprocessing
import os
from pathlib import Path

from django.db import DatabaseError, transaction
from django.utils import timezone

from articles.clusters.assign import cluster_new_stories
from articles.models import SourceFile
from articles.reports import ImportReport
from articles.review import import_actions
from newsroom import pagecache

from . import writer
from .collector import long_lived_frozen
from .parse import parse_many
from .reading import IMPORTABLE_SUFFIXES

MAX_NAME = SourceFile._meta.get_field("name").max_length
"""The longest tracked name (a path relative to the folder given) the database keeps."""

BATCH_SIZE = 500
"""News records written per transaction."""

WINDOW = 500
"""Files read and parsed ahead of the writer (bounds memory on huge imports)."""

PARALLEL_FROM = 400
"""Fewer changed files than this are parsed in-process: workers cost more to start."""


KNOWN_OTHER_SUFFIXES = {".json", ".html", ".css", ".js", ".png", ".jpg", ".jpeg", ".gif", ".svg"}
"""Files a folder may hold beside the seed files; never sniffed."""


class ImportPathError(ValueError):
    """A path named on the command line does not exist."""


class _StopImport(Exception):
    """Unwinds the outer transaction (dry run, or strict mode after a failure)."""


def discover(paths):
    """The files to read, in sorted path order, each with the name it is tracked by.

    Folders are read recursively; a file's name is its path relative to the folder
    given (``news/x.md``), so ``one/x.md`` and ``two/x.md`` are two files. A file
    given by itself is named by its base name. A file reached twice keeps its
    first name.
    """
    found = {}
    for path in map(Path, paths):
        if path.is_dir():
            for candidate, name in _files_under(path):
                if _looks_importable(candidate):
                    found.setdefault(candidate, name)
        elif path.is_file():
            found.setdefault(path, path.name)
        else:
            raise ImportPathError(f"{path}: no such file or folder")
    # pathlib's own order (by path segments), with each key made once, not per comparison.
    return sorted(found.items(), key=lambda item: str(item[0]).split(os.sep))


def _files_under(folder, prefix=""):
    """Every file below ``folder`` outside hidden folders, with its relative name.

    ``os.scandir`` knows from the directory listing what each entry is; pathlib's
    ``rglob`` and ``relative_to`` cost more than reading and hashing the files
    (most of a no-op re-import, measured in docs/performance.md). Like ``rglob``,
    it does not follow links to folders.
    """
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.name.startswith("."):
                continue
            if entry.is_dir(follow_symlinks=False):
                yield from _files_under(entry.path, f"{prefix}{entry.name}/")
            elif entry.is_file():
                yield Path(entry.path), prefix + entry.name


def _looks_importable(path):
    """By suffix; a name like ``theguardian.com`` counts when it opens with front matter."""
    suffix = path.suffix.lower()
    if suffix in IMPORTABLE_SUFFIXES:
        return True
    if suffix in KNOWN_OTHER_SUFFIXES:
        return False
    with path.open("rb") as file:
        return file.readline().rstrip(b"\r\n") == b"---"


def import_paths(
    paths, *, dry_run=False, strict=False, workers=None, on_problem=None, on_progress=None
):
    """Import every file under ``paths``; return an :class:`ImportReport`."""
    files = discover(paths)
    run = _ImportRun(
        files,
        strict=strict,
        workers=workers if workers is not None else min(2, os.cpu_count() or 1),
        on_problem=on_problem,
        on_progress=on_progress,
    )
    if not (dry_run or strict):
        run.execute()
        _retire_cached_pages(run.report)
        return run.report
    try:
        with transaction.atomic():
            run.execute()
            if dry_run or run.report.failed:
                raise _StopImport
    except _StopImport:
        pass
    else:
        _retire_cached_pages(run.report)
    return run.report


def _retire_cached_pages(report):
    # The writer inserts and updates in bulk, past the signals that retire pages.
    if report.created or report.updated or report.linked:
        pagecache.pages_changed()


class _ImportRun:
    def __init__(self, files, *, strict, workers, on_problem, on_progress):
        self.files = files
        self.strict = strict
        self.workers = workers
        self.on_problem = on_problem or (lambda name, reason: None)
        self.on_progress = on_progress or (lambda done, total: None)
        self.report = ImportReport()
        self.lookups = writer.Lookups()
        self.now = timezone.now()
        self.done = 0

    def execute(self):
        with long_lived_frozen():
            self._execute()

    def _execute(self):
        pool = None
        try:
            pending = None
            for start in range(0, len(self.files), WINDOW):
                items = self.changed_items(self.files[start : start + WINDOW])
                if pool is None and self.workers > 1 and len(items) >= PARALLEL_FROM:
                    # fork: workers start at once with the parser already imported
                    # (a fork server measured 3x slower on a 3,000-file import).
                    # The import command is single-threaded, so forking is safe.
                    pool = multiprocessing.get_context("fork").Pool(self.workers)
                parsed = self.parse(items, pool)  # workers parse on while we write
                if pending is not None:
                    self.write(pending.get())
                pending = parsed
            if pending is not None:
                self.write(pending.get())
        finally:
            if pool is not None:
                pool.terminate()
        self.report.linked = writer.link_related_stories(
            self.lookups.rewritten_ids, self.lookups.created_hashes
        )
        self.report.rule_actions = import_actions(self.now)
        cluster_new_stories()

    def changed_items(self, files):
        """Read and hash a window of files; count the unchanged ones right away."""
        names = [name for _, name in files]
        known = dict(SourceFile.objects.filter(name__in=names).values_list("name", "content_hash"))
        items = []
        for path, name in files:
            if len(name) > MAX_NAME:
                self.fail(str(path), f"its path in the folder is longer than {MAX_NAME} characters")
                continue
            try:
                raw = path.read_bytes()
            except OSError as error:
                self.fail(str(path), f"cannot be read: {error.strerror or error}")
                continue
            digest = hashlib.sha256(raw).hexdigest()
            if known.get(name) == digest:
                self.report.count("unchanged")
                self.advance()
                continue
            items.append((name, raw, path.suffix.lower(), digest, str(path)))
        return items

    def parse(self, items, pool):
        sources = [item[3:] for item in items]
        jobs = [item[:3] for item in items]
        chunks = [jobs[i : i + 50] for i in range(0, len(jobs), 50)]
        if pool is None:
            return _Pending(_Ready(list(map(parse_many, chunks))), sources)
        return _Pending(pool.map_async(parse_many, chunks), sources)

    def write(self, records):
        batch, keys = [], set()
        for record in records:
            kind = record["kind"]
            if kind == "news" and record["fields"]["web_url_hash"] not in keys:
                batch.append(record)
                keys.add(record["fields"]["web_url_hash"])
                if len(batch) >= BATCH_SIZE:
                    self.write_news(batch)
                    batch, keys = [], set()
                continue
            self.write_news(batch)
            batch, keys = [], set()
            if kind == "news":  # the same story again: after the batch holding it
                batch, keys = [record], {record["fields"]["web_url_hash"]}
            elif kind == "error":
                self.fail(record["path"], record["reason"])
            elif kind == "skip":
                self.report.count("skipped")
                self.on_problem(record["path"], record["reason"])
                self.advance()
            else:
                self.write_one(record)
        self.write_news(batch)

    def write_news(self, batch):
        if not batch:
            return
        saved = self.lookups.snapshot()
        try:
            with transaction.atomic():
                statuses = writer.write_news(batch, self.lookups, self.now)
        except DatabaseError:
            # Find the file the database refused; the rest of the batch goes in.
            self.lookups = saved
            for record in batch:
                self.write_one(record)
            return
        for status in statuses:
            self.report.count(status)
        self.advance(len(batch))

    def write_one(self, record):
        write = {
            "news": lambda: writer.write_news([record], self.lookups, self.now)[0],
            "topic": lambda: writer.write_topic(record, self.now)[0],
            "organization": lambda: writer.write_organization(record, self.now)[0],
        }[record["kind"]]
        saved = self.lookups.snapshot()
        try:
            with transaction.atomic():
                status = write()
        except DatabaseError as error:
            self.lookups = saved
            self.fail(record["path"], f"the database refused it: {_first_line(error)}")
            return
        self.report.count(status)
        self.advance()

    def fail(self, path, reason):
        """Count a failed file; ``path`` is as found on disk, so the message names that file."""
        self.report.count("failed")
        self.report.problems.append((path, reason))
        self.on_problem(path, reason)
        self.advance()
        if self.strict:
            raise _StopImport

    def advance(self, amount=1):
        self.done += amount
        self.on_progress(self.done, len(self.files))


class _Pending:
    """Parse results still being computed by the worker pool."""

    def __init__(self, result, sources):
        self.result = result
        self.sources = sources

    def get(self):
        return _with_sources([r for chunk in self.result.get() for r in chunk], self.sources)


class _Ready:
    """Parse results computed in this process, shaped like a pool's AsyncResult."""

    def __init__(self, chunks):
        self.chunks = chunks

    def get(self):
        return self.chunks


def _with_sources(records, sources):
    """Give each record its file's hash and its path on disk (for messages)."""
    for record, (digest, path) in zip(records, sources, strict=True):
        record["content_hash"] = digest
        record["path"] = path
    return records


def _first_line(error):
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
