"""Outlet scorecards on the provider page and in the provider admin."""

import datetime as dt

import pytest
from django.urls import reverse

from articles.clusters.assign import cluster_new_stories
from articles.clusters.scorecards import public_scorecard
from articles.tests.factories import ArticleFactory, ProviderFactory
from newsroom import pagecache
from providers import figures

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2025, 3, 3, 9, tzinfo=dt.UTC)  # a Monday
CHANGELIST = reverse("admin:providers_provider_changelist")


@pytest.fixture
def outlets():
    """``fast`` reports two stories first, ``slow`` repeats one of them a day later."""
    fast, slow = ProviderFactory(domain="fast.example"), ProviderFactory(domain="slow.example")
    for n, quality in ((0, 40), (1, 60)):
        ArticleFactory(
            provider=fast,
            title=f"Exclusive report number {n}" if n else "Unrelated scoop about robots",
            excerpt="",
            web_url=f"https://fast.example/{n}",
            original_url=f"https://source.example/{n}",
            published_at=T0 + dt.timedelta(days=7 * n),
            quality=quality,
        )
    ArticleFactory(
        provider=slow,
        title="A copy of the exclusive",
        excerpt="",
        web_url="https://slow.example/0",
        original_url="https://source.example/0",
        published_at=T0 + dt.timedelta(days=1),
        quality=10,
    )
    ArticleFactory(provider=slow, title="Held", excerpt="", published=False, quality=0)
    cluster_new_stories()
    figures.recount_due()  # the worker's task
    return fast, slow


class TestScorecard:
    def test_figures(self, outlets):
        fast, slow = outlets
        card = public_scorecard(fast)
        assert card["story_total"] == 2
        assert card["stories_per_week"] == 1.0  # two stories in two active weeks
        assert card["mean_quality"] == 50
        assert (card["first_reports"], card["repeats"]) == (1, 0)
        assert sum(count for *_, count in card["bars"]) == 2
        slow_card = public_scorecard(slow)
        assert (slow_card["first_reports"], slow_card["repeats"]) == (0, 1)

    def test_kept_for_the_generation(self, outlets, memory_page_cache, django_assert_num_queries):
        """Every page of the outlet shows the same card: counted once per generation."""
        fast, _ = outlets
        assert public_scorecard(fast)["story_total"] == 2
        ArticleFactory(provider=fast, published_at=T0)
        with django_assert_num_queries(0):
            assert public_scorecard(fast)["story_total"] == 2  # kept
        pagecache.pages_changed()  # what a change of public content calls
        assert public_scorecard(fast)["story_total"] == 3

    def test_public_page_counts_published_stories_only(self, client, outlets):
        """The held story is not counted, and the page shows no share published."""
        _, slow = outlets
        response = client.get(slow.get_absolute_url())
        card = response.context["scorecard"]
        assert card["story_total"] == 1 and card["mean_quality"] == 10
        html = response.content.decode()
        assert "Scorecard" in html and "Share published" not in html
        assert "<svg" in html

    def test_admin_columns_sort(self, editor_client, outlets):
        fast, slow = outlets
        html = editor_client.get(CHANGELIST).content.decode().lower()
        for header in ("first to report", "repeated others", "mean quality", "published"):
            assert header in html
        columns = editor_client.get(CHANGELIST).context["cl"].list_display
        index = [getattr(column, "__name__", column) for column in columns].index("first_reports")
        response = editor_client.get(CHANGELIST, {"o": f"-{index}"})
        rows = list(response.context["cl"].result_list)
        assert rows.index(fast) < rows.index(slow)
        assert rows[rows.index(slow)].figures.published_share == 0.5

    def test_admin_change_page_shows_the_scorecard(self, editor_client, outlets):
        fast, _ = outlets
        url = reverse("admin:providers_provider_change", args=[fast.pk])
        html = editor_client.get(url).content.decode()
        assert "Share published" in html and "<svg" in html
