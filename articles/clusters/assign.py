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
from itertools import chain

from django.apps import apps as django_apps
from django.db import connections, router, transaction
from django.utils import timezone

from . import leads, outlets
from .grouping import components
from .matching import WINDOW, same_story
from .models import BAND_COLUMNS, epoch_seconds
from .signatures import from_stored_form, is_address_key, remember_stored_form, signed_many

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


def _bands_model(apps):
    return apps.get_model("articles", "StoryBands")


def refresh_signatures(article_ids, apps=django_apps):
    """(Re)compute and store the signatures and keys of these stories; return
    ``{id: (signature, keys)}``."""
    found = {}
    for start in range(0, len(article_ids), CHUNK):
        computed = _compute_signatures(article_ids[start : start + CHUNK], apps)
        _store_signatures(computed, apps)
        found.update(computed.found)
    return found


@dataclass
class _Computed:
    """One chunk's signatures: by story id, and as the rows that store them."""

    ids: list
    found: dict
    signatures: list
    keys: list
    bands: list

    def only(self, ids):
        """The part of the chunk that is these stories'."""
        return _Computed(
            ids=[pk for pk in self.ids if pk in ids],
            found={pk: found for pk, found in self.found.items() if pk in ids},
            signatures=[row for row in self.signatures if row["article_id"] in ids],
            keys=[row for row in self.keys if row[0] in ids],
            bands=[row for row in self.bands if row[0] in ids],
        )


