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
SIGNED = ("title", "excerpt", "web_url", "original_url", "amp_web_url", "cdn_amp_web_url")
"""The columns (besides ``published_at``) a story's clustering signature reads."""
REMEMBERED = COUNTED + SIGNED


def remember_outlet(sender, instance, raw=False, **kwargs):
    if raw or instance._state.adding or instance.pk is None:
        return
    before = Article.objects.filter(pk=instance.pk).values_list(*REMEMBERED)
    instance._remembered = next(iter(before), None)


def story_saved(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    remembered = instance.__dict__.pop("_remembered", None)
    if remembered is None:
        before = (None,) * len(COUNTED)
    else:
        before = remembered[: len(COUNTED)]
        if remembered != tuple(getattr(instance, name) for name in REMEMBERED):
            _follow_words(instance, remembered)
        if before == tuple(getattr(instance, name) for name in COUNTED):
            return  # nothing counted changed: a topic, an image
    provider, cluster = before[:2]
    if created or provider != instance.provider_id or cluster != instance.cluster_id:
        outlets.stories_changed(
            [instance.pk], former_outlets=[provider], clusters={cluster, instance.cluster_id}
        )
    else:
        figures.mark_stale(stories=[instance.pk])
        if before[2:4] != (instance.published_at, instance.quality):
            leads.stories_rescored([instance.pk])


def _follow_words(instance, remembered):
    """Its words or time changed: clustered again unless something ties it, and the
    instance told of the cluster it is in now (a later save must not write back one
    that is gone)."""
    signed_before = (remembered[COUNTED.index("published_at")], *remembered[len(COUNTED) :])
    signed_now = (instance.published_at, *(getattr(instance, name) for name in SIGNED))
    if signed_before != signed_now and assign.cluster_rewritten([instance.pk]):
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
