"""Readers' side of clusters: one card per cluster, "also reported by N outlets", coverage.

Everything goes through ``Article.objects.published()``: an unpublished copy never
shows, not as a card, not as a link and not in a count.
"""

from django.db.models import Count, Exists, F, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from articles.models import Article, Cluster
from newsroom.precompiled import precompiled_rows

UNSCORED = -1


def one_per_cluster(stories, now=None, *, probed=False, among=None):
    """``stories`` (already published-only and filtered) keeping one story per cluster.

    The one kept is the cluster's lead when it is among ``stories``, else the best of
    them by quality, then the earliest; a story without a cluster stands alone. Done
    with a correlated EXISTS, so the page still costs one query (plus its COUNT).
    ``probed``: each story's cluster probed by its key (:func:`_leads`), for a deep page;
    ``among``: the stories a better one is looked for in, if not ``stories`` (rows that are
    those stories already, fenced from the test: ``keptlists.fenced_ids``).
    """
    score = Coalesce("quality", Value(UNSCORED))
    better = (
        (stories if among is None else among)
        .order_by()
        .annotate(cluster_score=score)
        .filter(cluster=OuterRef("cluster"))
        .exclude(pk=OuterRef("pk"))
        .filter(
            _leads(within=True, probed=probed)
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
        .filter(_leads(within=False, probed=probed) | ~Exists(better))
        .annotate(other_outlets=other_outlet_count(now))
    )


def _leads(*, within, probed):
    """The condition "the story leads its cluster", for the list's stories or, ``within``
    the EXISTS of a better story, for that one (the cluster is the same).

    ``probed``: an EXISTS probing the story's cluster by its key, for each story tested,
    instead of a join to the clusters. For a deep page (``keptlists.paged_rows``), whose
    list PostgreSQL expected long (a topic sorted by quality: 402,383 expected, 20,101
    there), the join was a hash of all 1,000,000 clusters, spilled to disk (199 ms of a
    370 ms page); the probes cost only the stories the walk meets. Not for the first
    pages: the planner charges the probe to every story a walk passes, not only to the
    ones the filters keep, and then reads an outlet's 4,000 stories to sort them (60 ms)
    rather than walk to its first 21 (17 ms).
    """
    if probed:
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
