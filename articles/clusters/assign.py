"""Put stories in clusters: incrementally after an import, or all over again.

Both paths use the same signatures, the same candidate keys and the same matching
rule, and both build connected components, so importing files one by one, in any
order, gives the clusters a full re-cluster gives. Editors' decisions win over both:
a pinned story is never moved, and two clusters holding pinned stories are never
merged (see ``grouping``).

Functions take an ``apps`` registry so the migration that backfills clusters can run
them on its historical models.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.apps import apps as django_apps
from django.db import transaction
from django.db.models import Q

from . import leads
from .grouping import components
from .matching import WINDOW, same_story
from .signatures import Signature, keys_of, signature_of

CHUNK = 500


def _models(apps):
    get = apps.get_model
    return (
        get("articles", "Article"),
        get("articles", "Cluster"),
        get("articles", "StorySignature"),
        get("articles", "StoryKey"),
        get("articles", "RelatedLink"),
    )


def refresh_signatures(article_ids, apps=django_apps):
    """(Re)compute and store the signatures and keys of these stories."""
    Article, _, StorySignature, StoryKey, RelatedLink = _models(apps)
    for start in range(0, len(article_ids), CHUNK):
        ids = article_ids[start : start + CHUNK]
        related = defaultdict(list)
        for article_id, web_url, original_url in RelatedLink.objects.filter(
            article_id__in=ids
        ).values_list("article_id", "web_url", "original_url"):
            related[article_id].extend((web_url, original_url))
        rows = Article.objects.filter(pk__in=ids).values_list(
            "pk",
            "title",
            "excerpt",
            "published_at",
            "web_url",
            "original_url",
            "amp_web_url",
            "cdn_amp_web_url",
            "data_hash",
        )
        signatures, keys = [], []
        for pk, title, excerpt, published_at, *urls, data_hash in rows:
            found = signature_of(title, excerpt, published_at, urls, related[pk])
            signatures.append(
                StorySignature(
                    article_id=pk,
                    published_at=published_at,
                    data_hash=data_hash,
                    words=sorted(found.words),
                    addresses=sorted(found.addresses),
                    links=sorted(found.links),
                )
            )
            keys.extend(
                StoryKey(article_id=pk, key=key, published_at=published_at)
                for key in keys_of(found)
            )
        StoryKey.objects.filter(article_id__in=ids).delete()
        StorySignature.objects.filter(article_id__in=ids).delete()
        StorySignature.objects.bulk_create(signatures)
        StoryKey.objects.bulk_create(keys, batch_size=CHUNK)


def load_signatures(article_ids, apps=django_apps):
    """Stored signatures by story id."""
    StorySignature = _models(apps)[2]
    found = {}
    ids = list(article_ids)
    for start in range(0, len(ids), CHUNK):
        for row in StorySignature.objects.filter(article_id__in=ids[start : start + CHUNK]):
            found[row.article_id] = Signature(
                published_at=row.published_at,
                words=frozenset(row.words),
                addresses=frozenset(row.addresses),
                links=frozenset(row.links),
            )
    return found


def candidates_of(article_id, signature, apps=django_apps):
    """Stories sharing a key with this one inside the time window: an index range scan."""
    StoryKey = _models(apps)[3]
    keys = keys_of(signature)
    if not keys:
        return set()
    start, end = signature.published_at - WINDOW, signature.published_at + WINDOW
    window = Q(published_at__range=(start, end)) | Q(key__startswith="a")
    return set(
        StoryKey.objects.filter(window, key__in=keys)
        .exclude(article_id=article_id)
        .values_list("article_id", flat=True)
    )


def cluster_new_stories(apps=django_apps):
    """Cluster the stories that have none yet (just imported); return how many.

    Each new story is compared only with the stories its keys find, so the cost
    per story does not grow with the archive.
    """
    Article = _models(apps)[0]
    new_ids = list(
        Article.objects.filter(cluster__isnull=True).order_by("pk").values_list("pk", flat=True)
    )
    for start in range(0, len(new_ids), CHUNK):
        _cluster_chunk(new_ids[start : start + CHUNK], apps)
    return len(new_ids)


def _cluster_chunk(new_ids, apps):
    Article, Cluster, *_ = _models(apps)
    refresh_signatures(new_ids, apps)
    signatures = load_signatures(new_ids, apps)
    found = {pk: candidates_of(pk, signatures[pk], apps) for pk in new_ids}
    signatures.update(load_signatures(set().union(*found.values()) - signatures.keys(), apps))
    stories = {
        row["pk"]: row
        for row in Article.objects.filter(pk__in=signatures).values(
            "pk", "web_url_hash", "cluster_id"
        )
    }
    node = {pk: row["web_url_hash"] for pk, row in stories.items()}
    edges = [
        (score, node[pk], node[other])
        for pk, others in found.items()
        for other in others
        if other in node and (score := same_story(signatures[pk], signatures[other]))
    ]
    existing = defaultdict(list)
    for pk, row in stories.items():
        if row["cluster_id"] is not None:
            existing[row["cluster_id"]].append(node[pk])
    locked = set(
        Article.objects.filter(cluster_id__in=existing, cluster_pinned=True).values_list(
            "cluster_id", flat=True
        )
    )
    groups = [(members, cid if cid in locked else None) for cid, members in existing.items()]
    by_node = {node[pk]: stories[pk] for pk in stories}
    touched = set()
    for members in components(node.values(), edges, groups):
        rows = [by_node[member] for member in members]
        new = [row["pk"] for row in rows if row["cluster_id"] is None]
        if not new:
            continue
        clusters = {row["cluster_id"] for row in rows} - {None}
        if clusters:
            target = min(clusters & locked or clusters)
            merged = clusters - {target}
            if merged:
                Article.objects.filter(cluster_id__in=merged).update(cluster_id=target)
                Cluster.objects.filter(pk__in=merged).delete()
        else:
            target = Cluster.objects.create().pk
        Article.objects.filter(pk__in=new).update(cluster_id=target)
        touched.add(target)
    leads.refresh(touched, apps)


@dataclass
class Plan:
    """What a full re-cluster changes: story id → (old cluster id, new cluster key)."""

    moves: dict = field(default_factory=dict)
    new_clusters: int = 0
    emptied: set = field(default_factory=set)
    titles: dict = field(default_factory=dict)


def plan_recluster(apps=django_apps):
    """Recompute every story's cluster from scratch (signatures refreshed first)."""
    Article, _, _, StoryKey, _ = _models(apps)
    ids = list(Article.objects.order_by("pk").values_list("pk", flat=True))
    refresh_signatures(ids, apps)
    signatures = load_signatures(ids, apps)
    stories = {
        row["pk"]: row
        for row in Article.objects.values("pk", "web_url_hash", "cluster_id", "cluster_pinned")
    }
    node = {pk: row["web_url_hash"] for pk, row in stories.items()}
    edges = [
        (score, node[a], node[b])
        for a, b in _candidate_pairs(StoryKey)
        if (score := same_story(signatures[a], signatures[b]))
    ]
    pinned = defaultdict(list)
    for pk, row in stories.items():
        if row["cluster_pinned"] and row["cluster_id"] is not None:
            pinned[row["cluster_id"]].append(node[pk])
    groups = [(members, cid) for cid, members in pinned.items()]
    by_node = {node[pk]: row for pk, row in stories.items()}
    plan, used = Plan(), set(pinned)
    assigned = {}
    for members in components(node.values(), edges, groups):
        rows = [by_node[member] for member in members]
        locks = {row["cluster_id"] for row in rows if row["cluster_pinned"]} - {None}
        if locks:
            target = locks.pop()
        else:
            counts = Counter(row["cluster_id"] for row in rows if row["cluster_id"] not in used)
            counts.pop(None, None)
            target = min(counts, key=lambda cid: (-counts[cid], cid)) if counts else None
            if target is None:
                plan.new_clusters += 1
                target = ("new", plan.new_clusters)
            used.add(target)
        for row in rows:
            assigned[row["pk"]] = target
            if row["cluster_id"] != target:
                plan.moves[row["pk"]] = (row["cluster_id"], target)
    before = {row["cluster_id"] for row in stories.values()} - {None}
    plan.emptied = before - set(assigned.values())
    return plan


