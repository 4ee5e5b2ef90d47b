"""The writer's fast path and its linking of related stories.

``writer.insert_rows`` rebuilds ``bulk_create`` on Django's private API (checked on
Django 6.1); the comparison below re-checks it on whatever Django is installed:
the same import, written through it and through ``bulk_create``, stores the same
values in every table it writes.
"""

import datetime as dt

import django
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.ingest import writer
from articles.models import Article, ArticleImage, RelatedLink, SourceFile, StorySignature, Topic
from providers.models import Provider

from .helpers import news_text, run_import, write
from .test_export_corpus import NO_SCORES, SEED_NEW

pytestmark = pytest.mark.django_db

WRITTEN_BY_INSERT_ROWS = [
    Article,
    ArticleImage,
    RelatedLink,
    Article.topics.through,
    SourceFile,
]
FOREIGN_KEYS = {
    "article_id": "article",
    "target_id": "article",
    "topic_id": "topic",
    "provider_id": "provider",
    "cluster_id": "cluster",
}
NOW = dt.datetime(2026, 1, 2, 3, 4, 5, 678901, tzinfo=dt.UTC)


def bulk_create_rows(model, rows, unique_fields=None, update_fields=None):
    """What insert_rows stands in for, through the ORM's public API."""
    objects = [model(**row) for row in rows]
    if unique_fields:
        model.objects.bulk_create(
            objects, update_conflicts=True, unique_fields=unique_fields, update_fields=update_fields
        )
    else:
        model.objects.bulk_create(objects)


def clusters_by_members():
    """Each cluster's id mapped to its stories' URL hashes: what identifies it across runs."""
    members = {}
    for cluster_id, url_hash in Article.objects.values_list("cluster_id", "web_url_hash"):
        members.setdefault(cluster_id, []).append(url_hash)
    return {cluster_id: tuple(sorted(hashes)) for cluster_id, hashes in members.items()}


def stored_rows(models=WRITTEN_BY_INSERT_ROWS):
    """Every column of every table insert_rows writes (or of ``models``), as the
    database returns it; primary keys left out and foreign keys given as natural keys."""
    natural = {
        "article": dict(Article.objects.values_list("pk", "web_url_hash")),
        "topic": dict(Topic.objects.values_list("pk", "name")),
        "provider": dict(Provider.objects.values_list("pk", "domain")),
        "cluster": clusters_by_members(),
    }
    tables = {}
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(model._meta.db_table)}")
            columns = [column[0] for column in cursor.description]
            rows = []
            for row in cursor.fetchall():
                values = dict(zip(columns, row, strict=True))
                del values["id"]
                for column, kind in FOREIGN_KEYS.items():
                    if values.get(column) is not None:
                        values[column] = natural[kind][values[column]]
                rows.append(values)
            tables[model._meta.db_table] = sorted(rows, key=repr)
    return tables


def import_twice(tmp_path, corpus):
    """Real files, a topic and an outlet; then one file's values change and another's
    bytes only, so both upserts run (all fields, and the bookkeeping ones)."""
    source = (corpus / "news" / SEED_NEW).read_text(encoding="utf-8")
    unscored = (corpus / "news" / NO_SCORES).read_text(encoding="utf-8")
    folder = tmp_path / "in"
    write(folder, f"news/{SEED_NEW}", source)
    write(folder, f"news/{NO_SCORES}", unscored)
    write(folder, "topics/ai.yaml", "taxonomy: topic\nname: AI\n_id: ai\nkeywords: [x]\n")
    write(
        folder,
        "organizations/ibtimes.com.md",
        "---\ntaxonomy: organization\nname: IBT\ndomain: ibtimes.com\nimages: []\n---\n",
    )
    assert run_import(folder)[0] == 0
    write(folder, f"news/{SEED_NEW}", source.replace("quality: 74", "quality: 75", 1))
    write(folder, f"news/{NO_SCORES}", unscored + "\n\n")
    _, out, _ = run_import(folder)
    assert out.strip() == "4 files: 0 created, 1 updated, 3 unchanged, 0 failed"


