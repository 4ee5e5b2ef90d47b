"""Write validated records to the database in batches.

Each function returns one status per record: "created", "updated" or
"unchanged", where "updated" means a stored value really changed. Callers run
them inside a transaction; nothing here commits.
"""

from dataclasses import dataclass, field

from django.db import connections, router
from django.db.models import Exists, OuterRef, Subquery
from django.db.models.constants import OnConflict

from articles.clusters import assign, outlets
from articles.history import CHANGED, CREATED, import_records_versions, record_versions
from articles.models import Article, ArticleImage, RelatedLink, SourceFile, Topic
from articles.review import after_import
from articles.review_states import imported_state
from articles.search import update_search_vectors
from articles.slugs import first_free, free_slug, topic_slug_base
from providers.models import Provider

ARTICLE_UPDATE_FIELDS = [
    "title",
    "excerpt",
    "body",
    "category",
    "type",
    "published_at",
    "web_url",
    "original_url",
    "amp_web_url",
    "cdn_amp_web_url",
    "quality",
    "heat",
    "published",
    "review_state",
    "decided_by",
    "provider",
    "secured",
    "extra",
    "provider_data",
    "source_keys",
    "source_file",
    "content_hash",
    "data_hash",
    "imported_at",
    "imported_published",
    "imported_quality",
    "updated_at",
]
BOOKKEEPING_FIELDS = [
    "source_file",
    "content_hash",
    "imported_at",
    "imported_published",
    "imported_quality",
]


@dataclass
class Lookups:
    """Natural key to primary key, remembered across the batches of one run, and the
    stories the run wrote (what ``link_related_stories`` needs to look at)."""

    provider_ids: dict = field(default_factory=dict)
    topic_ids: dict = field(default_factory=dict)
    rewritten_ids: set = field(default_factory=set)
    """Stories created or updated: their related links are new."""
    created_hashes: set = field(default_factory=set)
    """URL hashes of stories new to the database: links elsewhere may name them."""

    def snapshot(self):
        return Lookups(
            dict(self.provider_ids),
            dict(self.topic_ids),
            set(self.rewritten_ids),
            set(self.created_hashes),
        )


NEWS_BATCH_LOCK = 0x6E657773  # "news": the key of PostgreSQL's advisory lock below


def take_turn_with_other_imports():
    """Hold, until this batch's transaction ends, the lock every import's batch takes.

    A batch decides from what it reads first which of its stories are new and which
    children to replace. Two imports writing one story at once (a cron job and an
    editor on the same folder) would both take it for new: the second's upsert
    updates the first's row, then its children collide with the first's
    (duplicate keys the one-file fallback recovered from, with psycopg's aborted
    pipeline on stderr). Taking turns per batch makes the second read the
    first's rows; the parsing still runs side by side. SQLite already writes
    one transaction at a time.
    """
    db = connections[router.db_for_write(Article)]
    if db.vendor == "postgresql":
        with db.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [NEWS_BATCH_LOCK])


