"""The articles app's long jobs, run by the background worker (see jobs/registry.py).

Each calls the same function as its command or admin action, so the two cannot
drift: re-clustering is ``cluster_stories``'s ``recluster()``, applying rules is
the rules admin's ``apply_to_stored()``.
"""

from jobs import registry

from .clusters.assign import recluster
from .models import Rule
from .rules.apply import apply_to_stored


@registry.register(
    "apply_rules",
    label="Apply rules to stored stories",
    unit="stories",
    permission="articles.change_rule",
)
def run_apply_rules(job, progress):
    """The rules named in the job's options (every enabled rule if none), in their order."""
    rule_ids = job.options.get("rule_ids")
    rules = Rule.objects.filter(pk__in=rule_ids) if rule_ids else Rule.objects.filter(enabled=True)
    lines = []
    for rule in rules.order_by("position", "id"):
        report = apply_to_stored(rule, on_progress=progress.update)
        lines.append(f"{rule}: {report.summary()}")
    if not lines:
        raise registry.JobError("no rule to apply: switch one on, or pick rules in the list")
    return registry.Outcome(summary=" ".join(lines))


@registry.register(
    "cluster_stories",
    label="Re-cluster every story",
    unit="stories",
    permission="articles.change_cluster",
)
def run_cluster_stories(job, progress):
    plan = recluster(dry_run=job.options.get("dry_run", False))
    verb = "would move" if job.options.get("dry_run") else "moved"
    return registry.Outcome(
        summary=(
            f"{len(plan.moves)} stories {verb}; {plan.new_clusters} new clusters, "
            f"{len(plan.emptied)} emptied."
        )
    )
