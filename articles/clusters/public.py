"""Readers' side of clusters: one card per cluster, "also reported by N outlets", coverage.

Everything goes through ``Article.objects.published()``: an unpublished copy never
shows, not as a card, not as a link and not in a count.
"""

from django.db import connections
from django.db.models import Count, Exists, F, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from articles.models import Article, Cluster
from newsroom.precompiled import precompiled_rows

UNSCORED = -1


def one_per_cluster(stories, now=None):
    """``stories`` (already published-only and filtered) keeping one story per cluster.

    The one kept is the cluster's lead when it is among ``stories``, else the best of
    them by quality, then the earliest; a story without a cluster stands alone. Done
    with a correlated EXISTS, so the page still costs one query (plus its COUNT).
    """
    score = Coalesce("quality", Value(UNSCORED))
    better = (
        stories.order_by()
        .annotate(cluster_score=score)
        .filter(cluster=OuterRef("cluster"))
        .exclude(pk=OuterRef("pk"))
        .filter(
            _leads(stories.db, within=True)
            | Q(cluster_score__gt=OuterRef("cluster_score"))
            | Q(cluster_score=OuterRef("cluster_score"), published_at__lt=OuterRef("published_at"))
            | Q(
                cluster_score=OuterRef("cluster_score"),
                published_at=OuterRef("published_at"),
                pk__lt=OuterRef("pk"),
            )
        )
    )
    return (
        stories.annotate(cluster_score=score)
        .filter(_leads(stories.db, within=False) | ~Exists(better))
        .annotate(other_outlets=other_outlet_count(now))
    )


def _leads(database, *, within):
    """The condition "the story leads its cluster", for the list's stories or, ``within``
    the EXISTS of a better story, for that one (the cluster is the same).

    On PostgreSQL a probe of the story's cluster by its key, for each story tested:
    the join to the clusters it replaces was planned, for a list the planner expects
    long (a deep page of a topic sorted by quality: 402,383 expected, 20,101 there),
    as a hash of all 1,000,000 clusters, spilled to disk (199 ms of a 370 ms page); a
    walk that stops early probes only the stories it meets. SQLite keeps its join
    (it looks each cluster up by its key anyway) and its plans.
    """
    if connections[database].vendor == "postgresql":
        return Exists(Cluster.objects.filter(pk=OuterRef("cluster_id"), lead=OuterRef("pk")))
    return Q(pk=OuterRef("cluster__lead")) if within else Q(cluster__lead=F("pk"))


def other_outlet_count(now=None):
    """How many other outlets' published versions of the story there are (an annotation)."""
    others = (
        Article.objects.published(now)
        .filter(cluster=OuterRef("cluster"))
        .exclude(provider=OuterRef("provider"))
        .order_by()
        .values("cluster")
        .annotate(n=Count("provider", distinct=True))
        .values("n")
    )
    return Coalesce(Subquery(others, output_field=IntegerField()), Value(0))


def coverage_of(article):
    """The other published versions of ``article``'s story, earliest first (one query)."""
    if article.cluster_id is None:
        return []
    params = {"now": timezone.now(), "cluster": article.cluster_id, "story": article.pk}
    return precompiled_rows("coverage", coverage_at, params)


def coverage_at(now, cluster, story):
    """The published stories of ``cluster`` at ``now`` but ``story``, earliest first."""
    return (
        Article.objects.published(now)
        .filter(cluster_id=cluster)
        .exclude(pk=story)
        .select_related("provider")
        .only("slug", "title", "published_at", "web_url", "original_url", "provider__name")
        .order_by("published_at", "pk")
    )