def write_news(records, lookups, now):
    """Upsert a batch of news records (their story URLs are distinct)."""
    take_turn_with_other_imports()
    provider_ids = ensure_providers([record["provider"] for record in records], lookups)
    topic_ids = ensure_topics([name for record in records for name in record["topics"]], lookups)
    hashes = [record["fields"]["web_url_hash"] for record in records]
    existing = {
        row["web_url_hash"]: row
        for row in Article.objects.filter(web_url_hash__in=hashes).values(
            "id",
            "web_url_hash",
            "provider_id",
            "published",
            "imported_published",
            "review_state",
            "decided_by",
            "quality",
            "imported_quality",
            "data_hash",
        )
    }
    new_hashes = [key for key in hashes if key not in existing]
    slugs = iter(
        unique_slugs([record["slug"] for record in records if record_key(record) not in existing])
    )
    statuses, changed, bookkeeping = [], [], []
    for record in records:
        old = existing.get(record_key(record))
        file_published = bool(record["published"])
        file_quality = record["quality"]
        # Editors own the state and the score: the file's value wins only where
        # nobody changed it since the import that last set it (review_states.py).
        state = imported_state(old, file_published)
        published = state["published"]
        if old is None:
            quality, status = file_quality, "created"
        else:
            edited = old["quality"] != old["imported_quality"]
            quality = old["quality"] if edited else file_quality
            status = (
                "updated"
                if old["data_hash"] != record["fingerprint"]
                or published != old["published"]
                or quality != old["quality"]
                else "unchanged"
            )
        row = {
            **record["fields"],
            "slug": next(slugs) if old is None else "",
            "provider_id": provider_ids[record["provider"]["domain"]],
            **state,
            "quality": quality,
            "imported_published": file_published,
            "imported_quality": file_quality,
            "source_file": record["name"],
            "content_hash": record["content_hash"],
            "data_hash": record["fingerprint"],
            "imported_at": now,
            "created_at": now,
            "updated_at": now,
        }
        statuses.append(status)
        (bookkeeping if status == "unchanged" else changed).append((row, record, status))
    for entries, update_fields in (
        (changed, ARTICLE_UPDATE_FIELDS),
        (bookkeeping, BOOKKEEPING_FIELDS),
    ):
        if entries:
            insert_rows(
                Article,
                [row for row, _, _ in entries],
                unique_fields=["web_url_hash"],
                update_fields=update_fields,
            )
    ids = {key: row["id"] for key, row in existing.items()}
    if new_hashes:
        new_ids = Article.objects.filter(web_url_hash__in=new_hashes)
        ids.update(new_ids.values_list("web_url_hash", "id"))
    if changed:
        replace_children([(ids[record_key(r)], r, status) for _, r, status in changed], topic_ids)
        created_ids = [ids[record_key(r)] for _, r, status in changed if status == "created"]
        updated_ids = [ids[record_key(r)] for _, r, status in changed if status == "updated"]
        signed = {
            ids[record_key(r)]: (*r["signed"], r["fingerprint"])
            for _, r, _ in changed
            if "signed" in r
        }
        batch_written(created_ids, updated_ids, now, signed)
        outlets.stories_changed(
            updated_ids, [row["provider_id"] for row in existing.values()], created=created_ids
        )
        lookups.rewritten_ids.update(created_ids, updated_ids)
        lookups.created_hashes.update(new_hashes)
    remember_files(
        [
            source_file_row(record, now, SourceFile.Kind.NEWS, article_id=ids[record_key(record)])
            for _, record, _ in changed + bookkeeping
        ]
    )
    return statuses


def batch_written(created_ids, updated_ids, now, signed=None):
    """What follows the rows of one batch, inside its transaction: the one place that
    knows which stories the batch created and which it rewrote (their children
    are written by now).

    Search vectors, versions and the rules for all of them; clusters for the
    new ones, batch by batch, so the clustering runs while the parse workers
    read the next files instead of after the last one (docs/performance.md);
    ``signed``: the clustering signatures the parse workers made, by story id.
    Updated stories whose text changed are clustered again where nothing ties them
    (``assign.reclaim_rewritten``).
    """
    written = created_ids + updated_ids
    update_search_vectors(written)
    record_import_versions(created_ids, updated_ids)
    after_import(written, now)
    if updated_ids:
        assign.reclaim_rewritten(updated_ids, signed)
    assign.cluster_new_stories(article_ids=written, signed=signed, created=created_ids)


def record_import_versions(created_ids, updated_ids):
    """A version of each story the batch created or changed (none for unchanged files),
    before the rules run, so a rule's action shows as its own version."""
    if not import_records_versions():
        return
    for kind, pks, wanted in ((CREATED, created_ids, "created"), (CHANGED, updated_ids, "updated")):
        if pks:
            record_versions(pks, source="import", reason=f"Import ({wanted})", kind=kind)


def record_key(record):
    return record["fields"]["web_url_hash"]


def replace_children(changed, topic_ids):
    """Images, related links and topics of created or updated stories, rewritten whole."""
    updated_ids = [article_id for article_id, _, status in changed if status == "updated"]
    local_copies = {}
    if updated_ids:
        local_copies = cached_copies(updated_ids)
        ArticleImage.objects.filter(article_id__in=updated_ids).delete()
        RelatedLink.objects.filter(article_id__in=updated_ids).delete()
        Article.topics.through.objects.filter(article_id__in=updated_ids).delete()
    images, links, topics = [], [], []
    for article_id, record, _ in changed:
        images.extend(
            {
                "article_id": article_id,
                "position": position,
                **image,
                **local_copies.get((article_id, image["url"]), NO_LOCAL_COPY),
            }
            for position, image in enumerate(record["images"])
        )
        links.extend(
            {"article_id": article_id, "position": position, **link}
            for position, link in enumerate(record["related"])
        )
        topics.extend(
            {"article_id": article_id, "topic_id": topic_ids[name]} for name in record["topics"]
        )
    insert_rows(ArticleImage, images)
    insert_rows(RelatedLink, links)
    insert_rows(Article.topics.through, topics)


