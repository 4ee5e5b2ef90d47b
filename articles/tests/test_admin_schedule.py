"""Editors schedule stories: the story form's times, the bulk action, the list's state column."""

import datetime as dt

import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse
from django.utils import timezone

from articles import publishing
from articles.models import Article
from articles.review_states import ENDED, SCHEDULED
from articles.tests.admin_helpers import CHANGELIST
from articles.tests.change_form import change_form_data
from articles.tests.factories import ArticleFactory, TopicFactory
from articles.validators import SCHEDULE_ORDER

pytestmark = pytest.mark.django_db

HOUR = dt.timedelta(hours=1)


def schedule(client, stories, publish_at=("", ""), unpublish_at=("", ""), apply=True):
    data = {
        "action": "schedule_selected",
        "index": "0",
        "_selected_action": [story.pk for story in stories],
        "publish_at_0": publish_at[0],
        "publish_at_1": publish_at[1],
        "unpublish_at_0": unpublish_at[0],
        "unpublish_at_1": unpublish_at[1],
    }
    if apply:
        data["apply"] = "Schedule"
    return client.post(CHANGELIST, data, follow=True)


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


class TestBulkAction:
    def test_asks_for_the_times_first(self, editor_client):
        story = ArticleFactory()
        response = schedule(editor_client, [story], apply=False)
        assert response.templates[0].name == "admin/articles/article/schedule.html"
        body = response.content.decode()
        assert 'name="publish_at_0"' in body and 'name="unpublish_at_0"' in body
        assert story.title in body
        story.refresh_from_db()
        assert story.publish_at is None

    def test_sets_the_window_on_every_selected_story(self, editor_client):
        chosen, other = ArticleFactory.create_batch(2), ArticleFactory()
        response = schedule(
            editor_client,
            chosen,
            publish_at=("2030-01-02", "08:00:00"),
            unpublish_at=("2030-02-02", "08:00:00"),
        )
        assert messages_of(response) == ["Scheduled 2 stories."]
        expected = dt.datetime(2030, 1, 2, 8, tzinfo=dt.UTC)
        for story in chosen:
            story.refresh_from_db()
            assert story.publish_at == expected
            assert story.unpublish_at == dt.datetime(2030, 2, 2, 8, tzinfo=dt.UTC)
        other.refresh_from_db()
        assert other.publish_at is None
        assert LogEntry.objects.count() == 2
        assert not Article.objects.published().filter(pk__in=[s.pk for s in chosen]).exists()

    def test_an_end_before_the_start_is_refused_with_the_reason(self, editor_client):
        story = ArticleFactory()
        response = schedule(
            editor_client,
            [story],
            publish_at=("2030-01-02", "08:00:00"),
            unpublish_at=("2030-01-01", "08:00:00"),
        )
        assert response.templates[0].name == "admin/articles/article/schedule.html"
        assert SCHEDULE_ORDER in response.content.decode()
        story.refresh_from_db()
        assert story.publish_at is None and story.unpublish_at is None

    def test_empty_times_clear_the_schedule(self, editor_client):
        story = ArticleFactory(publish_at=timezone.now() + HOUR)
        assert messages_of(schedule(editor_client, [story])) == ["Scheduled 1 story."]
        story.refresh_from_db()
        assert story.publish_at is None
        again = schedule(editor_client, [story])
        assert messages_of(again) == ["Scheduled 0 stories. 1 was already on that schedule."]

    def test_the_function_refuses_a_bad_window_too(self, editor):
        now = timezone.now()
        with pytest.raises(ValueError, match="unpublish_at: " + SCHEDULE_ORDER):
            publishing.schedule(Article.objects.all(), editor, now, now - HOUR)


class TestStoryForm:
    def change_url(self, story):
        return reverse("admin:articles_article_change", args=[story.pk])

    def test_form_has_the_times_and_saves_them(self, editor_client):
        story = ArticleFactory()
        page = editor_client.get(self.change_url(story))
        assert 'name="publish_at_0"' in page.content.decode()
        data = change_form_data(
            page,
            publish_at_0="2030-03-04",
            publish_at_1="09:30:00",
            _save="Save",
        )
        assert editor_client.post(self.change_url(story), data).status_code == 302
        story.refresh_from_db()
        assert story.publish_at == dt.datetime(2030, 3, 4, 9, 30, tzinfo=dt.UTC)

    def test_form_refuses_an_end_before_the_start(self, editor_client):
        story = ArticleFactory()
        page = editor_client.get(self.change_url(story))
        data = change_form_data(
            page,
            publish_at_0="2030-03-04",
            publish_at_1="09:30:00",
            unpublish_at_0="2030-03-04",
            unpublish_at_1="09:00:00",
            _save="Save",
        )
        response = editor_client.post(self.change_url(story), data)
        assert response.status_code == 200
        assert response.context["adminform"].form.errors["unpublish_at"] == [SCHEDULE_ORDER]
        story.refresh_from_db()
        assert story.publish_at is None


