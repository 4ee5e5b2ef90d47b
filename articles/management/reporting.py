"""What the import, export and image-cache commands show while they run.

A progress bar on a terminal, one ``name: reason`` line per problem on stderr,
then one summary line; the command exits 1 when anything failed.
"""

import sys

from articles.ingest.progress import ProgressBar


class RunReporter:
    def __init__(self, command, verbosity, unit="files"):
        self.command = command
        self.verbosity = verbosity
        self.progress = ProgressBar(command.stderr, unit=unit) if verbosity >= 1 else None
        self.on_progress = self.progress.update if self.progress else None

    def problem(self, name, reason):
        self.clear()
        self.command.stderr.write(f"{name}: {reason}", style_func=self.command.style.ERROR)

    def clear(self):
        if self.progress:
            self.progress.clear()

    def finish(self, report, prefix=""):
        """Print ``report.summary()`` and exit 1 if ``report.failed``."""
        self.clear()
        if self.verbosity >= 1:
            style = self.command.style.ERROR if report.failed else self.command.style.SUCCESS
            self.command.stdout.write(prefix + report.summary(), style_func=style)
        if report.failed:
            sys.exit(1)
