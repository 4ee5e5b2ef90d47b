"""Stories saved or deleted through the ORM (the admin's form and list edits, a version
reverted, scripts) keep their clusters, their clusters' coverage and their outlets'
figures right.

The bulk writers call ``articles.clusters`` or ``providers.figures`` themselves: the
importer, ``publishing``, the rules and the cluster tools.
"""

from articles.clusters import assign, leads, outlets
from articles.models import Article

from . import figures
from .models import Provider

COUNTED = ("provider_id", "cluster_id", "published_at", "quality", "published")
COUNTED += ("publish_at", "unpublish_at")
"""The columns an outlet's figures or a cluster's coverage read."""
SIGNED = ("published_at", "title", "excerpt", "web_url", "original_url")
SIGNED += ("amp_web_url", "cdn_amp_web_url")
"""The columns a story's clustering signature reads."""
REMEMBERED = tuple(dict.fromkeys(COUNTED + SIGNED))


def remember_outlet(sender, instance, raw=False, **kwargs):
    if raw or instance._state.adding or instance.pk is None:
        return
    before = Article.objects.filter(pk=instance.pk).values_list(*REMEMBERED)
    row = next(iter(before), None)
    instance._remembered = None if row is None else dict(zip(REMEMBERED, row, strict=True))


def _changed(remembered, instance, names):
    return any(remembered[name] != getattr(instance, name) for name in names)


def story_saved(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    remembered = instance.__dict__.pop("_remembered", None)
    if remembered is None:
        before = (None,) * len(COUNTED)
    else:
        if _changed(remembered, instance, SIGNED):
            _follow_words(instance)
        if not _changed(remembered, instance, COUNTED):
            return  # nothing counted changed: a topic, an image
        before = tuple(remembered[name] for name in COUNTED)
    provider, cluster = before[:2]
    if created or provider != instance.provider_id or cluster != instance.cluster_id:
        outlets.stories_changed(
            [instance.pk], former_outlets=[provider], clusters={cluster, instance.cluster_id}
        )
    else:
        figures.mark_stale(stories=[instance.pk])
        if before[2:4] != (instance.published_at, instance.quality):
            leads.stories_rescored([instance.pk])


def _follow_words(instance):
    """Its words or time changed: clustered again unless something ties it, and the
    instance told of the cluster it is in now (a later save must not write back one
    that is gone)."""
    if assign.cluster_rewritten([instance.pk]):
        instance.cluster_id = Article.objects.values_list("cluster_id", flat=True).get(
            pk=instance.pk
        )


def story_deleted(sender, instance, **kwargs):
    outlets.refresh({instance.cluster_id})
    figures.mark_stale(providers=[instance.provider_id])


def outlet_created(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        figures.mark_stale(providers=[instance.pk])  # its zeros, counted


def connect():
    from django.db.models.signals import post_delete, post_save, pre_save

    pre_save.connect(remember_outlet, sender=Article, dispatch_uid="outlet_before_save")
    post_save.connect(story_saved, sender=Article, dispatch_uid="outlet_after_save")
    post_delete.connect(story_deleted, sender=Article, dispatch_uid="outlet_after_delete")
    post_save.connect(outlet_created, sender=Provider, dispatch_uid="outlet_figures_on_create")
