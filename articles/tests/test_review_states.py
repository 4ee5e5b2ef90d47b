"""The four review states and the published flag: always in agreement, honest about who
decided, and filterable in the admin."""

import importlib

import pytest
from django.apps import apps
from django.db import IntegrityError, connection, transaction

from articles import publishing
from articles.models import Article

from .admin_helpers import CHANGELIST, form_data, make_editor, row_index
from .factories import ArticleFactory

pytestmark = pytest.mark.django_db


def state(article):
    return Article.objects.values_list("review_state", "decided_by", "published").get(pk=article.pk)


class TestStateAndFlagAgree:
    def test_the_database_refuses_a_public_story_in_another_state(self):
        article = ArticleFactory(published=True)
        table = Article._meta.db_table
        with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"UPDATE {table} SET review_state = 'held' WHERE id = %s", [article.pk])

    def test_flipping_the_flag_moves_the_state(self):
        """Code that only sets ``published`` (save, update, bulk_create) stays consistent."""
        article = ArticleFactory(published=False)
        Article.objects.filter(pk=article.pk).update(published=True)
        assert state(article)[0] == "published"
        Article.objects.filter(pk=article.pk).update(published=False)
        assert state(article)[0] == "waiting"
        article.refresh_from_db()
        article.published = True
        article.save(update_fields=["published"])
        assert state(article)[0] == "published"
        built = ArticleFactory.build(published=True, provider=article.provider)
        [made] = Article.objects.bulk_create([built])
        assert state(made)[0] == "published"

    def test_unpublishing_by_flag_keeps_a_held_or_rejected_state(self):
        article = ArticleFactory(published=False)
        publishing.reject(Article.objects.filter(pk=article.pk), make_editor())
        Article.objects.filter(pk=article.pk).update(published=False)
        assert state(article) == ("rejected", "editor", False)

    def test_held_and_rejected_are_never_public(self):
        held, rejected = ArticleFactory(published=True), ArticleFactory(published=True)
        editor = make_editor()
        publishing.hold(Article.objects.filter(pk=held.pk), editor)
        publishing.reject(Article.objects.filter(pk=rejected.pk), editor)
        assert not Article.objects.published().exists()


class TestEditorDecisions:
    def test_actions_record_the_editor_and_log_each_change(self):
        from django.contrib.admin.models import LogEntry

        stories = ArticleFactory.create_batch(3, published=False)
        editor = make_editor()
        qs = Article.objects.filter(pk__in=[s.pk for s in stories])
        assert publishing.hold(qs, editor) == 3
        assert publishing.hold(qs, editor) == 0
        assert {state(s) for s in stories} == {("held", "editor", False)}
        assert publishing.publish(qs, editor) == 3
        assert publishing.unpublish(qs, editor) == 3
        assert {state(s) for s in stories} == {("held", "editor", False)}
        assert LogEntry.objects.count() == 9

    def test_a_list_edit_is_the_editors_decision(self, editor_client):
        """Ticking ``published`` off in the list holds the story; ticking it on publishes."""
        live = ArticleFactory(published=True, title="Live")
        waiting = ArticleFactory(published=False, title="Waiting")
        data = form_data(editor_client.get(CHANGELIST))
        data.pop(f"{row_index(data, live)}-published")
        data[f"{row_index(data, waiting)}-published"] = ["on"]
        data["_save"] = ["Save"]
        response = editor_client.post(CHANGELIST, data)
        assert response.status_code == 302
        assert state(live) == ("held", "editor", False)
        assert state(waiting) == ("published", "editor", True)

    def test_states_are_filterable_in_the_admin(self, editor_client):
        editor = make_editor("other")
        stories = {name: ArticleFactory(published=False) for name in ("held", "rejected")}
        publishing.hold(Article.objects.filter(pk=stories["held"].pk), editor)
        publishing.reject(Article.objects.filter(pk=stories["rejected"].pk), editor)
        waiting = ArticleFactory(published=False)
        for value, expected in [("held", stories["held"]), ("rejected", stories["rejected"])]:
            response = editor_client.get(CHANGELIST, {"review_state__exact": value})
            assert [a.pk for a in response.context["cl"].result_list] == [expected.pk]
        response = editor_client.get(CHANGELIST, {"review_state__exact": "waiting"})
        assert [a.pk for a in response.context["cl"].result_list] == [waiting.pk]


class TestMigration:
    def test_existing_rows_get_honest_states(self):
        """Published rows are published; rows an editor made or changed are the editor's."""
        migration = importlib.import_module("articles.migrations.0008_review_states_and_rules")
        from_file = ArticleFactory(published=True, imported_published=True, quality=50)
        from_file_waiting = ArticleFactory(published=False, imported_published=False, quality=5)
        edited = ArticleFactory(published=True, imported_published=False, quality=50)
        rescored = ArticleFactory(published=False, imported_published=False, quality=None)
        made_in_admin = ArticleFactory(published=False, imported_published=None)
        Article.objects.filter(pk=made_in_admin.pk).update(imported_at=None)
        now = from_file.created_at
        Article.objects.exclude(pk=made_in_admin.pk).update(imported_at=now, decided_by="")
        Article.objects.filter(pk__in=[from_file.pk, edited.pk]).update(imported_quality=50)
        Article.objects.filter(pk=from_file_waiting.pk).update(imported_quality=5)
        Article.objects.filter(pk=rescored.pk).update(imported_quality=30)
        migration.set_review_states(apps, None)
        assert state(from_file) == ("published", "source", True)
        assert state(from_file_waiting) == ("waiting", "", False)
        assert state(edited) == ("published", "editor", True)
        assert state(rescored) == ("waiting", "editor", False)
        assert state(made_in_admin)[1] == "editor"