class TestInsertRowsStoresWhatBulkCreateWould:
    def test_every_table_holds_the_same_values(self, tmp_path, corpus, monkeypatch):
        monkeypatch.setattr("django.utils.timezone.now", lambda: NOW)
        import_twice(tmp_path / "fast", corpus)
        fast = stored_rows()
        for model in (SourceFile, Article, Topic, Provider):
            model.objects.all().delete()

        calls = []

        def through_bulk_create(model, rows, unique_fields=None, update_fields=None):
            calls.append(model)
            if rows:
                bulk_create_rows(model, rows, unique_fields, update_fields)

        monkeypatch.setattr(writer, "insert_rows", through_bulk_create)
        import_twice(tmp_path / "orm", corpus)
        assert set(calls) == set(WRITTEN_BY_INSERT_ROWS)
        orm = stored_rows()
        assert all(fast.values()), {table: len(rows) for table, rows in fast.items()}
        assert fast == orm

    def test_signature_rows_are_what_bulk_create_stores(self, tmp_path, corpus):
        """The clustering writes its signatures by a plain executemany with only the
        time in the backend's form (``assign._store_signatures``): the same columns,
        byte for byte, as the ORM writes from the same values."""
        import_twice(tmp_path, corpus)
        plain = stored_rows([StorySignature])
        assert plain["articles_storysignature"]
        again = [
            StorySignature(**row)
            for row in StorySignature.objects.values(
                "article_id", "published_at", "data_hash", "features"
            )
        ]
        StorySignature.objects.all().delete()
        StorySignature.objects.bulk_create(again)
        assert stored_rows([StorySignature]) == plain

    def test_the_django_version_it_was_checked_on_is_the_installed_one(self):
        """On a new Django, read the comparison above pass, then update this note."""
        assert django.VERSION[:2] == (6, 1)


def linked_story(url, related_url):
    return news_text("Story", url).replace(
        "secured:", f'related:\n  - title: "Elsewhere"\n    webUrl: "{related_url}"\nsecured:'
    )


class TestLinkingRelatedStories:
    A, B = "https://example.com/a", "https://example.com/b"

    def test_a_link_finds_a_story_a_later_run_creates(self, tmp_path):
        write(tmp_path / "one", "a.md", linked_story(self.A, self.B))
        run_import(tmp_path / "one")
        assert RelatedLink.objects.get().target is None
        write(tmp_path / "two", "b.md", news_text("B", self.B))
        run_import(tmp_path / "two")
        assert RelatedLink.objects.get().target == Article.objects.get(web_url=self.B)

    def test_a_story_deleted_and_imported_again_is_linked_again(self, tmp_path):
        write(tmp_path, "a.md", linked_story(self.A, self.B))
        write(tmp_path, "b.md", news_text("B", self.B))
        run_import(tmp_path)
        Article.objects.filter(web_url=self.B).delete()  # its link's target becomes NULL
        run_import(tmp_path)
        assert RelatedLink.objects.get().target == Article.objects.get(web_url=self.B)

    def test_a_run_that_changes_nothing_reads_no_related_link(self, tmp_path):
        write(tmp_path, "a.md", linked_story(self.A, "https://elsewhere.example/never"))
        run_import(tmp_path)
        with CaptureQueriesContext(connection) as queries:
            _, out, _ = run_import(tmp_path)
        assert "1 unchanged" in out
        table = RelatedLink._meta.db_table
        assert not [query["sql"] for query in queries if table in query["sql"]]

    def test_linking_queries_do_not_grow_with_the_stories_written(self, tmp_path):
        for index in range(3):
            write(tmp_path, f"{index}.md", linked_story(f"{self.A}/{index}", self.B))
        with CaptureQueriesContext(connection) as few:
            run_import(tmp_path)
        for index in range(3, 30):
            write(tmp_path, f"{index}.md", linked_story(f"{self.A}/{index}", self.B))
        with CaptureQueriesContext(connection) as many:
            run_import(tmp_path)
        table = RelatedLink._meta.db_table

        def linking(queries):
            # Updates of the link table itself (the coverage UPDATE only reads it).
            return [q for q in queries if q["sql"].startswith(f'UPDATE "{table}"')]

        assert len(linking(few)) == len(linking(many)) == 2
