"""Recount the outlets' stored scorecard figures (``providers.figures``).

Guarantees: each outlet counted is counted from scratch over all its stories, one
outlet per transaction, so the admin's list shows what counting gives; a change
made meanwhile marks its outlets stale again. Needed after the migration that
adds the stored figures, or to mend figures whose queued recount was lost;
otherwise the worker recounts after each change by itself.
"""

from django.core.management.base import BaseCommand

from providers import figures


class Command(BaseCommand):
    help = "Recount every outlet's stored scorecard figures (or only those awaiting it)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--due",
            action="store_true",
            help="Only the outlets marked stale or past a scheduled time.",
        )

    def handle(self, *args, due, verbosity, **options):
        counted = figures.recount_due() if due else figures.recount_all()
        if verbosity:
            self.stdout.write(self.style.SUCCESS(f"{counted} outlets recounted."))
