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

A version also keeps the story's topics (``topic_slugs``: their slugs in the
story's order, space-separated), filled by the same ``INSERT ... SELECT`` and, for
a plain ``save()``, by :func:`fill_topics`; a change of topics through the ORM
leaves a version too (:func:`topics_changed`). Compare shows them, revert puts
them back. The story form saves its topics after the story's row, so it records
its one version itself once both are written (``ArticleAdmin.save_related``).
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.admin.models import CHANGE, LogEntry
from django.db import connections, router, transaction
from django.db.models.signals import m2m_changed
from django.dispatch import receiver
from django.utils import timezone
from simple_history.signals import pre_create_historical_record

from newsroom import pagecache

from .models import Article
from .review_states import record_editor_change
from .search import update_search_vectors

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
``cluster_pinned`` (the cluster tools' own); ``published`` follows ``review_state``.
The topics are put back too (``topic_slugs``), when the version kept them."""


def is_reverted(change):
    """Whether a revert puts back this :class:`FieldChange` (a field or the topics)."""
    return change.name in REVERTED_FIELDS or change.name == "topics"


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
    names = [*columns, *(quote(field.column) for field in extra_fields)]
    selected = [*columns, *placeholders]
    # An older migration's models may predate the kept topics (0018).
    if any(field.name == TOPICS for field in meta.concrete_fields):
        names.append(quote(TOPICS))
        selected.append(topic_slugs_sql(db, article_model))
    sql = "INSERT INTO {} ({}) SELECT {} FROM {}".format(
        quote(meta.db_table),
        ", ".join(names),
        ", ".join(selected),
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


TOPICS = "topic_slugs"
"""The version's column holding the story's topics (``VersionSource`` in models.py)."""


def topic_slugs_sql(db, article_model=Article, story=None):
    """SQL for the topics of the story in ``story`` (by default the story table's row
    being read): their slugs in the story's order, space-separated, '' for none."""
    meta = article_model._meta
    topics = meta.get_field("topics")
    through = topics.remote_field.through._meta
    topic_meta = topics.related_model._meta
    quote = db.ops.quote_name
    story = story or f"{quote(meta.db_table)}.{quote(meta.pk.column)}"
    link, topic = quote(through.db_table), quote(topic_meta.db_table)
    article_fk = quote(through.get_field(topics.m2m_field_name()).column)
    topic_fk = quote(through.get_field(topics.m2m_reverse_field_name()).column)
    slug, order = f"{topic}.{quote('slug')}", f"{link}.{quote(through.pk.column)}"
    rows = (
        f"FROM {link} JOIN {topic} ON {topic}.{quote(topic_meta.pk.column)} = {link}.{topic_fk} "
        f"WHERE {link}.{article_fk} = {story}"
    )
    if db.vendor == "postgresql":
        aggregate = f"SELECT string_agg({slug}, ' ' ORDER BY {order}) {rows}"
    else:
        # SQLite before 3.44 has no ORDER BY inside an aggregate: it concatenates
        # in the order of the subquery's rows.
        ordered = f"SELECT {slug} AS slug {rows} ORDER BY {order}"
        aggregate = f"SELECT group_concat(slug, ' ') FROM ({ordered})"
    return f"COALESCE(({aggregate}), '')"


def topic_slugs_of(article_id):
    """The story's topics as a version keeps them (``topic_slugs``), read now."""
    slugs = (
        Article.topics.through.objects.filter(article_id=article_id)
        .order_by("pk")
        .values_list("topic__slug", flat=True)
    )
    return " ".join(slugs)


@receiver(pre_create_historical_record, sender=Article.history.model, dispatch_uid="topics")
def fill_topics(sender, instance, history_instance, **kwargs):
    """A version made by simple-history's signal (a plain ``save()``) keeps the topics too."""
    history_instance.topic_slugs = topic_slugs_of(instance.pk)


@receiver(m2m_changed, sender=Article.topics.through, dispatch_uid="versions_on_topics")
def topics_changed(sender, instance, action, reverse, pk_set, using, **kwargs):
    """Topics changed through the ORM (``story.topics.set()``, ``topic.articles.add()``):
    a version of each story touched. A save that records its own version afterwards
    (the story form) marks the story with ``skip_history_when_saving``."""
    if action == "pre_clear" and reverse:
        instance._versions_cleared = list(instance.articles.values_list("pk", flat=True))
        return
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if not reverse:
        if not hasattr(instance, "skip_history_when_saving") and (pk_set or action == "post_clear"):
            record_versions([instance.pk], reason="Topics changed", using=using)
        return
    ids = pk_set if action != "post_clear" else instance.__dict__.pop("_versions_cleared", [])
    if ids:
        record_versions(ids, reason=f"Topics changed: {instance.name}", using=using)


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
    """Field by field, what differs between two versions (or a version and the story),
    the topics last (unless either side is a version from before topics were kept)."""
    changes = []
    for field in compared_fields():
        old, new = getattr(before, field.attname), getattr(after, field.attname)
        if old != new:
            changes.append(FieldChange(field.name, field.verbose_name, old, new))
    old, new = topics_of(before), topics_of(after)
    if old is not None and new is not None and old != new:
        changes.append(FieldChange("topics", "topics", shown_topics(old), shown_topics(new)))
    return changes


def topics_of(version_or_story):
    """The ``topic_slugs`` of a version (None if it predates them), or a story's now."""
    if isinstance(version_or_story, Article):
        return topic_slugs_of(version_or_story.pk)
    return getattr(version_or_story, TOPICS)


def shown_topics(slugs):
    return ", ".join(slugs.split()) or "(no topics)"


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
        topic_ids = _reverted_topics(article, version)
        if not changed and topic_ids is None:
            return []
        for name in changed:
            setattr(article, _attname(name), getattr(version, _attname(name)))
        # The editor's decision: decided_by becomes "editor", published follows the state.
        changed += record_editor_change(article, changed or ["topics"])
        label = version_label(version)
        # One version once the topics are back too, copied as stored (record_versions).
        article.skip_history_when_saving = True
        article.save()
        del article.skip_history_when_saving
        if topic_ids is not None:
            _set_topics(article.pk, topic_ids)
            changed.append("topics")
        record_versions([article.pk], user, reason=f"Reverted to {label}")
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


def _reverted_topics(article, version):
    """The topic ids to put back, in the version's order; None when they already agree
    or the version predates kept topics. A deleted topic refuses the revert."""
    wanted = getattr(version, TOPICS)
    if wanted is None or wanted == topic_slugs_of(article.pk):
        return None
    from .models import Topic

    slugs = wanted.split()
    found = dict(Topic.objects.filter(slug__in=slugs).values_list("slug", "pk"))
    missing = [slug for slug in slugs if slug not in found]
    if missing:
        raise RevertError(
            f"topics: no topic has the address {missing[0]!r} of {version_label(version)} "
            "any more (deleted, or its address changed); edit this story's topics instead."
        )
    return [found[slug] for slug in slugs]


def _set_topics(article_id, topic_ids):
    """The story's topic links rewritten in the given order (the link ids keep it)."""
    through = Article.topics.through
    through.objects.filter(article_id=article_id).delete()
    through.objects.bulk_create(through(article_id=article_id, topic_id=pk) for pk in topic_ids)
    update_search_vectors([article_id])