PLAIN_TYPES = {
    "BigAutoField",
    "BigIntegerField",
    "CharField",
    "ForeignKey",
    "IntegerField",
    "PositiveIntegerField",
    "TextField",
}
"""Field types whose Python values go to the database as they are."""


REPEATED_TYPES = {"DateTimeField"}
"""Field types whose values repeat across a batch's rows (the run's time is in three
columns of every story): each distinct value is prepared once per statement."""


def _preparer(field):
    """How one statement prepares this field's values: ``None`` for as they are."""
    kind = field.get_internal_type()
    if kind in PLAIN_TYPES:
        return None
    if kind in REPEATED_TYPES:
        return _once_per_value(field.get_db_prep_save)
    return field.get_db_prep_save


def _once_per_value(prepare):
    """``prepare(value, db)``, remembered per value for one statement's rows."""
    prepared = {}

    def once(value, db):
        if value not in prepared:
            prepared[value] = prepare(value, db)
        return prepared[value]

    return once


NO_LOCAL_COPY = {"local_file": "", "local_width": None, "local_height": None, "cached_at": None}


def cached_copies(article_ids):
    """Local copies (see cache_images) of these stories' images, by (story, URL):
    a re-import keeps them for every image whose URL did not change."""
    rows = (
        ArticleImage.objects.filter(article_id__in=article_ids)
        .exclude(local_file="")
        .values("article_id", "url", *NO_LOCAL_COPY)
    )
    return {(row.pop("article_id"), row.pop("url")): row for row in rows}


def insert_rows(model, rows, unique_fields=None, update_fields=None):
    """INSERT plain rows with one executemany; an upsert when ``unique_fields`` is given.

    bulk_create compiles SQL per value, which cost more than parsing the files;
    here the statement is built once and the values still go through each
    field's own database preparation, so every backend gets what the ORM would
    send. The ON CONFLICT clause is the backend's own (as bulk_create uses).
    It leans on private API (``_meta``, ``on_conflict_suffix_sql``): checked on
    Django 6.1 against bulk_create, table by table, in articles/tests/test_import_writer.py.
    """
    if not rows:
        return
    given = [model._meta.get_field(name) for name in rows[0]]
    # Columns the rows leave out get the model's defaults, as bulk_create would.
    defaults = [
        field
        for field in model._meta.concrete_fields
        if field not in given and not field.primary_key
    ]
    fields = given + defaults
    default_values = [field.get_default() for field in defaults]
    db = connections[router.db_for_write(model)]
    quote = db.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        quote(model._meta.db_table),
        ", ".join(quote(field.column) for field in fields),
        ", ".join(["%s"] * len(fields)),
    )
    if unique_fields:
        meta = model._meta
        sql += " " + db.ops.on_conflict_suffix_sql(
            fields,
            OnConflict.UPDATE,
            [meta.get_field(name).column for name in update_fields],
            [meta.get_field(name).column for name in unique_fields],
        )
    prepare = [_preparer(field) for field in fields]
    params = [
        [
            value if prep is None or value is None else prep(value, db)
            for prep, value in zip(prepare, [*row.values(), *default_values], strict=True)
        ]
        for row in rows
    ]
    with db.cursor() as cursor:
        cursor.executemany(sql, params)


def source_file_row(record, now, kind, article_id=None, topic_id=None, provider_id=None):
    return {
        "name": record["name"],
        "kind": kind,
        "content_hash": record["content_hash"],
        "article_id": article_id,
        "topic_id": topic_id,
        "provider_id": provider_id,
        "imported_at": now,
    }


def remember_files(rows):
    insert_rows(
        SourceFile,
        rows,
        unique_fields=["name"],
        update_fields=["kind", "content_hash", "article", "topic", "provider", "imported_at"],
    )


def ensure_providers(providers, lookups):
    """Primary keys of the outlets by domain, creating the ones not seen before."""
    missing = {p["domain"]: p for p in providers if p["domain"] not in lookups.provider_ids}
    if missing:
        found = dict(Provider.objects.filter(domain__in=missing).values_list("domain", "id"))
        new = [
            Provider(domain=domain, name=p["name"], source_images=p["images"])
            for domain, p in missing.items()
            if domain not in found
        ]
        if new:
            # ignore_conflicts: a concurrent import may create the same outlet.
            Provider.objects.bulk_create(new, ignore_conflicts=True)
            found.update(
                Provider.objects.filter(domain__in=[p.domain for p in new]).values_list(
                    "domain", "id"
                )
            )
        lookups.provider_ids.update(found)
    return lookups.provider_ids