def _candidate_pairs(StoryKey):
    """Pairs of stories sharing a key inside the window, streamed in key order."""
    pairs = set()
    bucket, bucket_key = [], None
    rows = StoryKey.objects.order_by("key", "published_at", "article_id").values_list(
        "key", "published_at", "article_id"
    )
    for key, published_at, article_id in rows.iterator(chunk_size=5000):
        if key != bucket_key:
            bucket, bucket_key = [], key
        if not key.startswith("a"):
            while bucket and published_at - bucket[0][0] > WINDOW:
                bucket.pop(0)
        for _, other in bucket:
            pairs.add((min(article_id, other), max(article_id, other)))
        bucket.append((published_at, article_id))
    return sorted(pairs)


def apply_plan(plan, apps=django_apps):
    """Write a re-cluster plan; leads are recomputed where no editor chose one."""
    Article, Cluster, *_ = _models(apps)
    created = {}
    targets = defaultdict(list)
    for pk, (_, target) in plan.moves.items():
        if isinstance(target, tuple):
            if target not in created:
                created[target] = Cluster.objects.create().pk
            target = created[target]
        targets[target].append(pk)
    for target, ids in targets.items():
        for start in range(0, len(ids), CHUNK):
            Article.objects.filter(pk__in=ids[start : start + CHUNK]).update(cluster_id=target)
    Cluster.objects.filter(pk__in=plan.emptied).delete()
    leads.refresh(None, apps)


def recluster(dry_run=False, apps=django_apps):
    """Re-cluster every story; return the plan (written unless ``dry_run``)."""
    with transaction.atomic():
        plan = plan_recluster(apps)
        if dry_run:
            transaction.set_rollback(True)  # the refreshed signatures go too
        else:
            apply_plan(plan, apps)
    return plan
