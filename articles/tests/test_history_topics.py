"""A story's topics are part of its versions: seen, compared and reverted like its fields."""

import importlib
from types import SimpleNamespace

import pytest
from django.contrib.admin.models import LogEntry
from django.db import connection
from django.urls import reverse

from articles import publishing
from articles.history import record_versions, revert, versions_of
from articles.models import Article, Topic

from .admin_helpers import change_form_data
from .factories import ArticleFactory, TopicFactory
from .helpers import news_text, run_import, write

pytestmark = pytest.mark.django_db


def newest(story):
    return versions_of(story.pk).first()


def link(story, *topics):
    """Link ``topics`` to ``story`` in this order (the link ids keep a story's order)."""
    through = Article.topics.through
    through.objects.filter(article=story).delete()
    through.objects.bulk_create(through(article=story, topic=topic) for topic in topics)


def versioned_story(editor, *topics):
    """A story in ``topics`` (in this order) and its version recording them."""
    story = ArticleFactory()
    link(story, *topics)
    record_versions([story.pk], editor, reason="baseline")
    return story, newest(story)


def slugs_now(story):
    through = Article.topics.through.objects.filter(article=story).order_by("pk")
    return list(through.values_list("topic__slug", flat=True))


def change_form_post(client, story, **changes):
    url = reverse("admin:articles_article_change", args=[story.pk])
    return client.post(url, {**change_form_data(client, story), **changes, "_save": "Save"})


@pytest.fixture
def topics():
    return [TopicFactory(name=name.title(), slug=name) for name in ("alpha", "beta", "gamma")]


class TestCapture:
    def test_the_story_form_leaves_one_version_with_the_topics_it_saved(
        self, editor_client, editor, topics
    ):
        alpha, beta, gamma = topics
        story = ArticleFactory(topics=[alpha])
        count = versions_of(story.pk).count()
        response = change_form_post(editor_client, story, topics=[str(beta.pk), str(gamma.pk)])
        assert response.status_code == 302
        assert versions_of(story.pk).count() == count + 1
        version = newest(story)
        assert sorted(version.topic_slugs.split()) == ["beta", "gamma"]
        assert (version.history_user, version.history_change_reason) == (
            editor,
            "Changed in the story form: Topics",
        )

    def test_the_form_names_changed_inlines_in_the_reason(self, editor_client):
        story = ArticleFactory()
        response = change_form_post(
            editor_client,
            story,
            **{
                "images-TOTAL_FORMS": "1",
                "images-0-position": "0",
                "images-0-url": "https://img.example/a.png",
            },
        )
        assert response.status_code == 302
        assert story.images.count() == 1
        assert newest(story).history_change_reason == "Changed in the story form: article images"

    def test_bulk_writes_and_plain_saves_keep_the_topics_in_the_storys_order(self, editor, topics):
        alpha, beta, gamma = topics
        story, bare = ArticleFactory(published=False), ArticleFactory(published=False)
        link(story, gamma, alpha)
        publishing.publish(Article.objects.filter(pk__in=[story.pk, bare.pk]), editor)
        assert newest(story).topic_slugs == "gamma alpha"
        assert newest(bare).topic_slugs == ""  # none: not the NULL of "not kept"
        story.title = "Saved by a script"
        story.save()
        assert (newest(story).title, newest(story).topic_slugs) == (
            "Saved by a script",
            "gamma alpha",
        )

    def test_topics_changed_through_the_orm_leave_a_version(self, topics):
        alpha, beta, _ = topics
        story = ArticleFactory()
        story.topics.add(alpha)
        assert (newest(story).topic_slugs, newest(story).history_change_reason) == (
            "alpha",
            "Topics changed",
        )
        beta.articles.add(story)
        assert sorted(newest(story).topic_slugs.split()) == ["alpha", "beta"]
        assert newest(story).history_change_reason == "Topics changed: Beta"
        beta.articles.clear()
        story.topics.remove(alpha)
        assert newest(story).topic_slugs == ""
        assert [v.history_change_reason for v in versions_of(story.pk)[:2]] == [
            "Topics changed",
            "Topics changed: Beta",
        ]

    def test_the_import_keeps_the_files_topics(self, tmp_path):
        write(tmp_path, "a.md", news_text())
        assert run_import(tmp_path)[0] == 0
        story = Article.objects.get()
        assert newest(story).topic_slugs == Topic.objects.get(name="AI").slug


