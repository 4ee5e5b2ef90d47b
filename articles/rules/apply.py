"""A rule over every stored story: the preview before it goes live, and "apply to
existing stories". Both scan in primary-key batches, narrowing each batch in the
database (outlet, topic, ranges) before the patterns run."""

from collections import Counter
from dataclasses import dataclass, field

from articles.review_states import DecidedBy

from .engine import BATCH, run_rules
from .matching import load_facts, matches, narrow
from .models import RuleHit

SCAN_BATCH = 2000
SAMPLE_SIZE = 10


@dataclass
class Preview:
    count: int
    sample: list
    """Up to ``SAMPLE_SIZE`` matching stories, newest first."""
    editor_decided: int
    """Matching stories an editor decided: the rule would leave them alone."""


@dataclass
class ApplyReport:
    matched: int = 0
    actions: Counter = field(default_factory=Counter)

    def summary(self):
        taken = sum(self.actions.values())
        return f"{self.matched} stored stories match; {taken} {_actions(taken)} taken."


def _actions(count):
    return "action" if count == 1 else "actions"


def matching_ids(rule, on_progress=None):
    """Primary keys of every stored story the rule's conditions select."""
    from articles.models import Article

    stories = narrow(rule, Article.objects.all())
    total = stories.count() if on_progress else None
    found, last, scanned = [], 0, 0
    while True:
        batch = load_facts(stories.filter(pk__gt=last).order_by("pk")[:SCAN_BATCH])
        if not batch:
            return found
        found.extend(story.pk for story in batch if matches(rule, story))
        last = batch[-1].pk
        scanned += len(batch)
        if on_progress:
            on_progress(scanned, total)


def preview(rule):
    """How many stored stories the rule matches, and a sample: before it is switched on."""
    from articles.models import Article

    ids = matching_ids(rule)
    sample, editor = [], 0
    for start in range(0, len(ids), BATCH):
        chunk = Article.objects.filter(pk__in=ids[start : start + BATCH])
        editor += chunk.filter(decided_by=DecidedBy.EDITOR).count()
        sample.extend(
            chunk.select_related("provider")
            .only("pk", "title", "published_at", "review_state", "quality", "provider__name")
            .order_by("-published_at", "-id")[:SAMPLE_SIZE]
        )
    sample.sort(key=lambda story: (story.published_at, story.pk), reverse=True)
    return Preview(count=len(ids), sample=sample[:SAMPLE_SIZE], editor_decided=editor)


def apply_to_stored(rule, on_progress=None):
    """Run ``rule`` on every stored story it matches (enabled or not): the on-demand action.

    Idempotent: a state or score a rule already gave stays (see ``engine``), and a
    topic already present is not added again, so running it twice takes no new action.
    This is the function a background job calls.
    """
    ids = matching_ids(rule, on_progress=on_progress)
    return ApplyReport(matched=len(ids), actions=run_rules([rule], ids, RuleHit.Via.APPLY))
