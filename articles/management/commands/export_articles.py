"""Export stories, topics and outlets to files in the seed format.

Guarantees: one file per story (``DIR/news/``), topic (``DIR/topics/``) and outlet
(``DIR/organizations/``), named by its source file where known; importing then
exporting gives back the same data; exporting twice gives identical bytes and
leaves unchanged files untouched; every file is written atomically. The run ends
with one summary line and exits 1 if any file could not be written.
"""

import datetime as dt
import sys

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from articles.export.exporter import export_to
from articles.models import Article, Topic
from articles.reports import RunReporter
from providers.models import Provider


class Command(BaseCommand):
    help = (
        "Write every story to DIR/news/, and topics and outlets to DIR/topics/ and "
        "DIR/organizations/, in the format import_articles reads."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", metavar="DIR", help="The folder to write to.")
        parser.add_argument(
            "--published-only", action="store_true", help="Only stories the public can see."
        )
        parser.add_argument(
            "--since",
            metavar="DATE",
            help="Only stories published at or after DATE (YYYY-MM-DD or an ISO date and time).",
        )
        parser.add_argument("--topic", help="Only stories of this topic (its slug or name).")
        parser.add_argument("--provider", help="Only stories of this outlet (its domain).")
        parser.add_argument(
            "--no-taxonomy",
            action="store_true",
            help="Write the stories only, not the topic and organization files.",
        )

    def handle(self, *args, directory, verbosity, **options):
        articles = self.selected_articles(options)
        with RunReporter(self, verbosity) as reporter:
            report = export_to(
                directory,
                articles,
                taxonomy=not options["no_taxonomy"],
                on_problem=reporter.problem,
                on_progress=reporter.on_progress,
            )
        reporter.summary(report)
        if report.failed:
            sys.exit(1)

    def selected_articles(self, options):
        articles = Article.objects.all()
        if options["published_only"]:
            articles = articles.published()
        if options["since"]:
            articles = articles.filter(published_at__gte=parse_since(options["since"]))
        if options["topic"]:
            value = options["topic"]
            topic = Topic.objects.filter(Q(slug=value) | Q(name=value)).first()
            if topic is None:
                raise CommandError(f"--topic: no topic has the slug or name {value!r}")
            articles = articles.filter(topics=topic)
        if options["provider"]:
            domain = options["provider"].strip().lower()
            if not Provider.objects.filter(domain=domain).exists():
                raise CommandError(f"--provider: no outlet has the domain {domain!r}")
            articles = articles.filter(provider__domain=domain)
        return articles


def parse_since(text):
    """A date (midnight UTC) or an ISO date and time (UTC when it names no zone)."""
    try:
        value = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        raise CommandError(f"--since: {text!r} is not a date (YYYY-MM-DD)") from None
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
