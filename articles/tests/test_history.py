"""Every change to a story leaves a version an editor can see, compare and revert to."""

import pytest
from django.contrib.admin.models import LogEntry
from django.test import Client
from django.urls import reverse

from articles import publishing
from articles.clusters import editing
from articles.history import latest_version_id, record_versions, revert, versions_of
from articles.identity import url_hash
from articles.models import Article
from articles.rules.engine import run_rules
from newsroom import pagecache

from .admin_helpers import CHANGELIST, change_form_data, form_data, row_index, set_checkbox
from .factories import ArticleFactory, ProviderFactory
from .helpers import news_text, run_import, write
from .rules_support import make_rule, waiting_story

pytestmark = pytest.mark.django_db


def versions(story):
    """(who, why, quality, review_state) of each version, oldest first."""
    return [
        (v.history_user.username if v.history_user else v.history_source, v.history_change_reason)
        for v in reversed(list(versions_of(story.pk)))
    ]


def newest(story):
    return versions_of(story.pk).first()


def change_form_post(client, story, **changes):
    url = reverse("admin:articles_article_change", args=[story.pk])
    return client.post(url, {**change_form_data(client, story), **changes, "_save": "Save"})


class TestCapture:
    def test_the_story_form_leaves_a_version_with_the_editor_and_the_fields(
        self, editor_client, editor
    ):
        story = ArticleFactory(quality=10)
        response = change_form_post(editor_client, story, quality="55", title="A new title")
        assert response.status_code == 302
        version = newest(story)
        assert (version.quality, version.title, version.history_user) == (55, "A new title", editor)
        assert version.history_change_reason == "Changed in the story form: Quality, Title"

    def test_a_list_edit_leaves_a_version(self, editor_client, editor):
        story = ArticleFactory(published=False, quality=10)
        data = form_data(editor_client.get(CHANGELIST))
        row = row_index(data, story)
        data[f"{row}-quality"] = ["80"]
        set_checkbox(data, f"{row}-published", True)
        assert editor_client.post(CHANGELIST, {**data, "_save": "Save"}).status_code == 302
        version = newest(story)
        assert (version.quality, version.published, version.review_state) == (80, True, "published")
        assert version.history_user == editor
        assert version.history_change_reason == "List edit: Published, Quality"

    def test_bulk_publish_and_set_quality_leave_one_version_each(self, editor):
        stories = [ArticleFactory(published=False, quality=10) for _ in range(3)]
        queryset = Article.objects.filter(pk__in=[s.pk for s in stories])
        assert publishing.publish(queryset, editor) == 3
        assert publishing.set_quality(queryset, editor, 70) == 3
        for story in stories:
            assert versions(story)[-2:] == [
                ("editor", "Published"),
                ("editor", "Quality set to 70"),
            ]
            assert (newest(story).published, newest(story).quality) == (True, 70)

    def test_the_admin_bulk_action_leaves_a_version_per_story(self, editor_client, editor):
        stories = [ArticleFactory(published=False) for _ in range(2)]
        data = {"action": "publish_selected", "index": "0"}
        data["_selected_action"] = [story.pk for story in stories]
        assert editor_client.post(CHANGELIST, data).status_code == 302
        for story in stories:
            assert (newest(story).history_user, newest(story).published) == (editor, True)

    def test_every_stored_story_gets_a_first_version_in_one_statement(
        self, django_assert_num_queries
    ):
        """What the migration does for the stories stored before history began."""
        provider = ProviderFactory()
        urls = [f"https://x.example/{n}" for n in range(3)]
        stories = Article.objects.bulk_create(
            ArticleFactory.build(provider=provider, web_url=url, web_url_hash=url_hash(url))
            for url in urls
        )
        assert not versions_of(stories[0].pk).exists()  # bulk_create sends no signal
        with django_assert_num_queries(1):
            record_versions(None, source="history begins", kind="+")
        assert all(versions(story) == [("history begins", "")] for story in stories)

    def test_unchanged_stories_of_a_bulk_action_get_no_version(self, editor):
        already = ArticleFactory(published=True)
        before = latest_version_id(already.pk)
        publishing.publish(Article.objects.filter(pk=already.pk), editor)
        assert latest_version_id(already.pk) == before

    def test_the_review_queue_leaves_a_version(self, editor_client, editor):
        story = waiting_story()
        response = editor_client.post(
            reverse("admin:articles_queue_act"), {"story": story.pk, "action": "reject"}
        )
        assert response.status_code == 200
        version = newest(story)
        assert (version.review_state, version.history_user) == ("rejected", editor)

    def test_a_rule_leaves_a_version_naming_the_rule(self):
        story = waiting_story(quality=5)
        rule = make_rule(
            action="set_quality", action_quality=40, name="Score the rest", quality_max=100
        )
        run_rules([rule], [story.pk], "apply")
        version = newest(story)
        assert version.quality == 40
        assert (version.history_user, version.history_source) == (None, "rule: Score the rest")
        assert version.history_change_reason == "Rule applied: Score the rest"

    def test_a_cluster_tool_leaves_a_version(self, editor):
        story = ArticleFactory()
        editing.split_off(Article.objects.filter(pk=story.pk), editor)
        version = newest(story)
        assert version.cluster_pinned is True
        assert version.history_change_reason.startswith("Split off into cluster")


