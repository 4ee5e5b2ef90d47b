"""Editors' cluster tools: move, split off, merge, choose the lead, publish the lead only.

Every story these touch is pinned (``Article.cluster_pinned``), so neither a re-import
nor ``cluster_stories`` undoes the decision, and every change is written to the
story's admin history and leaves a version (articles/history.py).
"""

from django.contrib.admin.models import CHANGE, LogEntry
from django.db import transaction
from django.utils import timezone

from articles import publishing
from articles.history import record_versions
from articles.models import Article, Cluster
from articles.review_states import ReviewState

from . import leads, outlets


def _log(user, articles, message):
    if articles:
        LogEntry.objects.log_actions(
            user_id=user.pk, queryset=articles, action_flag=CHANGE, change_message=message
        )


def _place(articles, cluster, user, message):
    """Pin ``articles`` into ``cluster``; tidy the clusters they left."""
    articles = list(articles.only("pk", "title", "cluster_id"))
    left = {article.cluster_id for article in articles} - {cluster.pk, None}
    Article.objects.filter(pk__in=[a.pk for a in articles]).update(
        cluster=cluster, cluster_pinned=True, updated_at=timezone.now()
    )
    # A split is a decision about both parts: the stories left behind stay apart too.
    behind = Article.objects.filter(cluster__in=left, cluster_pinned=False)
    pinned_behind = list(behind.values_list("pk", flat=True))
    behind.update(cluster_pinned=True)
    Cluster.objects.filter(pk__in=left, stories__isnull=True).delete()
    leads.refresh({cluster.pk, *left})
    outlets.refresh({cluster.pk, *left})
    _record(user, articles, message)
    _record(user, _stories(pinned_behind), f"Kept apart: {message}")
    return len(articles)


def _stories(pks):
    """What a history entry names of each story."""
    return list(Article.objects.filter(pk__in=pks).only("pk", "title"))


def _record(user, articles, message):
    """The change in each story's admin history, and a version of each."""
    _log(user, articles, message)
    record_versions([a.pk for a in articles], user, reason=message)


@transaction.atomic
def move_to(articles, cluster, user):
    """Put the stories in another story's cluster."""
    return _place(articles, cluster, user, f"Moved to cluster {cluster.pk}.")


@transaction.atomic
def split_off(articles, user):
    """Take the stories out of their clusters into one new cluster of their own."""
    cluster = Cluster.objects.create()
    count = _place(articles, cluster, user, f"Split off into cluster {cluster.pk}.")
    return cluster, count


@transaction.atomic
def merge(clusters, user):
    """Merge clusters into the oldest one; every story of the result is pinned."""
    clusters = list(clusters.order_by("pk"))
    if not clusters:
        return None
    target, others = clusters[0], clusters[1:]
    stories = Article.objects.filter(cluster__in=clusters)
    chosen = next((c for c in clusters if c.lead_chosen), None)
    _place(stories, target, user, f"Merged into cluster {target.pk}.")
    if chosen is not None and chosen.pk != target.pk:
        Cluster.objects.filter(pk=target.pk).update(lead_id=chosen.lead_id, lead_chosen=True)
    Cluster.objects.filter(pk__in=[c.pk for c in others]).delete()
    leads.refresh({target.pk})
    return target


@transaction.atomic
def choose_lead(cluster, article, user):
    """Make ``article`` (moved into the cluster if need be) the lead readers see."""
    if article.cluster_id != cluster.pk:
        move_to(Article.objects.filter(pk=article.pk), cluster, user)
    former = Cluster.objects.filter(pk=cluster.pk).values_list("lead_id", flat=True).first()
    Article.objects.filter(pk=article.pk).update(cluster_pinned=True)
    Cluster.objects.filter(pk=cluster.pk).update(lead=article, lead_chosen=True)
    _record(user, [article], f"Chosen as the lead of cluster {cluster.pk}.")
    if former is not None and former != article.pk:
        _record(
            user,
            _stories([former]),
            f"No longer the lead of cluster {cluster.pk}: an editor chose story {article.pk}.",
        )


@transaction.atomic
def publish_lead_only(cluster, user):
    """Publish the lead and hold every other copy, published or waiting (a rejected one
    stays rejected): one action, each change in its story's history and versions."""
    cluster.refresh_from_db()
    if cluster.lead_id is None:
        return 0, 0
    stories = Article.objects.filter(cluster=cluster)
    published = publishing.decide(
        stories.filter(pk=cluster.lead_id),
        user,
        ReviewState.PUBLISHED,
        logged="published",
        reason=f"Published as the lead of cluster {cluster.pk}",
    )
    copies = stories.exclude(pk=cluster.lead_id).exclude(review_state=ReviewState.REJECTED)
    held = publishing.decide(
        copies, user, ReviewState.HELD, reason=f"Held as a copy of cluster {cluster.pk}'s lead"
    )
    return published, held