class TestCompare:
    def test_the_versions_page_and_compare_show_a_topic_change(self, editor_client, editor, topics):
        alpha, beta, _ = topics
        story, before = versioned_story(editor, alpha)
        change_form_post(editor_client, story, topics=[str(beta.pk)])
        after = newest(story)
        page = editor_client.get(reverse("admin:articles_article_versions", args=[story.pk]))
        assert [c.name for c in page.context["rows"][0]["changes"]][-1] == "topics"
        url = reverse("admin:articles_article_versions_compare", args=[story.pk])
        page = editor_client.get(url, {"from": before.history_id, "to": after.history_id})
        changes = {c.name: (c.before, c.after) for c in page.context["changes"]}
        assert changes["topics"] == ("alpha", "beta")
        assert '<td class="version-before">alpha</td>' in page.content.decode()


class TestRevert:
    def test_revert_puts_the_topics_back_in_their_order_and_logs_it(
        self, editor_client, editor, topics
    ):
        alpha, beta, gamma = topics
        story, good = versioned_story(editor, gamma, alpha)
        change_form_post(editor_client, story, topics=[str(beta.pk)])
        assert slugs_now(story) == ["beta"]
        url = reverse("admin:articles_article_version_revert", args=[story.pk, good.history_id])
        confirm = editor_client.get(url)
        assert {c.name: c.after for c in confirm.context["changes"]}["topics"] == "gamma, alpha"
        assert editor_client.post(url).status_code == 302
        assert slugs_now(story) == ["gamma", "alpha"]
        assert newest(story).topic_slugs == "gamma alpha"
        assert newest(story).history_change_reason.startswith(f"Reverted to version {good.pk}")
        entry = LogEntry.objects.filter(object_id=str(story.pk)).latest("pk")
        assert f"Reverted to version {good.history_id}" in entry.get_change_message()
        story.refresh_from_db()
        assert story.decided_by == "editor"
        if connection.vendor == "postgresql":  # the search vector follows the topics
            assert Article.objects.filter(pk=story.pk, search_vector="gamma").exists()

    def test_a_version_from_before_kept_topics_leaves_them_alone(self, editor, topics):
        """Versions older than migration 0018 say NULL: unknown, so not "no topics"."""
        alpha, beta, _ = topics
        story = ArticleFactory(title="Old title", topics=[alpha])
        old = newest(story)
        type(old).objects.filter(pk=old.pk).update(topic_slugs=None)
        old.refresh_from_db()
        story.title = "New title"
        story.save()
        link(story, beta)
        assert revert(story.pk, old, editor) == ["decided_by", "published", "review_state", "title"]
        assert (Article.objects.get(pk=story.pk).title, slugs_now(story)) == ("Old title", ["beta"])

    def test_revert_to_a_deleted_topic_is_refused_naming_it(self, editor_client, editor, topics):
        alpha, beta, _ = topics
        story, good = versioned_story(editor, alpha)
        link(story, beta)
        alpha.delete()
        url = reverse("admin:articles_article_version_revert", args=[story.pk, good.history_id])
        response = editor_client.post(url, follow=True)
        assert "topics: no topic has the address &#x27;alpha&#x27; of version" in (
            response.content.decode()
        )
        assert slugs_now(story) == ["beta"]


class TestMigration:
    def test_0018_gives_each_storys_newest_version_its_topics(self, editor, topics):
        from django.apps import apps

        migration = importlib.import_module("articles.migrations.0018_version_topics")
        alpha, beta, _ = topics
        story, bare = ArticleFactory(), ArticleFactory()
        link(story, beta, alpha)
        record_versions([story.pk, bare.pk], editor, reason="before 0018")
        type(newest(story)).objects.update(topic_slugs=None)
        # What the migration reads of its schema editor (SQLite's cannot open in a test's
        # transaction): the connection, and a way to run a statement.
        with connection.cursor() as cursor:
            editor_stub = SimpleNamespace(connection=connection, execute=cursor.execute)
            migration.topics_of_newest_versions(apps, editor_stub)
        kept = [v.topic_slugs for v in versions_of(story.pk)]
        assert kept[0] == "beta alpha" and set(kept[1:]) == {None}
        assert newest(bare).topic_slugs == ""
