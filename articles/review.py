"""Editorial review of stories the importer has just written: their coverage (for
the review queue's order) and the enabled rules. The importer makes one call,
:func:`after_import`, per batch and inside the batch's transaction, so no story is
ever visible before the rules have seen it."""

from collections import Counter

from django.db.models import Count, OuterRef

from .admin.counts import row_count
from .models import Article, RelatedLink, RuleHit
from .rules.engine import enabled_rules, run_rules


def after_import(article_ids, now):
    """Refresh the stories' coverage, then run the enabled rules on them."""
    refresh_coverage(article_ids)
    return run_rules(enabled_rules(), article_ids, RuleHit.Via.IMPORT, now)


def refresh_coverage(article_ids):
    """Coverage: the story itself plus the related stories its source lists."""
    related = RelatedLink.objects.filter(article_id=OuterRef("pk"))
    Article.objects.filter(pk__in=list(article_ids)).update(coverage=1 + row_count(related))


def import_actions(now):
    """What rules did during the import run that started at ``now`` (its hits' time)."""
    rows = (
        RuleHit.objects.filter(via=RuleHit.Via.IMPORT, at=now)
        .values_list("action")
        .order_by()
        .annotate(n=Count("pk"))
    )
    return Counter(dict(rows))
