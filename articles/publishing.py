"""The editors' decisions on stories, in bulk: publish, hold, reject, unpublish, score, schedule.

The admin's bulk actions, list edits and the review queue call these; so can
scripts and tests. Each function changes only the stories whose value really
differs, in one UPDATE (which also bumps ``updated_at``, since ``auto_now`` does
not run for ``update()``), records one admin history entry and one version
(articles/history.py) per changed story, and returns how many changed.

Every change is an editor's decision (``decided_by = "editor"``): rules never act
on the story again and re-imports keep the editor's choice (see review_states.py).
"""

import datetime

from django.contrib.admin.models import CHANGE, LogEntry
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import capfirst

from newsroom import pagecache
from providers import figures

from . import validators
from .clusters import leads
from .history import record_versions
from .models import Article
from .review_states import DecidedBy, ReviewState


def publish(articles, user):
    """Make the stories visible on the public site."""
    return decide(articles, user, ReviewState.PUBLISHED, logged="published", reason="Published")


def unpublish(articles, user):
    """Take published stories off the public site: they are held (an editor's choice)."""
    published = articles.filter(review_state=ReviewState.PUBLISHED)
    return decide(published, user, ReviewState.HELD, logged="published", reason="Unpublished")


def hold(articles, user):
    """Keep the stories off the site and out of the queue's first view."""
    return decide(articles, user, ReviewState.HELD, reason="Held")


def reject(articles, user):
    """Junk: never public, out of the queue; an editor can still change their mind."""
    return decide(articles, user, ReviewState.REJECTED, reason="Rejected")


def decide(articles, user, state, logged="review_state", reason=None):
    """Put the stories in ``state`` as the editor's decision (those not in it already)."""
    values = {
        "review_state": state,
        "published": state == ReviewState.PUBLISHED,
        "decided_by": DecidedBy.EDITOR,
    }
    reason = reason or f"Review state set to {state.label.lower()}"
    return _set(articles, user, values, Q(review_state=state), [logged], reason)


def set_quality(articles, user, quality):
    """Give every story the editorial score ``quality`` (None clears it)."""
    try:
        validators.QUALITY(quality)
    except ValidationError as error:
        raise ValueError(f"quality: {validators.messages_of(error)}") from None
    # A NULL score does change to a score: Q(quality=None) is "IS NULL".
    unchanged = Q(quality__isnull=True) if quality is None else Q(quality=quality)
    values = {"quality": quality, "decided_by": DecidedBy.EDITOR}
    shown = "empty" if quality is None else quality
    return _set(articles, user, values, unchanged, ["quality"], f"Quality set to {shown}")


def schedule(articles, user, publish_at, unpublish_at):
    """Give every story the public window ``publish_at``..``unpublish_at`` (None: open).

    The times take effect by themselves (the public rule compares them with the
    current time); a story that is not published stays off the site whatever they say.
    """
    try:
        validators.check_schedule(publish_at, unpublish_at)
    except ValidationError as error:
        raise ValueError(f"unpublish_at: {validators.messages_of(error)}") from None
    window = {"publish_at": publish_at, "unpublish_at": unpublish_at}
    values = {**window, "decided_by": DecidedBy.EDITOR}
    # Q(field=None) is "IS NULL": a story without a time already has "no time".
    reason = f"Scheduled: from {_shown_time(publish_at)} until {_shown_time(unpublish_at)}"
    return _set(articles, user, values, Q(**window), ["publish_at", "unpublish_at"], reason)


def _shown_time(moment):
    return "open" if moment is None else f"{moment.astimezone(datetime.UTC):%Y-%m-%d %H:%M} UTC"


def restore(article, user, review_state, decided_by, quality):
    """Put one story back as it was before the editor's last action (the queue's undo)."""
    values = {
        "review_state": review_state,
        "published": review_state == ReviewState.PUBLISHED,
        "decided_by": decided_by,
        "quality": quality,
    }
    stories = Article.objects.filter(pk=article.pk)
    reason = "Undone in the review queue"
    return _set(stories, user, values, Q(**values), ["review_state", "quality"], reason)


# Stay under every backend's limit on query parameters (SQLite's is the lowest).
BATCH = 500


def _set(articles, user, values, unchanged, logged_fields, reason):
    changing = articles.exclude(unchanged).select_related(None).prefetch_related(None).order_by()
    with transaction.atomic():
        # Lock the rows (PostgreSQL; SQLite's write transaction already excludes
        # other writers) and update exactly those, so the history names exactly
        # the stories that changed even if an import adds matching ones meanwhile.
        changed = list(changing.select_for_update(of=("self",)).only("pk", "title"))
        now = timezone.now()
        for start in range(0, len(changed), BATCH):
            pks = [article.pk for article in changed[start : start + BATCH]]
            Article.objects.filter(pk__in=pks).update(**values, updated_at=now)
        if changed:
            record_versions([article.pk for article in changed], user, reason=reason)
            figures.mark_stale(stories=[article.pk for article in changed])
            if "quality" in values:
                leads.stories_rescored([article.pk for article in changed])
            LogEntry.objects.log_actions(
                user_id=user.pk,
                queryset=changed,
                action_flag=CHANGE,
                change_message=[{"changed": {"fields": [_label(f) for f in logged_fields]}}],
            )
            # update() sends no signals: retire the cached pages once it commits.
            transaction.on_commit(pagecache.pages_changed)
    return len(changed)


def _label(field):
    """The field's name as the admin's own change messages spell it."""
    return capfirst(Article._meta.get_field(field).verbose_name)
