"""Stories saved or deleted through the ORM (the admin's form and list edits, a version
reverted, scripts) keep their clusters' coverage and their outlets' figures right.

The bulk writers call ``articles.clusters.outlets`` or ``providers.figures``
themselves: the importer, ``publishing``, the rules and the cluster tools.
"""

from articles.clusters import leads, outlets
from articles.models import Article

from . import figures
from .models import Provider

COUNTED = ("provider_id", "cluster_id", "published_at", "quality", "published")
COUNTED += ("publish_at", "unpublish_at")
"""The columns an outlet's figures or a cluster's coverage read."""


def remember_outlet(sender, instance, raw=False, **kwargs):
    if raw or instance._state.adding or instance.pk is None:
        return
    before = Article.objects.filter(pk=instance.pk).values_list(*COUNTED)
    instance._counted_before = next(iter(before), None)


def story_saved(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    before = instance.__dict__.pop("_counted_before", None)
    if before is None:
        before = (None,) * len(COUNTED)
    elif before == tuple(getattr(instance, name) for name in COUNTED):
        return  # nothing counted changed: a title, a topic, an image
    provider, cluster = before[:2]
    if created or provider != instance.provider_id or cluster != instance.cluster_id:
        outlets.stories_changed(
            [instance.pk], former_outlets=[provider], clusters={cluster, instance.cluster_id}
        )
    else:
        figures.mark_stale(stories=[instance.pk])
        if before[2:4] != (instance.published_at, instance.quality):
            leads.stories_rescored([instance.pk])


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
