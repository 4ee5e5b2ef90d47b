"""Re-cluster every stored story (after a change of method or threshold).

Guarantees: the result depends only on the stories themselves, not on the order they
were imported in; stories an editor placed stay where they are and clusters an editor
split stay apart; leads an editor chose are kept; ``--dry-run`` prints what would
change and writes nothing. The import clusters new stories by itself: this command
is not needed after an import.
"""

from django.core.management.base import BaseCommand

from articles.clusters.assign import recluster
from articles.models import Article


class Command(BaseCommand):
    help = "Recompute every story's cluster; editors' merges, splits and leads are kept."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Print the stories that would change cluster; write nothing.",
        )

    def handle(self, *args, dry_run, verbosity, **options):
        plan = recluster(dry_run=dry_run)
        if dry_run or verbosity > 1:
            titles = dict(
                Article.objects.filter(pk__in=list(plan.moves)).values_list("pk", "title")
            )
            for pk, (old, new) in sorted(plan.moves.items()):
                source = f"cluster {old}" if old is not None else "no cluster"
                target = f"new cluster {new[1]}" if isinstance(new, tuple) else f"cluster {new}"
                self.stdout.write(f"story {pk} “{titles.get(pk, '')}”: {source} → {target}")
        verb = "would move" if dry_run else "moved"
        if verbosity == 0 and not dry_run:
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"{len(plan.moves)} stories {verb}; {plan.new_clusters} new clusters, "
                f"{len(plan.emptied)} emptied."
            )
        )