class TestImportCapture:
    def test_import_creates_then_updates_and_a_no_op_leaves_none(self, tmp_path):
        path = write(tmp_path, "a.md", news_text(title="First title"))
        assert run_import(tmp_path)[0] == 0
        story = Article.objects.get()
        assert versions(story) == [("import", "Import (created)")]
        assert newest(story).history_type == "+"

        run_import(tmp_path)  # unchanged file: skipped, and no version
        assert len(versions(story)) == 1

        path.write_text(news_text(title="Second title"))
        run_import(tmp_path)
        assert versions(story)[-1] == ("import", "Import (updated)")
        assert [v.title for v in versions_of(story.pk)] == ["Second title", "First title"]

    def test_a_rule_at_import_is_its_own_version_after_the_import(self, tmp_path):
        make_rule(action="hold", name="Hold everything", outlet_domain="example.com")
        write(tmp_path, "a.md", news_text(scores="quality: 50"))
        run_import(tmp_path)
        story = Article.objects.get()
        assert versions(story) == [
            ("import", "Import (created)"),
            ("rule: Hold everything", "Rule applied: Hold everything"),
        ]
        assert newest(story).review_state == "held"

    def test_the_setting_switches_the_import_versions_off(self, tmp_path, settings):
        settings.NEWSROOM_HISTORY_ON_IMPORT = False
        write(tmp_path, "a.md", news_text())
        run_import(tmp_path)
        assert not versions_of(Article.objects.get().pk).exists()


class TestQueries:
    def test_bulk_actions_add_the_same_queries_for_3_or_30_stories(
        self, editor, django_assert_max_num_queries
    ):
        def publish(count):
            stories = ArticleFactory.create_batch(count, published=False)
            queryset = Article.objects.filter(pk__in=[s.pk for s in stories])
            # The locked rows, the UPDATE, the versions' INSERT, the admin log,
            # the savepoint pair (content type cached after the first call).
            with django_assert_max_num_queries(8) as captured:
                assert publishing.publish(queryset, editor) == count
            return len(captured)

        publish(1)  # warm the content-type cache
        assert publish(3) == publish(30)

    def test_record_versions_is_one_insert_per_batch(self, django_assert_num_queries):
        ids = [story.pk for story in ArticleFactory.create_batch(12)]
        with django_assert_num_queries(1):
            assert record_versions(ids, source="test", reason="why") == 12

    def test_the_versions_page_costs_the_same_for_2_or_20_versions(
        self, editor_client, editor, django_assert_max_num_queries
    ):
        story = ArticleFactory(quality=1)
        url = reverse("admin:articles_article_versions", args=[story.pk])

        def count():
            # Session, user, permissions; the story; the page's COUNT and rows; the older one.
            with django_assert_max_num_queries(9) as captured:
                response = editor_client.get(url)
            assert response.status_code == 200
            return len(captured), len(response.context["rows"])

        publishing.set_quality(Article.objects.filter(pk=story.pk), editor, 2)
        few = count()
        for quality in range(3, 21):
            publishing.set_quality(Article.objects.filter(pk=story.pk), editor, quality)
        many = count()
        assert (few[1], many[1]) == (2, 20)
        assert few[0] == many[0]


class TestVersionsPage:
    def test_lists_who_why_and_what_changed(self, editor_client, editor):
        story = ArticleFactory(quality=10)
        publishing.set_quality(Article.objects.filter(pk=story.pk), editor, 60)
        page = editor_client.get(reverse("admin:articles_article_versions", args=[story.pk]))
        html = page.content.decode()
        assert "Quality set to 60" in html
        first = page.context["rows"][0]
        changed = [c.name for c in first["changes"]]
        assert (first["who"], changed) == ("editor", ["quality", "decided_by"])

    @pytest.mark.parametrize("page", ["change", "history"])
    def test_the_story_pages_link_to_the_versions(self, editor_client, page):
        story = ArticleFactory()
        shown = editor_client.get(reverse(f"admin:articles_article_{page}", args=[story.pk]))
        assert reverse("admin:articles_article_versions", args=[story.pk]) in shown.content.decode()

    def test_a_page_past_the_end_is_a_404(self, editor_client):
        story = ArticleFactory()
        url = reverse("admin:articles_article_versions", args=[story.pk])
        assert editor_client.get(url, {"page": "9"}).status_code == 404
        assert editor_client.get(url, {"page": "x"}).status_code == 404

    def test_readers_are_sent_to_log_in(self, client):
        story = ArticleFactory()
        response = client.get(reverse("admin:articles_article_versions", args=[story.pk]))
        assert response.status_code == 302


