"""The editors' publishing rules: publish, unpublish and score stories in bulk.

The admin's bulk actions call these; so can scripts and tests. Each function
changes only the stories whose value really differs, in one UPDATE (which also
bumps ``updated_at``, since ``auto_now`` does not run for ``update()``), records
one admin history entry per changed story, and returns how many changed.

The importer recognises editors' changes by comparing with ``imported_published``
and ``imported_quality``, so nothing else is needed for a change to survive a
re-import.
"""

from django.contrib.admin.models import CHANGE, LogEntry
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import capfirst

from newsroom import pagecache

from . import validators
from .models import Article


def publish(articles, user):
    """Make the stories visible on the public site."""
    return _set(articles, user, "published", True)


def unpublish(articles, user):
    """Take the stories off the public site."""
    return _set(articles, user, "published", False)


def set_quality(articles, user, quality):
    """Give every story the editorial score ``quality`` (None clears it)."""
    try:
        validators.QUALITY(quality)
    except ValidationError as error:
        raise ValueError(f"quality: {validators.messages_of(error)}") from None
    return _set(articles, user, "quality", quality)


# Stay under every backend's limit on query parameters (SQLite's is the lowest).
BATCH = 500


def _set(articles, user, field, value):
    # exclude() keeps NULLs: a story without a score does change to a score.
    lookup = {f"{field}__isnull": True} if value is None else {field: value}
    changing = articles.exclude(**lookup).select_related(None).prefetch_related(None).order_by()
    with transaction.atomic():
        # Lock the rows (PostgreSQL; SQLite's write transaction already excludes
        # other writers) and update exactly those, so the history names exactly
        # the stories that changed even if an import adds matching ones meanwhile.
        changed = list(changing.select_for_update(of=("self",)).only("pk", "title"))
        now = timezone.now()
        for start in range(0, len(changed), BATCH):
            pks = [article.pk for article in changed[start : start + BATCH]]
            Article.objects.filter(pk__in=pks).update(**{field: value}, updated_at=now)
        if changed:
            LogEntry.objects.log_actions(
                user_id=user.pk,
                queryset=changed,
                action_flag=CHANGE,
                change_message=[{"changed": {"fields": [_label(field)]}}],
            )
            # update() sends no signals: retire the cached pages once it commits.
            transaction.on_commit(pagecache.pages_changed)
    return len(changed)


def _label(field):
    """The field's name as the admin's own change messages spell it."""
    return capfirst(Article._meta.get_field(field).verbose_name)
