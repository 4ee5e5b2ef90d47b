"""A story's editorial state, and the one rule tying it to the ``published`` flag.

``Article.review_state`` is one of four honest states:

- **waiting**: nobody has decided yet whether it goes public (the review queue);
- **published**: public (``published`` is true exactly in this state);
- **held**: kept off the site and out of the queue's first view, for later;
- **rejected**: junk; never public, out of the queue, recoverable by an editor.

``Article.decided_by`` says who put it there: the source file (``published: true``),
a rule, or an editor. Once an editor has decided anything about a story (its state,
its score, a form save), rules leave it alone and re-imports keep the editor's choice.

Code that only flips ``published`` (older code, tests, scripts) stays correct:
:func:`state_for_published` is applied by ``Article.save()``, ``bulk_create()`` and
``update()``, and a database constraint refuses any row where the two disagree.
"""

from django.db import models
from django.db.models import Case, F, Func, IntegerField, Value, When


class ReviewState(models.TextChoices):
    WAITING = "waiting", "Waiting"
    PUBLISHED = "published", "Published"
    HELD = "held", "Held"
    REJECTED = "rejected", "Rejected"


class DecidedBy(models.TextChoices):
    NOBODY = "", "Nobody yet"
    SOURCE = "source", "Source file"
    RULE = "rule", "Rule"
    EDITOR = "editor", "Editor"


OFF_SITE = (ReviewState.HELD, ReviewState.REJECTED)
"""States that are never public, whatever else a story says."""

RULES_MAY_DECIDE = (DecidedBy.NOBODY, DecidedBy.SOURCE)
"""Stories whose state only the file has set: rules run on them at import."""


def ranked_quality(quality=None):
    """The score with unscored stories as -1, so they sort last on every backend.

    The -1 is written into the SQL, not sent as a parameter: the database then sees
    the same expression in the query as in the index on it, and uses the index.
    ``quality`` is another reference to the score (an ``OuterRef``) if given."""
    return Func(
        quality if quality is not None else F("quality"),
        template="COALESCE(%(expressions)s, -1)",
        output_field=IntegerField(),
    )


def consistent_state():
    """The database constraint: ``published`` is true exactly in the published state."""
    return models.Q(published=True, review_state=ReviewState.PUBLISHED) | (
        models.Q(published=False) & ~models.Q(review_state=ReviewState.PUBLISHED)
    )


def state_for_published(published, review_state):
    """The state a story is in once ``published`` is set: the flag is the switch."""
    if published:
        return ReviewState.PUBLISHED
    return ReviewState.WAITING if review_state == ReviewState.PUBLISHED else review_state


def sync_update(values):
    """``values`` for ``QuerySet.update()`` with the flag and the state agreeing."""
    if "published" in values and "review_state" not in values:
        if values["published"]:
            values["review_state"] = ReviewState.PUBLISHED
        else:
            values["review_state"] = Case(
                When(review_state=ReviewState.PUBLISHED, then=Value(ReviewState.WAITING)),
                default=F("review_state"),
            )
    elif "review_state" in values and "published" not in values:
        values["published"] = values["review_state"] == ReviewState.PUBLISHED
    return values


def sync_instance(article):
    article.review_state = state_for_published(article.published, article.review_state)


def imported_state(old, file_published):
    """``published``, ``review_state`` and ``decided_by`` for a story the importer writes.

    ``old`` is the stored row (or None for a new story). A story a rule or an
    editor decided keeps that decision; so does one whose ``published`` an editor
    changed before states existed (it differs from what the last import set).
    Otherwise the file's ``published`` decides.
    """
    if old is not None and (
        old["decided_by"] not in RULES_MAY_DECIDE or old["published"] != old["imported_published"]
    ):
        return {
            "published": old["published"],
            "review_state": old["review_state"],
            "decided_by": old["decided_by"],
        }
    if file_published:
        return {
            "published": True,
            "review_state": ReviewState.PUBLISHED.value,
            "decided_by": DecidedBy.SOURCE.value,
        }
    return {
        "published": False,
        "review_state": ReviewState.WAITING.value,
        "decided_by": DecidedBy.NOBODY.value,
    }


def record_editor_change(article, changed):
    """An editor saved ``article`` with the fields ``changed`` (a form or a list edit).

    Any change is the editor's decision. Ticking ``published`` off holds the story;
    choosing a state sets the flag. Returns the fields this touched, to save.
    """
    if not changed:
        return []
    article.decided_by = DecidedBy.EDITOR
    if "review_state" in changed:
        article.published = article.review_state == ReviewState.PUBLISHED
    elif "published" in changed:
        article.review_state = ReviewState.PUBLISHED if article.published else ReviewState.HELD
    return ["decided_by", "review_state", "published"]


SCHEDULED = "Scheduled"
"""Published, but its embargo (``publish_at``) has not lifted yet: not public."""
ENDED = "Ended"
"""Published, but its ``unpublish_at`` has passed: no longer public."""


def shown_state(article, now):
    """The state as editors see it: a published story outside its public window says why.

    The same rules as filters: :func:`scheduled_condition`, :func:`ended_condition`."""
    if article.review_state == ReviewState.PUBLISHED:
        if article.publish_at is not None and article.publish_at > now:
            return SCHEDULED
        if article.unpublish_at is not None and article.unpublish_at <= now:
            return ENDED
    return article.get_review_state_display()


def scheduled_condition(now):
    """The stories :func:`shown_state` calls Scheduled at ``now``, as a filter."""
    return models.Q(review_state=ReviewState.PUBLISHED, publish_at__gt=now)


def ended_condition(now):
    """The stories :func:`shown_state` calls Ended at ``now`` (a later end follows a
    later start, a constraint says, so none of them is also Scheduled)."""
    return models.Q(review_state=ReviewState.PUBLISHED, unpublish_at__lte=now)


def leaving_condition(now):
    """Published and public at ``now``, with a time set for it to leave the site."""
    return models.Q(review_state=ReviewState.PUBLISHED, unpublish_at__gt=now) & (
        models.Q(publish_at__isnull=True) | models.Q(publish_at__lte=now)
    )
