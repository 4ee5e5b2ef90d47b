"""How many outlets reported a story: the one home for that number.

``Article.coverage`` stores it for every story: the distinct outlets among the
stories of its cluster (1 for a story alone or not yet clustered). The admin's
coverage column, the cluster list and the review queue's order all read it; it is
written here only, whenever a cluster's membership changes (import, re-cluster,
editors' moves, splits and merges) or a story's outlet does (:func:`stories_changed`:
the import of a changed file, a save through the ORM such as the admin's form or a
version reverted, a deletion). Stored rather than counted per page, so the
queue's index can serve its order; it counts unpublished copies too (editors' side
only: readers' counts are ``public.other_outlet_count``, published copies only).

Each refresh also marks the outlet figures of those clusters stale
(``providers.figures``): who reported first and who repeated follow membership.
"""

from django.apps import apps as django_apps
from django.db.models import Count, IntegerField, OuterRef, Subquery

from . import leads
from .membership import clusters_of


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
    """Store the coverage of every story of these clusters (of all stories when ``None``),
    and mark the figures of their outlets stale.

    One UPDATE per call whatever the clusters' sizes (a correlated count on the
    ``cluster`` index).
    """
    _store(cluster_ids, apps)
    if apps is django_apps:  # a migration's historical models have no stored figures
        _figures().mark_stale(clusters=cluster_ids or (), everything=cluster_ids is None)


def stories_changed(article_ids, former_outlets=(), clusters=None, created=()):
    """These stories may have a new outlet (or time, score, state): refresh the coverage
    and default leads of their clusters and mark the figures of the outlets involved stale.

    ``former_outlets``: the outlets they had before, which lose them; ``clusters``:
    the clusters to refresh when the caller knows them (by default the stories');
    ``created``: new stories, whose clusters the clustering refreshed already.
    """
    article_ids = list(article_ids)
    clusters = clusters_of(article_ids) if clusters is None else set(clusters) - {None}
    _store(clusters)
    if clusters:
        leads.refresh(clusters)  # a rewritten story may carry a new score or time
    _figures().mark_stale(providers=former_outlets, stories=[*article_ids, *created])


def _store(cluster_ids, apps=django_apps):
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


def _figures():
    from providers import figures  # providers' models import the articles app

    return figures
