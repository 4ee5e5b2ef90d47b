"""Bulk actions on the story list, and the publishing rules behind them."""

import datetime as dt

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.utils import timezone

from articles import publishing
from articles.models import Article

from .admin_helpers import CHANGELIST
from .factories import ArticleFactory

pytestmark = pytest.mark.django_db


def run_action(client, action, articles, **extra):
    data = {"action": action, "index": "0", "_selected_action": [a.pk for a in articles]}
    return client.post(CHANGELIST, {**data, **extra}, follow=True)


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


def logged_pks():
    return sorted(int(pk) for pk in LogEntry.objects.values_list("object_id", flat=True))


class TestPublishActions:
    def test_publish_reports_how_many_changed(self, editor_client):
        """Publishing counts only stories that were unpublished, and logs only those."""
        waiting = ArticleFactory.create_batch(2, published=False)
        live = ArticleFactory(published=True)
        response = run_action(editor_client, "publish_selected", [*waiting, live])
        assert messages_of(response) == ["Published 2 stories. 1 was already published."]
        assert Article.objects.published().count() == 3
        assert logged_pks() == sorted(a.pk for a in waiting)
        assert {e.get_change_message() for e in LogEntry.objects.all()} == {"Changed Published."}

    def test_unpublish(self, editor_client):
        """Unpublishing takes the selected stories off the site, and only those."""
        chosen, other = ArticleFactory(published=True), ArticleFactory(published=True)
        response = run_action(editor_client, "unpublish_selected", [chosen])
        assert messages_of(response) == ["Unpublished 1 story."]
        assert list(Article.objects.unpublished()) == [chosen]
        other.refresh_from_db()
        assert other.published

    def test_select_across_the_filtered_list(self, editor_client):
        """ "Select all" applies to every story matching the filters, not just the page."""
        waiting = ArticleFactory.create_batch(3, published=False, quality=10)
        scored = ArticleFactory(published=False, quality=95)
        response = editor_client.post(
            CHANGELIST + "?quality_band=0",
            {
                "action": "publish_selected",
                "index": "0",
                "select_across": "1",
                "_selected_action": [waiting[0].pk],
            },
            follow=True,
        )
        assert messages_of(response) == ["Published 3 stories."]
        scored.refresh_from_db()
        assert not scored.published

    def test_bulk_update_bumps_updated_at(self, editor_client):
        """update() skips auto_now; the action sets updated_at itself (Last-Modified)."""
        article = ArticleFactory(published=False)
        past = timezone.now() - dt.timedelta(days=3)
        Article.objects.filter(pk=article.pk).update(updated_at=past)
        run_action(editor_client, "publish_selected", [article])
        article.refresh_from_db()
        assert article.updated_at > past + dt.timedelta(days=2)

    def test_queries_do_not_grow_with_the_selection(
        self, editor_client, django_assert_max_num_queries
    ):
        """Publishing 1 or 20 selected stories from the list costs the same queries."""

        def publish(count):
            stories = ArticleFactory.create_batch(count, published=False)
            # Session, user, permissions (2); the POST builds the changelist
            # first (filter choices, COUNT); then the locked rows, the UPDATE,
            # the content type (first time only), the history insert, the
            # selection's COUNT, and the savepoint pair; the outlets' figures
            # marked stale (their outlets, their rows, the mark: providers.figures).
            data = {"action": "publish_selected", "index": "0"}
            data["_selected_action"] = [story.pk for story in stories]
            with django_assert_max_num_queries(21) as captured:
                editor_client.post(CHANGELIST, data)
            return len(captured)

        publish(1)  # warm the content-type cache
        assert publish(1) == publish(20)


class TestSetQualityAction:
    def test_asks_for_the_score_first(self, editor_client):
        """The action shows an intermediate form and changes nothing yet."""
        article = ArticleFactory(quality=10)
        response = run_action(editor_client, "set_quality", [article])
        assert response.templates[0].name == "admin/articles/article/set_quality.html"
        assert article.title in response.content.decode()
        article.refresh_from_db()
        assert article.quality == 10

    def test_applies_the_typed_score(self, editor_client):
        """The typed score goes on every selected story; the count says how many changed."""
        low, same = ArticleFactory(quality=10), ArticleFactory(quality=80)
        untouched = ArticleFactory(quality=5)
        response = run_action(editor_client, "set_quality", [low, same], quality="80", apply="1")
        assert messages_of(response) == ["Set quality to 80 on 1 story. 1 was already at 80."]
        assert Article.objects.get(pk=low.pk).quality == 80
        assert Article.objects.get(pk=untouched.pk).quality == 5
        assert logged_pks() == [low.pk]
        assert LogEntry.objects.get().get_change_message() == "Changed Quality."

    def test_empty_score_clears_it(self, editor_client):
        """An empty score clears the quality (it becomes "not scored")."""
        article = ArticleFactory(quality=10)
        run_action(editor_client, "set_quality", [article], quality="", apply="1")
        assert Article.objects.get(pk=article.pk).quality is None

    def test_negative_score_is_refused(self, editor_client):
        """A negative score re-shows the form with an error."""
        article = ArticleFactory(quality=10)
        response = run_action(editor_client, "set_quality", [article], quality="-3", apply="1")
        assert response.context["form"].errors
        assert Article.objects.get(pk=article.pk).quality == 10


class TestPublishingRules:
    def test_set_quality_rejects_negative(self, editor):
        """The rule itself refuses a negative score, whoever calls it."""
        with pytest.raises(ValueError):
            publishing.set_quality(Article.objects.all(), editor, -1)

    def test_history_entry_per_story_in_few_queries(self, editor, django_assert_max_num_queries):
        """Publishing 50 stories costs a fixed number of queries, not one per story."""
        ArticleFactory.create_batch(50, published=False)
        # Savepoint/select, one UPDATE per 500 stories, the LogEntry bulk insert;
        # their outlets' figures marked stale (outlets, rows, mark: providers.figures).
        with django_assert_max_num_queries(9):
            changed = publishing.publish(Article.objects.all(), editor)
        assert changed == 50
        assert LogEntry.objects.filter(action_flag=CHANGE, user=editor).count() == 50
