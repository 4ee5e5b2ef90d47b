"""Editorial review of stories the importer has just written: the enabled rules
(their coverage comes with their clusters: ``clusters.outlets``). The importer makes one call,
:func:`after_import`, per batch and inside the batch's transaction, so no story is
ever visible before the rules have seen it."""

from collections import Counter

from django.db.models import Count

from .models import RuleHit
from .rules.engine import enabled_rules, run_rules


def after_import(article_ids, now):
    """Run the enabled rules on the stories."""
    return run_rules(enabled_rules(), article_ids, RuleHit.Via.IMPORT, now)


def import_actions(now):
    """What rules did during the import run that started at ``now`` (its hits' time)."""
    rows = (
        RuleHit.objects.filter(via=RuleHit.Via.IMPORT, at=now)
        .values_list("action")
        .order_by()
        .annotate(n=Count("pk"))
    )
    return Counter(dict(rows))
