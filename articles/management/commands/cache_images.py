"""Copy remote story images and source logos under MEDIA_ROOT, with thumbnails.

Guarantees: only http(s) URLs on public addresses are fetched (``--allow-private-hosts``
lifts the address rule, for test servers only), each within a timeout, a byte limit
and a bounded number of redirects; every file is verified by Pillow before it is
kept; re-runs skip what is cached; a failure is reported on one line
(``url: reason``), recorded on its row, and the run goes on; the run ends with one
summary line and exits 1 if any image failed. The source's image fields are never
changed, so the export stays lossless.
"""

import sys

from django.core.management.base import BaseCommand, CommandError

from articles.image_cache import cache_images
from articles.reports import RunReporter
from images.copying import Options


class Command(BaseCommand):
    help = "Download the story images and outlet logos that have no local copy yet."

    def add_arguments(self, parser):
        parser.add_argument(
            "--limit", type=int, default=None, help="Download at most this many images this run."
        )
        parser.add_argument(
            "--concurrency",
            type=int,
            default=4,
            help="Downloads running at once, in threads (default 4).",
        )
        parser.add_argument(
            "--timeout",
            type=float,
            default=None,
            help="Seconds allowed for one image, redirects included (default 10).",
        )
        parser.add_argument(
            "--max-bytes",
            type=int,
            default=None,
            help="Largest image accepted, in bytes (default 10 MiB).",
        )
        parser.add_argument(
            "--skip-failed",
            action="store_true",
            help="Do not retry images whose last attempt failed.",
        )
        parser.add_argument(
            "--allow-private-hosts",
            action="store_true",
            default=None,
            help="Also fetch from loopback and private addresses (test servers only).",
        )

    def handle(self, *args, limit, concurrency, timeout, max_bytes, verbosity, **options):
        if limit is not None and limit < 0:
            raise CommandError("--limit must be 0 or more")
        if concurrency < 1:
            raise CommandError("--concurrency must be 1 or more")
        settings = Options.from_settings(
            timeout=timeout,
            max_bytes=max_bytes,
            allow_private_hosts=options["allow_private_hosts"],
        )
        with RunReporter(self, verbosity, unit="images") as reporter:
            report = cache_images(
                limit=limit,
                concurrency=concurrency,
                options=settings,
                skip_failed=options["skip_failed"],
                on_failure=reporter.problem,
                on_progress=reporter.on_progress,
            )
        reporter.summary(report)
        if report.failed:
            sys.exit(1)
