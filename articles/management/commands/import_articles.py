"""Import news, topic and organization files into the database.

Guarantees: every file goes in whole or not at all; a bad file is reported on one
line (``file: reason``) and the run goes on; re-running on unchanged files writes
nothing; the run ends with one summary line and exits 1 if any file failed.
``--dry-run`` writes nothing; ``--strict`` stops at the first bad file and writes
nothing at all.
"""

import sys

from django.core.management.base import BaseCommand, CommandError

from articles.ingest.importer import ImportPathError, import_paths
from articles.reports import RunReporter


class Command(BaseCommand):
    help = (
        "Import news items (.md/.markdown/.txt front matter) and topic/organization files "
        "(.yaml/.yml or front matter) from files or folders (read recursively)."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH", help="A file or a folder.")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Validate everything and report what would change; write nothing.",
        )
        parser.add_argument(
            "--strict",
            action="store_true",
            help="Stop at the first bad file and write nothing at all.",
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=None,
            help="Processes that parse files in parallel (default: up to 2 CPUs).",
        )

    def handle(self, *args, paths, dry_run, strict, workers, verbosity, **options):
        with RunReporter(self, verbosity) as reporter:
            try:
                report = import_paths(
                    paths,
                    dry_run=dry_run,
                    strict=strict,
                    workers=workers,
                    on_problem=reporter.problem,
                    on_progress=reporter.on_progress,
                )
            except ImportPathError as error:
                raise CommandError(str(error)) from None
        if verbosity >= 2 and report.linked:
            self.stdout.write(f"{report.linked} related links now point inside the site.")
        prefix = "Dry run, nothing written: " if dry_run else ""
        if strict and report.failed:
            prefix = "Stopped at the first bad file, nothing written: "
        reporter.summary(report, prefix)
        if report.failed:
            sys.exit(1)