class TestStateColumn:
    def states(self, client):
        response = client.get(CHANGELIST)
        return {a.title: a.shown_state() for a in response.context["cl"].result_list}, response

    def test_scheduled_and_ended_differ_from_published_and_waiting(self, editor_client):
        now = timezone.now()
        ArticleFactory(title="live")
        ArticleFactory(title="soon", publish_at=now + HOUR)
        ArticleFactory(title="over", publish_at=now - 2 * HOUR, unpublish_at=now - HOUR)
        ArticleFactory(title="undecided", published=False, publish_at=now + HOUR)
        states, response = self.states(editor_client)
        assert states == {
            "live": "Published",
            "soon": SCHEDULED,
            "over": ENDED,
            "undecided": "Waiting",
        }
        body = response.content.decode()
        assert f'<td class="field-shown_state">{SCHEDULED}</td>' in body
        assert f'<td class="field-shown_state">{ENDED}</td>' in body

    @pytest.mark.parametrize(
        "band, expected",
        [
            ("scheduled", {"soon"}),
            ("leaving", {"leaving"}),
            ("ended", {"over"}),
            ("none", {"live", "plain draft"}),
        ],
    )
    def test_schedule_filter_matches_the_state_column(self, editor_client, band, expected):
        now = timezone.now()
        ArticleFactory(title="live")
        ArticleFactory(title="soon", publish_at=now + HOUR)
        ArticleFactory(title="leaving", publish_at=now - HOUR, unpublish_at=now + HOUR)
        ArticleFactory(title="over", publish_at=now - 2 * HOUR, unpublish_at=now - HOUR)
        ArticleFactory(title="undecided", published=False, publish_at=now + HOUR)
        ArticleFactory(title="plain draft", published=False)
        response = editor_client.get(CHANGELIST, {"schedule": band})
        assert response.status_code == 200
        assert {a.title for a in response.context["cl"].result_list} == expected
        states = {a.shown_state() for a in response.context["cl"].result_list}
        shown = {
            "scheduled": {SCHEDULED},
            "leaving": {"Published"},
            "ended": {ENDED},
            "none": {"Published", "Waiting"},
        }
        assert states == shown[band]

    def test_the_schedule_filter_follows_the_clock(self, editor_client):
        """No job runs: an embargo that lifted leaves the Scheduled band by itself."""
        story = ArticleFactory(title="soon", publish_at=timezone.now() + HOUR)

        def titles():
            response = editor_client.get(CHANGELIST, {"schedule": "scheduled"})
            return [a.title for a in response.context["cl"].result_list]

        assert titles() == ["soon"]
        Article.objects.filter(pk=story.pk).update(publish_at=timezone.now() - HOUR)
        assert titles() == []

    def test_list_costs_the_same_with_many_scheduled_rows(
        self, editor_client, django_assert_max_num_queries
    ):
        """The state needs no query: the list's budget (test_admin_list) holds."""
        topic = TopicFactory()
        ArticleFactory(topics=[topic], publish_at=timezone.now() + HOUR)
        editor_client.get(CHANGELIST)  # fill the type filter's cache
        with django_assert_max_num_queries(12) as one:
            editor_client.get(CHANGELIST)
        ArticleFactory.create_batch(19, topics=[topic], publish_at=timezone.now() + HOUR)
        with django_assert_max_num_queries(12) as many:
            assert SCHEDULED in editor_client.get(CHANGELIST).content.decode()
        assert len(one) == len(many)
        with django_assert_max_num_queries(12) as filtered:
            response = editor_client.get(CHANGELIST, {"schedule": "scheduled"})
            assert len(response.context["cl"].result_list) == 20
        assert len(filtered) == len(many)


class TestPreview:
    def test_staff_preview_of_a_scheduled_story_says_when_it_lifts(self, editor_client, client):
        lifts = timezone.now().replace(microsecond=0) + HOUR
        story = ArticleFactory(publish_at=lifts)
        body = editor_client.get(story.get_absolute_url()).content.decode()
        assert "Preview — scheduled." in body
        assert f'<time datetime="{lifts.isoformat()}">' in body
        client.logout()
        assert client.get(story.get_absolute_url()).status_code == 404