def ensure_topics(names, lookups):
    """Primary keys of topics by name, creating the ones not seen before."""
    missing = {name for name in names if name not in lookups.topic_ids}
    if missing:
        lookups.topic_ids.update(Topic.objects.filter(name__in=missing).values_list("name", "id"))
        for name in sorted(missing - lookups.topic_ids.keys()):
            lookups.topic_ids[name] = topic_for(name).pk
    return lookups.topic_ids


def topic_for(name, slug=None):
    """The topic of this name, created with a free slug if it does not exist yet."""
    topic = Topic.objects.filter(name=name).first()
    if topic is None:
        topic, _ = _get_or_create_topic(name, slug)
    return topic


def _get_or_create_topic(name, slug):
    # get_or_create, not save(): a concurrent import may create the same topic
    # between our look-up and our INSERT; then we take its row.
    return Topic.objects.get_or_create(
        name=name, defaults={"slug": free_slug(Topic, slug or topic_slug_base(name))}
    )


def unique_slugs(bases):
    """Free article slugs for new stories, in order, distinct from each other too."""
    if not bases:
        return []
    taken = set(Article.objects.filter(slug__in=bases).values_list("slug", flat=True))
    slugs = []
    for base in bases:
        slug = first_free(base, taken)
        if slug != base:
            slug = first_free(base, taken | set(_slugs_like(base)))
        taken.add(slug)
        slugs.append(slug)
    return slugs


def _slugs_like(base):
    return Article.objects.filter(slug__startswith=base).values_list("slug", flat=True)


def write_topic(record, now):
    data = record["topic"]
    topic, created = _get_or_create_topic(data["name"], data["slug"])
    status = "created" if created else "unchanged"
    parent = topic_for(data["parent"]) if data["parent"] else None
    values = {
        "parent_id": parent.pk if parent else None,
        "description": data["description"],
        "keywords": data["keywords"],
        "hashtags": data["hashtags"],
        "extra": data["extra"],
        "source_file": record["name"],
    }
    if not topic.source_file and topic.slug != data["slug"]:
        # The topic's own file names its address the first time it is read
        # (a story may have named the topic before); after that, a re-import
        # never moves a published address.
        values["slug"] = free_slug(Topic, data["slug"], exclude_pk=topic.pk)
    if status == "unchanged" and any(getattr(topic, k) != v for k, v in values.items()):
        status = "updated"
    for key, value in values.items():
        setattr(topic, key, value)
    topic.save()
    remember_files([source_file_row(record, now, SourceFile.Kind.TOPIC, topic_id=topic.pk)])
    return status, topic


def write_organization(record, now):
    data = record["provider"]
    # get_or_create, not get-then-save: a concurrent import may create it first.
    provider, created = Provider.objects.get_or_create(
        domain=data["domain"], defaults={"name": data["name"]}
    )
    status = "created" if created else "unchanged"
    values = {**data, "source_file": record["name"]}
    if status == "unchanged" and any(getattr(provider, k) != v for k, v in values.items()):
        status = "updated"
    for key, value in values.items():
        setattr(provider, key, value)
    provider.save()
    remember_files(
        [source_file_row(record, now, SourceFile.Kind.ORGANIZATION, provider_id=provider.pk)]
    )
    return status, provider


LINK_CHUNK = 500
"""Stories per linking query: a run may write more stories than one query can name."""


def link_related_stories(article_ids, url_hashes):
    """Point related links at our own copy of the story they name, where we have one.

    Only links that may have found a story since: those of ``article_ids`` (the
    stories a run rewrote) and those naming ``url_hashes`` (the stories it created),
    so a run that changed nothing reads no related link at all.
    """
    same_url = Article.objects.filter(web_url_hash=OuterRef("web_url_hash"))
    unlinked = (
        RelatedLink.objects.filter(target__isnull=True)
        .exclude(web_url_hash="")
        .filter(Exists(same_url))
    )
    linked = 0
    for column, values in (("article_id", article_ids), ("web_url_hash", url_hashes)):
        values = sorted(values)
        for start in range(0, len(values), LINK_CHUNK):
            in_chunk = {f"{column}__in": values[start : start + LINK_CHUNK]}
            linked += unlinked.filter(**in_chunk).update(target=Subquery(same_url.values("pk")[:1]))
    return linked