class TestCompare:
    def test_any_two_versions_field_by_field(self, editor_client, editor):
        """Versions 1 and 3 compared: what changed across both steps, not only the last."""
        story = ArticleFactory(quality=10, title="Old title")
        first = newest(story)
        one = Article.objects.filter(pk=story.pk)
        publishing.set_quality(one, editor, 20)
        change_form_post(editor_client, story, title="New title")
        last = newest(story)
        url = reverse("admin:articles_article_versions_compare", args=[story.pk])
        page = editor_client.get(url, {"from": last.history_id, "to": first.history_id})
        assert page.status_code == 200
        changes = {c.name: (c.before, c.after) for c in page.context["changes"]}
        assert changes["quality"] == (10, 20)
        assert changes["title"] == ("Old title", "New title")
        assert page.context["before"] == first  # older on the left whatever the order given

    def test_a_missing_or_foreign_version_is_named(self, editor_client):
        story, other = ArticleFactory(), ArticleFactory()
        url = reverse("admin:articles_article_versions_compare", args=[story.pk])
        response = editor_client.get(url, {"from": "abc", "to": "1"}, follow=True)
        assert "From: choose two versions to compare" in response.content.decode()
        foreign = newest(other).history_id
        response = editor_client.get(url, {"from": newest(story).history_id, "to": foreign})
        assert response.status_code == 404


class TestRevert:
    def test_revert_of_a_bulk_publish_unpublishes_again(
        self, editor_client, editor, monkeypatch, django_capture_on_commit_callbacks
    ):
        """Bulk publish 3 stories, revert one to before: it leaves the public site."""
        client = Client()  # a reader
        stories = [ArticleFactory(published=False) for _ in range(3)]
        publishing.publish(Article.objects.filter(pk__in=[s.pk for s in stories]), editor)
        target = stories[1]
        assert client.get(target.get_absolute_url()).status_code == 200
        before_publish = list(versions_of(target.pk))[1]
        assert before_publish.published is False
        retired = []
        real = pagecache.pages_changed
        monkeypatch.setattr(pagecache, "pages_changed", lambda: retired.append(real()))
        url = reverse(
            "admin:articles_article_version_revert", args=[target.pk, before_publish.history_id]
        )
        confirm = editor_client.get(url)
        assert [c.name for c in confirm.context["changes"]] == ["review_state"]
        assert Article.objects.get(pk=target.pk).published  # GET changes nothing
        with django_capture_on_commit_callbacks(execute=True):
            response = editor_client.post(url)
        assert response.status_code == 302
        target.refresh_from_db()
        assert (target.published, target.review_state, target.decided_by) == (
            False,
            "waiting",
            "editor",
        )
        assert retired  # the cached public pages were retired
        assert client.get(target.get_absolute_url()).status_code == 404
        assert Article.objects.published().count() == 2
        assert newest(target).history_change_reason.startswith(
            f"Reverted to version {before_publish.history_id} ("
        )
        entry = LogEntry.objects.filter(object_id=str(target.pk)).latest("pk")
        assert entry.user == editor
        assert f"Reverted to version {before_publish.history_id}" in entry.get_change_message()

    def test_revert_from_a_form_edit_puts_the_fields_back(self, editor_client, editor):
        story = ArticleFactory(title="Right title", quality=30)
        good = newest(story)
        change_form_post(editor_client, story, title="Wrong title", quality="90")
        changed = revert(story.pk, good, editor)
        assert {"title", "quality", "decided_by"} <= set(changed)
        story.refresh_from_db()
        assert (story.title, story.quality, story.decided_by) == ("Right title", 30, "editor")

    def test_revert_to_a_slug_another_story_took_is_refused(self, editor_client, editor):
        story = ArticleFactory(slug="the-address")
        old = newest(story)
        change_form_post(editor_client, story, slug="moved-away")
        ArticleFactory(slug="the-address")
        url = reverse("admin:articles_article_version_revert", args=[story.pk, old.history_id])
        response = editor_client.post(url, follow=True)
        assert "slug: another story now has the address" in response.content.decode()
        story.refresh_from_db()
        assert story.slug == "moved-away"

    def test_only_editors_who_may_change_may_revert(self, client, django_user_model):
        story = ArticleFactory()
        viewer = django_user_model.objects.create_user("viewer", is_staff=True)
        client.force_login(viewer)
        url = reverse(
            "admin:articles_article_version_revert", args=[story.pk, newest(story).history_id]
        )
        assert client.post(url).status_code == 403
