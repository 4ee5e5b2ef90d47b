"""What a run (import, export, image cache) reports, and how a command shows it.

A report counts what happened to each item by status, honestly ("updated" means
a value really changed, "unchanged" covers items left as they were), keeps the
problems as ``(name, reason)`` and sums itself up in one line. A
:class:`RunReporter` shows a progress bar on a terminal, one ``name: reason``
line per problem on stderr, then that line; each command's ``handle()`` decides
its exit status from ``report.failed``.
"""

import re
import time
from collections import Counter
from dataclasses import dataclass, field

_LINE_BREAKS = re.compile("[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")


@dataclass
class RunReport:
    """Counts by status; subclasses name the statuses, in the summary's order."""

    UNIT = "items"
    STATUSES = ()
    """Always named in the summary."""
    OPTIONAL_STATUSES = ()
    """Named only when there are some."""

    problems: list = field(default_factory=list)

    @property
    def total(self):
        return sum(getattr(self, status) for status in self.STATUSES + self.OPTIONAL_STATUSES)

    def count(self, status, amount=1):
        setattr(self, status, getattr(self, status) + amount)

    def summary(self):
        """``N files: C created, U updated, …``: every status, the optional ones if any."""
        parts = [f"{getattr(self, status)} {status}" for status in self.STATUSES]
        parts += [
            f"{getattr(self, status)} {status}"
            for status in self.OPTIONAL_STATUSES
            if getattr(self, status)
        ]
        return f"{self.total} {self.UNIT}: " + ", ".join(parts)


@dataclass
class FileReport(RunReport):
    """An export's, and the base of an import's: one count per file."""

    UNIT = "files"
    STATUSES = ("created", "updated", "unchanged", "failed")
    OPTIONAL_STATUSES = ("skipped",)

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: int = 0
    skipped: int = 0

    @property
    def files(self):
        return self.total


RULE_ACTION_WORDS = {
    "reject": "rejected",
    "hold": "held",
    "publish": "published",
    "set_quality": "scored",
    "add_topic": "topics added",
}


@dataclass
class ImportReport(FileReport):
    linked: int = 0
    """Related links that now point at a story of ours."""
    rule_actions: Counter = field(default_factory=Counter)
    """What the enabled rules did to the imported stories, by action."""

    def summary(self):
        """The files' line, then ``; rules: 3 rejected, 1 held`` when rules acted."""
        actions = self.rule_actions
        done = [f"{actions[a]} {word}" for a, word in RULE_ACTION_WORDS.items() if actions[a]]
        return super().summary() + (f"; rules: {', '.join(done)}" if done else "")


@dataclass
class CacheReport(RunReport):
    """The image cache's: one count per image row."""

    UNIT = "images"
    STATUSES = ("cached", "skipped", "failed")

    cached: int = 0
    skipped: int = 0
    failed: int = 0
    left: int = 0
    """Images beyond this run's ``--limit``."""

    def summary(self):
        line = super().summary()
        return line + (f" ({self.left} left for a later run)" if self.left else "")


class ProgressBar:
    """A one-line progress bar that shows only on a terminal."""

    WIDTH = 30

    def __init__(self, stream, min_interval=0.1, unit="files"):
        self.stream = stream
        self.unit = unit
        self.enabled = hasattr(stream, "isatty") and stream.isatty()
        self.min_interval = min_interval
        self.last = 0.0
        self.shown = False

    def update(self, done, total):
        if not self.enabled or not total:
            return
        now = time.monotonic()
        if now - self.last < self.min_interval and done < total:
            return
        self.last = now
        filled = self.WIDTH * done // total
        bar = "#" * filled + "-" * (self.WIDTH - filled)
        self.stream.write(f"\r[{bar}] {done}/{total} {self.unit}", ending="")
        self.stream.flush()
        self.shown = True

    def clear(self):
        if self.shown:
            self.stream.write("\r\033[K", ending="")
            self.stream.flush()
            self.shown = False


class RunReporter:
    """A management command's view of a run; as a context manager it clears the bar."""

    def __init__(self, command, verbosity, unit="files"):
        self.command = command
        self.verbosity = verbosity
        self.progress = ProgressBar(command.stderr, unit=unit) if verbosity >= 1 else None
        self.on_progress = self.progress.update if self.progress else None

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.clear()

    def problem(self, name, reason):
        self.clear()
        self.command.stderr.write(
            f"{one_line(name)}: {one_line(reason)}", style_func=self.command.style.ERROR
        )

    def clear(self):
        if self.progress:
            self.progress.clear()

    def summary(self, report, prefix=""):
        """Print ``report.summary()``, in red if anything failed."""
        self.clear()
        if self.verbosity >= 1:
            style = self.command.style.ERROR if report.failed else self.command.style.SUCCESS
            self.command.stdout.write(prefix + report.summary(), style_func=style)


def one_line(text):
    """``text`` with its line breaks escaped (``\\n``), so one problem is one line.

    File names and the keys a rejection names come from the files themselves.
    """
    return _LINE_BREAKS.sub(lambda match: repr(match.group())[1:-1], str(text))