def _compute_signatures(ids, apps, signed=None):
    """The chunk's signatures: ``signed`` ones as given (``{id: (signature, keys,
    stored form, data_hash)}``, made by the importer's parse workers), the others from
    the database."""
    signed = signed or {}
    Article, _, _, _, RelatedLink = _models(apps)
    missing = [pk for pk in ids if pk not in signed]
    found = {pk: signed[pk] for pk in ids if pk in signed}
    if missing:
        related, related_texts = defaultdict(list), defaultdict(list)
        for article_id, web_url, original_url, title, excerpt in RelatedLink.objects.filter(
            article_id__in=missing
        ).values_list("article_id", "web_url", "original_url", "title", "excerpt"):
            related[article_id].extend((web_url, original_url))
            related_texts[article_id].append((title, excerpt))
        rows = list(
            Article.objects.filter(pk__in=missing).values_list(
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
        )
        made = signed_many(
            (title, excerpt, published_at, urls, related[pk], related_texts[pk])
            for pk, title, excerpt, published_at, *urls, _ in rows
        )
        for (pk, *_, data_hash), signed_story in zip(rows, made, strict=True):
            found[pk] = (*signed_story, data_hash)
    computed = _Computed(ids=ids, found={}, signatures=[], keys=[], bands=[])
    for pk in ids:
        if pk not in found:
            continue  # deleted meanwhile
        signature, keys, features, data_hash = found[pk]
        remember_stored_form(signature, features)
        published_at = signature.published_at
        computed.found[pk] = (signature, keys)
        computed.signatures.append(
            {
                "article_id": pk,
                "published_at": published_at,
                "data_hash": data_hash,
                "features": features,
            }
        )
        epoch = epoch_seconds(published_at)
        computed.keys.extend((pk, key, epoch) for key in keys.others)
        computed.bands.extend((pk, wording, epoch, *row) for wording, row in enumerate(keys.bands))
    return computed


def _store_signatures(computed, apps, created=frozenset()):
    """Replace the chunk's stored signatures, keys and bands; ``created``: stories
    just created, which have none to delete (three DELETEs a batch of new stories fewer)."""
    _, _, StorySignature, StoryKey, _ = _models(apps)
    StoryBands = _bands_model(apps)
    stored = [pk for pk in computed.ids if pk not in created]
    if stored:
        for model in (StoryKey, StoryBands, StorySignature):
            model.objects.filter(article_id__in=stored).delete()
    # Plain executemanys: the ORM's bulk_create cost more than the hashing, and the
    # importer's insert_rows preparing each value by its field a third more than this
    # (11.0 against 7.6 ms a 1,000 signatures; only the time needs the backend's form).
    adapt = connections[router.db_for_write(StorySignature)].ops.adapt_datetimefield_value
    _insert_plain(
        StorySignature,
        ("article", "data_hash", "features", "published_at"),
        [
            (row["article_id"], row["data_hash"], row["features"], adapt(row["published_at"]))
            for row in computed.signatures
        ],
    )
    _insert_plain(StoryKey, ("article", "key", "published_epoch"), computed.keys)
    _insert_plain(
        StoryBands, ("article", "wording", "published_epoch", *BAND_COLUMNS), computed.bands
    )


def _insert_plain(model, names, rows):
    """Rows of these fields' values, ready for the database as they are (integers, text,
    times in the backend's form)."""
    if not rows:
        return
    db = connections[router.db_for_write(model)]
    meta, quote = model._meta, db.ops.quote_name
    columns = ", ".join(quote(meta.get_field(name).column) for name in names)
    values = ", ".join(["%s"] * len(names))
    sql = f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES ({values})"
    with db.cursor() as cursor:
        cursor.executemany(sql, rows)


def load_signatures(article_ids, apps=django_apps):
    """Stored signatures by story id."""
    return {pk: signature for pk, signature, _ in _stored(article_ids, apps)}


STORY_FIELDS = ("pk", "web_url_hash", "cluster_id", "quality", "published_at")
"""What clustering needs of a story besides its signature (its node, cluster and lead)."""


def _stored(article_ids, apps, story_fields=()):
    """``(story id, signature, {field: value})`` of the stored signatures; the story's
    ``story_fields`` come in the same query."""
    StorySignature = _models(apps)[2]
    ids = list(article_ids)
    joined = [f"article__{name}" for name in story_fields]
    for start in range(0, len(ids), CHUNK):
        rows = StorySignature.objects.filter(article_id__in=ids[start : start + CHUNK])
        for article_id, published_at, features, *story in rows.values_list(
            "article_id", "published_at", "features", *joined
        ):
            signature = from_stored_form(published_at, features)
            yield article_id, signature, dict(zip(story_fields, story, strict=True))


def find_candidates(new, apps=django_apps):
    """For each new story (``{id: (signature, keys)}``), the stories sharing a key with it:
    stored ones inside its time window, and the other new ones.

    Index range scans on (key, published_epoch), a few per band and batch of stories
    close in time: the cost per story does not grow with the archive. Run before the
    new stories' keys are stored, so the index returns only earlier stories and the
    new ones meet each other here, in memory.

    A batch's range scan spans the whole batch's window, so it also returns stories
    outside one story's own window: they are dropped here, on the index's own
    ``published_epoch``, before any signature is read for them. Only an address
    key holds across time (``same_story`` joins any two stories sharing an
    address), and whole seconds lose none inside the window (``epoch_seconds``).
    """
    StoryKey, StoryBands = _models(apps)[3], _bands_model(apps)
    window = WINDOW // dt.timedelta(seconds=1)
    epochs = {pk: epoch_seconds(signature.published_at) for pk, (signature, _) in new.items()}
    # Most keys belong to one story: a key's first holder is kept apart, so the
    # batch's some forty thousand keys make no list each.
    first, more = {}, defaultdict(list)
    for pk, (_, keys) in new.items():
        held = first.setdefault
        for key in [key for key in chain(*keys.bands, keys.others) if held(key, pk) != pk]:
            more[key].append(pk)
    stored = defaultdict(list)
    addresses = {key for _, keys in new.values() for key in keys.others if is_address_key(key)}
    for key, article_id, epoch in _stories_with([(StoryKey, "key", addresses)]):
        if article_id not in new:  # a rewritten story's old keys
            stored[key].append(article_id)
            epochs[article_id] = epoch
    ordered = sorted(new, key=lambda pk: new[pk][0].published_at)
    for group in _close_in_time(ordered, new):
        times = [epochs[pk] for pk in group]
        span = (min(times) - window, max(times) + window)
        links = {key for pk in group for key in new[pk][1].others} - addresses
        looked_up = [(StoryKey, "key", links)]
        rows = [row for pk in group for row in new[pk][1].bands]
        if rows:  # band b of every row is column b's look-up
            columns = zip(BAND_COLUMNS, zip(*rows, strict=True), strict=True)
            looked_up.extend((StoryBands, column, set(keys)) for column, keys in columns)
        for key, article_id, epoch in _stories_with(looked_up, span):
            if article_id not in new:
                stored[key].append(article_id)
                epochs[article_id] = epoch
    # The keys one set of stories share (a story's 32 bands, often) meet them once.
    meetings = defaultdict(set)
    for key in stored.keys() | more.keys():
        holders = (first[key], *more.get(key, ()))
        meetings[holders, key in addresses].update(holders, stored.get(key, ()))
    near, same_address = defaultdict(set), defaultdict(set)
    for (holders, across_time), others in meetings.items():
        meeting = same_address if across_time else near
        for pk in holders:
            meeting[pk].update(others)
    found = {}
    for pk in new:
        # Bounds, not abs(): some fifty candidates a story, most of them outside.
        earliest, latest = epochs[pk] - window, epochs[pk] + window
        inside = {other for other in near[pk] if earliest <= epochs[other] <= latest}
        found[pk] = (inside | same_address[pk]) - {pk}
    return found


def _stories_with(looked_up, span=()):
    """``(key, story id, published_epoch)`` of every stored key among ``keys`` in
    ``column`` of ``model``, for each ``(model, column, keys)`` (dated within ``span``).

    Plain SQL: with thousands of keys per look-up, building the ORM's ``IN`` lookup
    cost more than the index scan itself. Some thousands of keys a statement
    (``UNION ALL``): a group of stories looks up 33 columns (32 bands, the links),
    and as 33 statements they cost a third more than as one (measured).
    """
    db = connections[router.db_for_read(looked_up[0][0])]
    # A spanned look-up also takes the span's two values: at most 33 of them a statement.
    size = min(8000, (db.features.max_query_params or 65535) - len(span) * len(looked_up))
    statements, parts, params = [], [], []
    for model, column, keys in looked_up:
        for part in _parts(list(keys), size):  # in any order: the index answers each key
            if parts and len(params) + len(part) > size:
                statements.append((parts, params))
                parts, params = [], []
            parts.append(_select_with(db, model, column, len(part), bool(span)))
            params.extend([*part, *span])
    if parts:
        statements.append((parts, params))
    with db.cursor() as cursor:
        for parts, params in statements:
            cursor.execute(" UNION ALL ".join(parts), params)
            yield from cursor.fetchall()


def _select_with(db, model, column, count, spanned):
    """``(key, story id, published_epoch)`` of ``count`` keys in ``column``."""
    meta, quote = model._meta, db.ops.quote_name
    names = [quote(meta.get_field(name).column) for name in (column, "article", "published_epoch")]
    sql = "SELECT {}, {}, {} FROM {} WHERE {} IN ({})".format(
        *names, quote(meta.db_table), names[0], ", ".join(["%s"] * count)
    )
    return f"{sql} AND {names[2]} BETWEEN %s AND %s" if spanned else sql


GROUP_SPAN = WINDOW * 2
"""New stories looked up together span at most this: their shared range scan stays
about one window wide, whatever the archive holds."""


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


def cluster_new_stories(apps=django_apps, article_ids=None, signed=None, created=()):
    """Cluster the stories that have none yet (just imported); return how many.

    ``article_ids``: only those of these stories (the importer's batch), else all;
    ``signed``: signatures already made for some of them (see ``_compute_signatures``);
    ``created``: those of them just created, with no signature stored yet.
    Each new story is compared only with the stories its keys find, so the cost
    per story does not grow with the archive.
    """
    Article = _models(apps)[0]
    unclustered = Article.objects.filter(cluster__isnull=True)
    if article_ids is not None:
        if not article_ids:
            return 0
        unclustered = unclustered.filter(pk__in=list(article_ids))
    if article_ids is not None and len(article_ids) <= CHUNK:
        # One chunk whatever is clustered already (an importer's batch): the chunk's
        # own query below keeps only the unclustered, so no query to find them first.
        new_ids = sorted(set(article_ids))
    else:
        new_ids = list(unclustered.order_by("pk").values_list("pk", flat=True))
    clustered = 0
    for start in range(0, len(new_ids), CHUNK):
        # One transaction a chunk: whole or not at all, and SQLite writes it at once
        # (in autocommit every row of an executemany is its own commit).
        with transaction.atomic():
            # Two imports may meet here: each clusters the stories it could lock and
            # that are still unclustered (PostgreSQL; SQLite's writers take turns).
            mine = list(
                Article.objects.filter(pk__in=new_ids[start : start + CHUNK], cluster__isnull=True)
                .select_for_update(skip_locked=True)
                .order_by("pk")
                .values(*STORY_FIELDS)
            )
            if mine:
                _cluster_chunk(mine, apps, signed, frozenset(created))
                clustered += len(mine)
    return clustered


def reclaim_rewritten(article_ids, signed=None, apps=django_apps):
    """Stories rewritten since they were clustered (a changed file, an editor's form).

    Only those whose words, addresses, links or time changed: the others' signatures
    stand. As if the new version had come first: alone in its cluster (nothing
    matched the old words) and matching another story now, a story leaves it, to be
    clustered again by :func:`cluster_new_stories`; in a larger one (another story
    matched it), placed by an editor, or matching nothing, it stays, with its
    signature and keys renewed so later stories meet its current words
    (``cluster_stories`` re-judges it whole).
    Returns the ids of the stories let go.
    """
    Article, Cluster, StorySignature, *_ = _models(apps)
    computed = _compute_signatures(list(article_ids), apps, signed)
    stored = {
        pk: (features, published_at)
        for pk, features, published_at in StorySignature.objects.filter(
            article_id__in=computed.ids
        ).values_list("article_id", "features", "published_at")
    }
    changed = [
        row["article_id"]
        for row in computed.signatures
        if stored.get(row["article_id"]) != (row["features"], row["published_at"])
    ]
    rows = list(
        Article.objects.filter(pk__in=changed)
        .exclude(cluster=None)
        .values_list("pk", "cluster_id", "cluster_pinned")
    )
    sizes = Counter(
        Article.objects.filter(cluster_id__in={cid for _, cid, _ in rows}).values_list(
            "cluster_id", flat=True
        )
    )
    alone = _would_join(
        {pk: cid for pk, cid, pinned in rows if sizes[cid] == 1 and not pinned}, computed, apps
    )
    if alone:
        Article.objects.filter(pk__in=list(alone)).update(cluster=None)
        Cluster.objects.filter(pk__in=list(alone.values())).delete()
    kept = {pk for pk, _, _ in rows if pk not in alone}
    if kept:
        _store_signatures(computed.only(kept), apps)
    return list(alone)


def _would_join(alone, computed, apps):
    """Of these stories alone in their clusters (``{id: cluster id}``), those whose new
    words match another story: the others keep their cluster (and its id) as it is."""
    new = {pk: computed.found[pk] for pk in alone}
    found = find_candidates(new, apps)
    signatures = {pk: signature for pk, (signature, _) in new.items()}
    others = set().union(*found.values()) - signatures.keys()
    signatures.update((pk, signature) for pk, signature, _ in _stored(others, apps))
    return {
        pk: cid
        for pk, cid in alone.items()
        if any(
            same_story(signatures[pk], signatures[other])
            for other in found[pk]
            if other in signatures
        )
    }


def cluster_rewritten(article_ids, apps=django_apps):
    """Stories whose words may have changed outside an import (a form, a revert, a
    script): those let go (:func:`reclaim_rewritten`) are clustered again at once.
    Returns their ids."""
    let_go = reclaim_rewritten(article_ids, apps=apps)
    if let_go:
        cluster_new_stories(apps, article_ids=let_go)
    return let_go


def _cluster_chunk(new_rows, apps, signed=None, created=frozenset()):
    """Cluster these new stories (their ``STORY_FIELDS``, as locked)."""
    Article, Cluster, *_ = _models(apps)
    computed = _compute_signatures([row["pk"] for row in new_rows], apps, signed)
    new = computed.found
    # Before this chunk's keys are stored (see find_candidates).
    found = find_candidates(new, apps)
    _store_signatures(computed, apps, created)
    signatures = {pk: signature for pk, (signature, _) in new.items()}
    stories = {row["pk"]: row for row in new_rows if row["pk"] in signatures}
    # The stored candidates' signatures and rows, in one query.
    for pk, signature, row in _stored(
        set().union(*found.values()) - signatures.keys(), apps, STORY_FIELDS
    ):
        signatures[pk], stories[pk] = signature, row
    node = {pk: row["web_url_hash"] for pk, row in stories.items()}
    # Two new stories that find each other: the (symmetric) rule judges them once.
    edges = [
        (score, node[pk], node[other])
        for pk, others in found.items()
        for other in others
        if (pk < other or other not in found or pk not in found[other])
        and other in node
        and (score := same_story(signatures[pk], signatures[other]))
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
    # New clusters each with its lead: all its stories are at hand.
    made = _create_clusters(
        Cluster, [min(members, key=lambda pk: leads.best_first(stories[pk])) for members in alone]
    )
    for lead, members in zip(made, alone, strict=True):
        placed.extend((made[lead], pk) for pk in members)
    _set_clusters(Article, placed)
    leads.refresh(touched, apps)
    # New clusters of one keep the default coverage of 1.
    several = {made[lead] for lead, members in zip(made, alone, strict=True) if len(members) > 1}
    outlets.refresh(touched | several, apps)


def _create_clusters(Cluster, lead_ids):
    """One new cluster led by each of these stories; return ``{lead id: cluster id}``.

    One INSERT ... RETURNING (SQLite and PostgreSQL both have it): the ORM's
    bulk_create spent more compiling the statement than the database running it.
    The ids come back by lead, a new story leading only its own new cluster.
    """
    if not lead_ids:
        return {}
    db = connections[router.db_for_write(Cluster)]
    meta, quote = Cluster._meta, db.ops.quote_name
    columns = [meta.get_field(name) for name in ("lead", "lead_chosen", "created_at", "updated_at")]
    now = columns[2].get_db_prep_value(timezone.now(), db)
    made = {}
    with db.cursor() as cursor:
        for part in _parts(lead_ids, size=500):
            cursor.execute(
                "INSERT INTO {} ({}) VALUES {} RETURNING {}, {}".format(
                    quote(meta.db_table),
                    ", ".join(quote(field.column) for field in columns),
                    ", ".join(["(%s, %s, %s, %s)"] * len(part)),
                    quote(columns[0].column),
                    quote(meta.pk.column),
                ),
                [value for lead in part for value in (lead, False, now, now)],
            )
            made.update(cursor.fetchall())
    return {lead: made[lead] for lead in lead_ids}


def _set_clusters(Article, placed):
    """``(cluster id, story id)`` pairs written with one ``UPDATE ... FROM (VALUES ...)``
    a few hundred stories (SQLite ≥ 3.33 and PostgreSQL both have it; both name the
    list's columns ``column1``, ``column2``): an executemany of one ``UPDATE`` a story
    cost a third more, its per-row statement steps (measured: 6.2 against 4.2 ms a
    1,000 stories, most of the rest is rewriting the rows)."""
    if not placed:
        return
    db = connections[router.db_for_write(Article)]
    quote = db.ops.quote_name
    meta = Article._meta
    table, cluster = quote(meta.db_table), quote(meta.get_field("cluster").column)
    head = f"UPDATE {table} SET {cluster} = placed.column1 FROM (VALUES "
    tail = f") AS placed WHERE {table}.{quote(meta.pk.column)} = placed.column2"
    with db.cursor() as cursor:
        for part in _parts(placed, size=500):
            values = ", ".join(["(%s, %s)"] * len(part))
            cursor.execute(head + values + tail, [value for pair in part for value in pair])


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
        for a, b in _candidate_pairs(StoryKey, _bands_model(apps))
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


def _candidate_pairs(StoryKey, StoryBands):
    """Pairs of stories sharing a key inside the window, streamed in key order: the
    address and link keys, then each band's column."""
    pairs = set()
    window = WINDOW // dt.timedelta(seconds=1)
    streams = [(StoryKey, "key"), *((StoryBands, column) for column in BAND_COLUMNS)]
    for model, column in streams:
        bucket, bucket_key = [], None
        rows = model.objects.order_by(column, "published_epoch", "article_id").values_list(
            column, "published_epoch", "article_id"
        )
        for key, published_at, article_id in rows.iterator(chunk_size=5000):
            if key != bucket_key:
                bucket, bucket_key = [], key
            if not is_address_key(key):
                while bucket and published_at - bucket[0][0] > window:
                    bucket.pop(0)
            for _, other in bucket:
                if other != article_id:  # two wordings of one story
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
    outlets.refresh(None, apps)


def recluster(dry_run=False, apps=django_apps):
    """Re-cluster every story; return the plan (written unless ``dry_run``)."""
    with transaction.atomic():
        plan = plan_recluster(apps)
        if dry_run:
            transaction.set_rollback(True)  # the refreshed signatures go too
        else:
            apply_plan(plan, apps)
    return plan
