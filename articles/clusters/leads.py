"""The lead story of a cluster: the editor's choice, else the best by quality, then the earliest."""

from django.apps import apps as django_apps

from .membership import clusters_of


def best_first(row):
    """Sort key of a cluster's stories: highest quality (unscored last), earliest, then URL."""
    quality = row["quality"]
    return (quality is None, -(quality or 0), row["published_at"], row["web_url_hash"])


def stories_rescored(article_ids):
    """These stories' quality or time changed: the default leads of their clusters follow
    (an editor's chosen lead stays). Without this a copy scored above the lead stayed
    behind it, on the public list and in "publish the lead, hold the copies"."""
    clusters = clusters_of(article_ids)
    if clusters:
        refresh(clusters)


def refresh(cluster_ids, apps=django_apps):
    """Set the default lead of these clusters (all when ``None``) where no editor chose one.

    A chosen lead that has left its cluster no longer counts as chosen.
    """
    Article = apps.get_model("articles", "Article")
    Cluster = apps.get_model("articles", "Cluster")
    clusters = Cluster.objects.all()
    if cluster_ids is not None:
        clusters = clusters.filter(pk__in=list(cluster_ids))
    current = {row[0]: row[1:] for row in clusters.values_list("pk", "lead_id", "lead_chosen")}
    stories = Article.objects.exclude(cluster_id=None)
    if cluster_ids is not None:
        stories = stories.filter(cluster_id__in=list(current))
    members = {}
    for row in stories.values("pk", "cluster_id", "quality", "published_at", "web_url_hash"):
        members.setdefault(row["cluster_id"], []).append(row)
    changed = []
    for pk, (lead_id, chosen) in current.items():
        rows = members.get(pk, [])
        if chosen and any(row["pk"] == lead_id for row in rows):
            continue
        best = min(rows, key=best_first)["pk"] if rows else None
        if best != lead_id or chosen:
            changed.append(Cluster(pk=pk, lead_id=best, lead_chosen=False))
    Cluster.objects.bulk_update(changed, ["lead", "lead_chosen"], batch_size=500)
    return len(changed)
