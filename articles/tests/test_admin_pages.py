"""Topics' admin (the tree and counts) and the dashboard on the admin index."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from articles import dashboard

from .factories import ArticleFactory, TopicFactory

pytestmark = pytest.mark.django_db

TOPICS = reverse("admin:articles_topic_changelist")


class TestTopicList:
    def test_tree_and_counts(self, editor_client):
        """Topics show their parent and story count; the level filter separates the tree."""
        ai = TopicFactory(name="AI")
        vision = TopicFactory(name="Vision", parent=ai)
        ArticleFactory.create_batch(2, topics=[ai, vision])
        ArticleFactory(topics=[vision])
        response = editor_client.get(TOPICS)
        shown = {t.name: (t.parent_id, t.story_count) for t in response.context["cl"].result_list}
        assert shown == {"AI": (None, 2), "Vision": (ai.pk, 3)}
        assert "column-parent" in response.content.decode()
        sub = editor_client.get(TOPICS, {"level": "sub"})
        assert [t.pk for t in sub.context["cl"].result_list] == [vision.pk]
        children = editor_client.get(TOPICS, {"parent__id__exact": ai.pk})
        assert [t.pk for t in children.context["cl"].result_list] == [vision.pk]

    def test_one_and_twenty_topics_cost_the_same(
        self, editor_client, django_assert_max_num_queries
    ):
        """Parent names are joined and counts are subqueries: no query per topic."""
        parent = TopicFactory()
        TopicFactory(parent=parent)
        # Session, user, group permissions, COUNT, the page, the parent filter's choices.
        with django_assert_max_num_queries(8) as one:
            editor_client.get(TOPICS)
        for _ in range(19):
            ArticleFactory(topics=[TopicFactory(parent=parent)])
        with django_assert_max_num_queries(8) as many:
            editor_client.get(TOPICS)
        assert len(one) == len(many)

    def test_search(self, editor_client):
        """Topics are searchable (the story form's autocomplete relies on it)."""
        TopicFactory(name="Robotics")
        TopicFactory(name="Ethics")
        response = editor_client.get(TOPICS, {"q": "robot"})
        assert [t.name for t in response.context["cl"].result_list] == ["Robotics"]


class TestDashboard:
    def test_counts(self):
        """Waiting, published today and in the last 7 days, counted by the story's date."""
        now = dt.datetime(2026, 11, 19, 15, 0, tzinfo=dt.UTC)  # a Thursday
        ArticleFactory.create_batch(2, published=False, published_at=now)
        ArticleFactory(published=True, published_at=now - dt.timedelta(hours=2))
        ArticleFactory(published=True, published_at=now - dt.timedelta(days=2))
        ArticleFactory(published=True, published_at=now - dt.timedelta(days=5))
        ArticleFactory(published=True, published_at=now - dt.timedelta(days=7))
        stats = dashboard.stats(now)
        assert (stats.waiting, stats.published_today, stats.published_last_7_days) == (2, 1, 3)
        assert len(stats.days) == 30
        assert stats.days[-1].date == now.date()
        assert (stats.days[-1].published, stats.days[-1].waiting) == (1, 2)
        assert stats.days[-3].published == 1

    def test_chart_is_inline_svg_with_a_bar_per_day(self):
        """The chart is an SVG with one bar group per day and escaped labels."""
        today = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
        ArticleFactory(published_at=today)
        svg = dashboard.chart_svg(dashboard.stories_per_day(today))
        assert svg.startswith("<svg")
        assert svg.count("<g>") == 30
        assert "1 published, 0 waiting" in svg

    def test_index_shows_dashboard(self, editor_client, django_assert_max_num_queries):
        """The admin index, titled Newsroom, shows the counts and the chart."""
        ArticleFactory(published=False)
        # Session, user, permissions, the log sidebar, four dashboard queries, and
        # three for the jobs block (the stale-worker check, active jobs, recent failures).
        with django_assert_max_num_queries(13):
            response = editor_client.get(reverse("admin:index"))
        html = response.content.decode()
        assert "<title>Site administration | Newsroom admin</title>" in html or "Newsroom" in html
        assert 'id="newsroom-dashboard"' in html
        assert "waiting in the review queue" in html
        assert "<svg" in html

    def test_dashboard_hidden_without_story_permission(self, client, django_user_model):
        """Staff who may not see stories see no story counts."""
        user = django_user_model.objects.create_user("clerk", password="x-long-pass", is_staff=True)
        client.force_login(user)
        response = client.get(reverse("admin:index"))
        assert 'id="newsroom-dashboard"' not in response.content.decode()
