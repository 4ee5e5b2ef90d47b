"""Stories' versions: every change leaves one an editor can compare and revert to.

django-simple-history keeps the versions (``Article.history``, the table
``articles_historicalarticle``). Its signal records a version on every
``Article.save()`` (the story form, a revert, scripts); the writes that bypass
signals — ``publishing._set``'s ``update()``, rules, cluster tools, list edits and
the importer's batched upserts — call :func:`record_versions` once per batch, which
copies the stories' rows in one ``INSERT ... SELECT`` (no query per story).

A version says who acted (``history_user``, or ``history_source`` such as
``"import"`` or ``"rule: NAME"`` when no editor did) and why
(``history_change_reason``). Which fields a version leaves out, and why:
``HISTORY_EXCLUDED_FIELDS`` in ``articles/models.py``.
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.admin.models import CHANGE, LogEntry
from django.db import connections, router, transaction
from django.utils import timezone

from newsroom import pagecache

from .models import Article
from .review_states import record_editor_change

CREATED, CHANGED = "+", "~"

BATCH = 500
"""Stories per ``INSERT ... SELECT`` (under every backend's limit on query parameters)."""

REVERTED_FIELDS = [
    "slug",
    "title",
    "excerpt",
    "body",
    "category",
    "type",
    "published_at",
    "publish_at",
    "unpublish_at",
    "original_url",
    "amp_web_url",
    "cdn_amp_web_url",
    "quality",
    "heat",
    "review_state",
    "provider",
]
"""What a revert puts back: the fields an editor edits. Not the address (``web_url``,
the story's identity), nor ``decided_by`` (a revert is the editor's decision) nor
``cluster_pinned`` (the cluster tools' own); ``published`` follows ``review_state``."""


def tracked_fields(article_model=Article):
    """The story's columns a version copies, in the model's order."""
    from .models import HISTORY_EXCLUDED_FIELDS

    return [
        field
        for field in article_model._meta.concrete_fields
        if field.name not in HISTORY_EXCLUDED_FIELDS
    ]


def record_versions(
    article_ids, user=None, source="", reason="", kind=CHANGED, models=None, using=None
):
    """One version of each story in ``article_ids`` as it is stored now; how many.

    ``user`` is the editor (or None), ``source`` who acted otherwise ("import",
    "rule: NAME"), ``reason`` why. ``article_ids=None`` copies every story (the
    migration's baseline). ``models`` is ``(Article, HistoricalArticle)``, given by
    a migration; by default the current ones.
    """
    article_model, history_model = models or (Article, Article.history.model)
    db = connections[using or router.db_for_write(article_model)]
    quote = db.ops.quote_name
    columns = [quote(field.column) for field in tracked_fields(article_model)]
    meta = history_model._meta
    extra_fields = [
        meta.get_field(name)
        for name in (
            "history_date",
            "history_type",
            "history_change_reason",
            "history_user",
            "history_source",
        )
    ]
    values = [
        extra_fields[0].get_db_prep_save(timezone.now(), db),
        kind,
        reason,
        user.pk if user is not None else None,
        source[: extra_fields[4].max_length],
    ]
    if db.vendor == "postgresql":
        # Untyped literals in a SELECT list become text there: state each type.
        placeholders = [f"CAST(%s AS {field.db_type(db)})" for field in extra_fields]
    else:
        placeholders = ["%s"] * len(extra_fields)
    sql = "INSERT INTO {} ({}, {}) SELECT {}, {} FROM {}".format(
        quote(meta.db_table),
        ", ".join(columns),
        ", ".join(quote(field.column) for field in extra_fields),
        ", ".join(columns),
        ", ".join(placeholders),
        quote(article_model._meta.db_table),
    )
    pk = quote(article_model._meta.pk.column)
    written = 0
    with db.cursor() as cursor:
        if article_ids is None:
            cursor.execute(f"{sql} ORDER BY {pk}", values)
            return cursor.rowcount
        ids = sorted(set(article_ids))
        for start in range(0, len(ids), BATCH):
            chunk = ids[start : start + BATCH]
            where = f" WHERE {pk} IN ({', '.join(['%s'] * len(chunk))}) ORDER BY {pk}"
            cursor.execute(sql + where, [*values, *chunk])
            written += cursor.rowcount
    return written


def import_records_versions():
    """Whether the importer records versions (``NEWSROOM_HISTORY_ON_IMPORT``)."""
    return getattr(settings, "NEWSROOM_HISTORY_ON_IMPORT", True)


def versions_of(article_id):
    """A story's versions, newest first (``history_id`` orders them: dates may tie)."""
    return (
        Article.history.model.objects.filter(id=article_id)
        .select_related("history_user")
        .order_by("-history_id")
    )


def latest_version_id(article_id):
    """The newest version's id, or None for a story with none: the story form's token."""
    return versions_of(article_id).values_list("history_id", flat=True).first()


def who(version):
    """The editor's name, or the import or rule that made the version."""
    if version.history_user_id is not None:
        user = version.history_user
        return user.get_username() if user is not None else f"user {version.history_user_id}"
    return version.history_source or "unknown (a script)"


@dataclass
class FieldChange:
    name: str
    label: str
    before: object
    after: object


def compared_fields():
    """The fields a comparison shows: every tracked one but the id."""
    return [field for field in tracked_fields() if not field.primary_key]


def differences(before, after):
    """Field by field, what differs between two versions (or a version and the story)."""
    changes = []
    for field in compared_fields():
        old, new = getattr(before, field.attname), getattr(after, field.attname)
        if old != new:
            changes.append(FieldChange(field.name, field.verbose_name, old, new))
    return changes


class RevertError(Exception):
    """A version that cannot be put back as it is (its message says why)."""


def revert(article_id, version, user):
    """Put the story back as ``version`` had it; the revert is a new version, and logged.

    Returns the names of the fields that changed. The editor decides
    (``decided_by = "editor"``), so rules leave the story alone afterwards and a
    re-import keeps the editor's state and score, as for any editor's save.
    """
    with transaction.atomic():
        article = Article.objects.select_for_update().get(pk=article_id)
        if version.id != article.pk:
            raise RevertError(f"Version {version.history_id} is not a version of this story.")
        changed = [
            name
            for name in REVERTED_FIELDS
            if getattr(article, _attname(name)) != getattr(version, _attname(name))
        ]
        _check_revertable(article, version, changed)
        for name in changed:
            setattr(article, _attname(name), getattr(version, _attname(name)))
        if not changed:
            return []
        # The editor's decision: decided_by becomes "editor", published follows the state.
        changed += record_editor_change(article, changed)
        label = version_label(version)
        article._history_user = user
        article._change_reason = f"Reverted to {label}"
        article.save()
        LogEntry.objects.log_actions(
            user_id=user.pk,
            queryset=[article],
            action_flag=CHANGE,
            change_message=f"Reverted to {label}.",
        )
        transaction.on_commit(pagecache.pages_changed)
    return sorted(set(changed))


def version_label(version):
    stamp = timezone.localtime(version.history_date).strftime("%Y-%m-%d %H:%M:%S")
    return f"version {version.history_id} ({stamp}, {who(version)})"


def _attname(name):
    return Article._meta.get_field(name).attname


def _check_revertable(article, version, changed):
    from providers.models import Provider

    if "slug" in changed and Article.objects.filter(slug=version.slug).exists():
        raise RevertError(
            f"slug: another story now has the address {version.slug!r}; "
            "change its address first, or edit this story instead."
        )
    if "provider" in changed and not Provider.objects.filter(pk=version.provider_id).exists():
        raise RevertError(
            f"provider: the outlet of {version_label(version)} was deleted; "
            "edit this story instead."
        )
