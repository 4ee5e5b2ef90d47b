"""Put stories in clusters: incrementally after an import, or all over again.

Both paths use the same signatures, the same candidate keys and the same matching
rule, and both build connected components, so importing files one by one, in any
order, gives the clusters a full re-cluster gives. Editors' decisions win over both:
a pinned story is never moved, and two clusters holding pinned stories are never
merged (see ``grouping``).

Functions take an ``apps`` registry so the migration that backfills clusters can run
them on its historical models.
"""

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.apps import apps as django_apps
from django.db import connections, router, transaction

from articles.ingest.writer import insert_rows

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
    """(Re)compute and store the signatures and keys of these stories; return
    ``{id: (signature, keys)}``."""
    Article, _, StorySignature, StoryKey, RelatedLink = _models(apps)
    found = {}
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
            signature = signature_of(title, excerpt, published_at, urls, related[pk])
            found[pk] = (signature, keys_of(signature))
            signatures.append(
                {
                    "article_id": pk,
                    "published_at": published_at,
                    "data_hash": data_hash,
                    "words": sorted(signature.words),
                    "addresses": sorted(signature.addresses),
                    "links": sorted(signature.links),
                }
            )
            keys.extend((pk, key, published_at) for key in found[pk][1])
        StoryKey.objects.filter(article_id__in=ids).delete()
        StorySignature.objects.filter(article_id__in=ids).delete()
        # The importer's own executemany: the ORM's bulk_create cost more than the hashing.
        insert_rows(StorySignature, signatures)
        _insert_keys(StoryKey, keys)
    return found


def _insert_keys(StoryKey, keys):
    """Many small rows: each story's time is prepared for the database once, not per key."""
    if not keys:
        return
    db = connections[router.db_for_write(StoryKey)]
    meta, quote = StoryKey._meta, db.ops.quote_name
    field = meta.get_field("published_at")
    prepared = {}
    params = []
    for article_id, key, published_at in keys:
        if article_id not in prepared:
            prepared[article_id] = field.get_db_prep_save(published_at, db)
        params.append((article_id, key, prepared[article_id]))
    columns = ", ".join(
        quote(meta.get_field(name).column) for name in ("article", "key", "published_at")
    )
    with db.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES (%s, %s, %s)", params
        )


def load_signatures(article_ids, apps=django_apps):
    """Stored signatures by story id."""
    StorySignature = _models(apps)[2]
    found = {}
    ids = list(article_ids)
    for start in range(0, len(ids), CHUNK):
        rows = StorySignature.objects.filter(article_id__in=ids[start : start + CHUNK])
        for article_id, published_at, words, addresses, links in rows.values_list(
            "article_id", "published_at", "words", "addresses", "links"
        ):
            found[article_id] = Signature(
                published_at=published_at,
                words=frozenset(words),
                addresses=frozenset(addresses),
                links=frozenset(links),
            )
    return found


def find_candidates(new, apps=django_apps):
    """For each new story (``{id: (signature, keys)}``), the stories sharing a key with it
    inside the time window.

    Index range scans on (key, published_at), a few per batch of stories close in
    time: the cost per story does not grow with the archive.
    """
    StoryKey = _models(apps)[3]
    index = defaultdict(list)
    all_keys = {key for _, keys in new.values() for key in keys}
    # Address keys need no window (one URL is one story, whenever it was dated).
    for part in _parts(sorted(key for key in all_keys if key.startswith("a"))):
        for key, article_id in StoryKey.objects.filter(key__in=part).values_list(
            "key", "article_id"
        ):
            index[key].append(article_id)
    ordered = sorted(new, key=lambda pk: new[pk][0].published_at)
    for group in _close_in_time(ordered, new):
        times = [new[pk][0].published_at for pk in group]
        span = (_moved(min(times), -WINDOW), _moved(max(times), WINDOW))
        keys = sorted({key for pk in group for key in new[pk][1] if not key.startswith("a")})
        for part in _parts(keys):
            rows = StoryKey.objects.filter(key__in=part, published_at__range=span)
            for key, article_id in rows.values_list("key", "article_id"):
                index[key].append(article_id)
    # The group's range may hold stories outside one story's own window:
    # same_story() rejects those, so no time is fetched here.
    return {
        pk: {other for key in keys for other in index[key] if other != pk}
        for pk, (_, keys) in new.items()
    }


GROUP_SPAN = WINDOW * 2
"""New stories looked up together span at most this: their shared range scan stays
about one window wide, whatever the archive holds."""


def _moved(moment, delta):
    """``moment + delta``, held inside the dates Python can represent (year 1 to 9999)."""
    try:
        return moment + delta
    except OverflowError:
        if delta > dt.timedelta(0):
            return dt.datetime.max.replace(tzinfo=dt.UTC)
        return dt.datetime.min.replace(tzinfo=dt.UTC)


def _close_in_time(ordered, new):
    group = []
    for pk in ordered:
        if group and new[pk][0].published_at - new[group[0]][0].published_at > GROUP_SPAN:
            yield group
            group = []
        group.append(pk)
    if group:
        yield group


def _parts(keys, size=2000):
    """Stay under every backend's limit on query parameters (SQLite's is the lowest)."""
    for start in range(0, len(keys), size):
        yield keys[start : start + size]


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
        # One transaction a chunk: whole or not at all, and SQLite writes it at once
        # (in autocommit every row of an executemany is its own commit).
        with transaction.atomic():
            _cluster_chunk(new_ids[start : start + CHUNK], apps)
    return len(new_ids)


def _cluster_chunk(new_ids, apps):
    Article, Cluster, *_ = _models(apps)
    new = refresh_signatures(new_ids, apps)
    found = find_candidates(new, apps)
    signatures = {pk: signature for pk, (signature, _) in new.items()}
    signatures.update(load_signatures(set().union(*found.values()) - signatures.keys(), apps))
    stories = {
        row["pk"]: row
        for row in Article.objects.filter(pk__in=signatures).values(
            "pk", "web_url_hash", "cluster_id", "quality", "published_at"
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
    touched, placed, alone = set(), [], []
    for members in components(node.values(), edges, groups):
        rows = [by_node[member] for member in members]
        new_members = [row["pk"] for row in rows if row["cluster_id"] is None]
        if not new_members:
            continue
        clusters = {row["cluster_id"] for row in rows} - {None}
        if not clusters:
            alone.append(new_members)
            continue
        target = min(clusters & locked or clusters)
        merged = clusters - {target}
        if merged:
            Article.objects.filter(cluster_id__in=merged).update(cluster_id=target)
            Cluster.objects.filter(pk__in=merged).delete()
        placed.extend((target, pk) for pk in new_members)
        touched.add(target)
    # New clusters in one INSERT (the backends we support return their ids), each
    # with its lead: all its stories are at hand.
    made = Cluster.objects.bulk_create(
        [
            Cluster(lead_id=min(members, key=lambda pk: leads.best_first(stories[pk])))
            for members in alone
        ]
    )
    for cluster, members in zip(made, alone, strict=True):
        placed.extend((cluster.pk, pk) for pk in members)
    _set_clusters(Article, placed)
    leads.refresh(touched, apps)


def _set_clusters(Article, placed):
    """``(cluster id, story id)`` pairs written with one executemany."""
    if not placed:
        return
    db = connections[router.db_for_write(Article)]
    quote = db.ops.quote_name
    meta = Article._meta
    sql = "UPDATE {} SET {} = %s WHERE {} = %s".format(
        quote(meta.db_table), quote(meta.get_field("cluster").column), quote(meta.pk.column)
    )
    with db.cursor() as cursor:
        cursor.executemany(sql, placed)


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
