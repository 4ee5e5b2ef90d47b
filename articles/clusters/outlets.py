"""How many outlets reported a story: the one home for that number.

``Article.coverage`` stores it for every story: the distinct outlets among the
stories of its cluster (1 for a story alone or not yet clustered). The admin's
coverage column, the cluster list and the review queue's order all read it; it is
written here only, whenever a cluster's membership changes (import, re-cluster,
editors' moves, splits and merges). Stored rather than counted per page, so the
queue's index can serve its order; it counts unpublished copies too (editors' side
only: readers' counts are ``public.other_outlet_count``, published copies only).
"""

from django.apps import apps as django_apps
from django.db.models import Count, IntegerField, OuterRef, Subquery


def outlet_count(cluster_ref, apps=django_apps):
    """How many outlets a cluster's stories come from, as an annotation."""
    Article = apps.get_model("articles", "Article")
    outlets = (
        Article.objects.filter(cluster=cluster_ref)
        .order_by()
        .values("cluster")
        .annotate(n=Count("provider", distinct=True))
        .values("n")
    )
    return Subquery(outlets, output_field=IntegerField())


def refresh(cluster_ids, apps=django_apps):
    """Store the coverage of every story of these clusters (of all stories when ``None``).

    One UPDATE per call whatever the clusters' sizes (a correlated count on the
    ``cluster`` index).
    """
    Article = apps.get_model("articles", "Article")
    stories = Article.objects.exclude(cluster=None)
    if cluster_ids is not None:
        ids = sorted(set(cluster_ids) - {None})
        if not ids:
            return
        stories = stories.filter(cluster_id__in=ids)
    else:
        Article.objects.filter(cluster=None).exclude(coverage=1).update(coverage=1)
    stories.update(coverage=outlet_count(OuterRef("cluster"), apps))
