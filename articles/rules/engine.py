"""Run rules over stories: what happens when several match, and the hits recorded.

Rules run in their order (``position``, then age). For each story:

- conditions look at the story as it was before any rule acted, so the order of
  rules never changes which ones match;
- the first matching rule that decides the state (hold, publish, reject) wins; later
  state rules are skipped. A story whose state a rule already decided (an earlier
  hit) keeps it;
- likewise the first matching "set quality" wins, and a score a rule gave before stays;
- every matching "add topic" adds its topic (unless the story already has it);
- a story an editor has decided (``decided_by == "editor"``) is never touched.

Every action taken is recorded as a :class:`RuleHit`. Rules never override an editor,
even one deciding while the rules run: the stories are locked for the batch.
"""

from collections import Counter

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from articles.review_states import DecidedBy, ReviewState
from newsroom.pagecache import pages_changed

from .matching import load_facts, matches
from .models import STATE_ACTIONS, Action, Rule, RuleHit

STATE_FOR_ACTION = {
    Action.HOLD: ReviewState.HELD,
    Action.PUBLISH: ReviewState.PUBLISHED,
    Action.REJECT: ReviewState.REJECTED,
}

BATCH = 500
"""Stories per transaction (and under every backend's limit on query parameters)."""


def enabled_rules():
    return list(Rule.objects.filter(enabled=True).order_by("position", "id"))


def run_rules(rules, article_ids, via, now=None):
    """Apply ``rules`` (in order) to the stories ``article_ids``; a Counter of actions taken."""
    counts = Counter()
    if not rules:
        return counts
    article_ids = list(article_ids)
    for start in range(0, len(article_ids), BATCH):
        counts += _run_batch(rules, article_ids[start : start + BATCH], via, now or timezone.now())
    return counts


def _run_batch(rules, article_ids, via, now):
    from articles.models import Article

    with transaction.atomic():
        stories = (
            Article.objects.filter(pk__in=article_ids)
            .exclude(decided_by=DecidedBy.EDITOR)
            .select_for_update(of=("self",))
        )
        facts = load_facts(stories)
        taken = _taken(facts)
        plan = _Plan()
        for story in facts:
            for rule in rules:
                if matches(rule, story):
                    plan.consider(rule, story, taken.setdefault(story.pk, set()))
        plan.write(via, now)
    return plan.counts


def _taken(facts):
    """Per story, what earlier rule hits already decided: "state" and/or "quality"."""
    taken = {}
    hits = RuleHit.objects.filter(
        Q(action__in=STATE_ACTIONS) | Q(action=Action.SET_QUALITY),
        article_id__in=[story.pk for story in facts],
    ).values_list("article_id", "action")
    for article_id, action in hits.distinct():
        taken.setdefault(article_id, set()).add(
            "quality" if action == Action.SET_QUALITY else "state"
        )
    return taken


class _Plan:
    """The actions decided for a batch, written with a few statements at the end."""

    def __init__(self):
        self.states = {}  # story pk -> new state
        self.qualities = {}  # story pk -> score
        self.topics = set()  # (story pk, topic pk)
        self.hits = []
        self.counts = Counter()

    def consider(self, rule, story, taken):
        if rule.action in STATE_ACTIONS:
            if "state" in taken:
                return
            taken.add("state")
            self.states[story.pk] = STATE_FOR_ACTION[rule.action]
        elif rule.action == Action.SET_QUALITY:
            if "quality" in taken:
                return
            taken.add("quality")
            self.qualities[story.pk] = rule.action_quality
        elif rule.action == Action.ADD_TOPIC:
            if rule.action_topic_id in story.topic_ids:
                return
            story.topic_ids = story.topic_ids | {rule.action_topic_id}
            self.topics.add((story.pk, rule.action_topic_id))
        self.hits.append((rule, story.pk))
        self.counts[rule.action] += 1

    def write(self, via, now):
        from articles.clusters import leads
        from articles.models import Article
        from articles.search import update_search_vectors
        from providers import figures

        for state in set(self.states.values()):
            pks = [pk for pk, wanted in self.states.items() if wanted == state]
            Article.objects.filter(pk__in=pks).update(
                published=state == ReviewState.PUBLISHED,
                review_state=state,
                decided_by=DecidedBy.RULE,
                updated_at=now,
            )
        for quality in set(self.qualities.values()):
            pks = [pk for pk, wanted in self.qualities.items() if wanted == quality]
            Article.objects.filter(pk__in=pks).update(quality=quality, updated_at=now)
        if self.topics:
            through = Article.topics.through
            through.objects.bulk_create(
                [through(article_id=a, topic_id=t) for a, t in self.topics], ignore_conflicts=True
            )
            update_search_vectors(sorted({a for a, _ in self.topics}))
        if self.hits:
            self.record_versions()
            figures.mark_stale(stories=[*self.states, *self.qualities])
            leads.stories_rescored(self.qualities)
            # update() sends no signals: retire the cached public pages once it commits.
            transaction.on_commit(pages_changed)
        RuleHit.objects.bulk_create(
            RuleHit(
                rule=rule,
                article_id=pk,
                action=rule.action,
                detail=rule.action_detail(),
                via=via,
                at=now,
            )
            for rule, pk in self.hits
        )

    def record_versions(self):
        """One version per story acted on, naming the rules that acted (one INSERT per set)."""
        from articles.history import record_versions

        names = {}
        for rule, pk in self.hits:
            names.setdefault(pk, []).append(rule.name)
        by_rules = {}
        for pk, rules in names.items():
            by_rules.setdefault(", ".join(rules), []).append(pk)
        for rules, pks in by_rules.items():
            record_versions(pks, source=f"rule: {rules}", reason=f"Rule applied: {rules}")
