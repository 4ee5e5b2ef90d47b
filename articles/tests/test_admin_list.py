"""The story list: columns, filters, search, query budgets and list edits."""

import datetime as dt
import re

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.core.cache import cache
from django.db import connection

from articles.models import Article

from .admin_helpers import (
    CHANGELIST,
    form_data,
    row_index,
    set_checkbox,
)
from .factories import ArticleFactory, ProviderFactory, TopicFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()  # the type filter caches its choices


def listed(response):
    return [article.pk for article in response.context["cl"].result_list]


class TestChangelist:
    def test_columns_and_newest_first(self, editor_client):
        """The list shows title, outlet, date, quality, heat and published, newest first."""
        old = ArticleFactory(published_at=dt.datetime(2024, 1, 1, tzinfo=dt.UTC))
        new = ArticleFactory(published_at=dt.datetime(2025, 1, 1, tzinfo=dt.UTC))
        response = editor_client.get(CHANGELIST)
        assert response.status_code == 200
        assert listed(response) == [new.pk, old.pk]
        html = response.content.decode()
        for header in ("column-title_short", "column-provider", "column-published_at"):
            assert header in html
        for header in ("column-quality", "column-heat", "column-published"):
            assert header in html
        assert new.provider.name in html

    def test_no_full_count(self, editor_client):
        """On a filtered list there is no second, unfiltered COUNT (show_full_result_count)."""
        ArticleFactory.create_batch(3, published=False)
        response = editor_client.get(CHANGELIST, {"published__exact": "0"})
        assert response.context["cl"].full_result_count is None
        assert response.context["cl"].result_count == 3

    @pytest.mark.parametrize(
        ("band", "expected"),
        [("90", [95, 184]), ("70", [70, 89]), ("40", [40]), ("0", [0, 39]), ("none", [None])],
    )
    def test_quality_band_filter(self, editor_client, band, expected):
        """Quality bands: ≥90, 70–89, 40–69, below 40, and not scored."""
        for quality in (0, 39, 40, 70, 89, 95, 184, None):
            ArticleFactory(quality=quality)
        response = editor_client.get(CHANGELIST, {"quality_band": band})
        found = Article.objects.filter(pk__in=listed(response)).values_list("quality", flat=True)
        assert sorted(found, key=lambda quality: quality or 0) == expected

    def test_heat_band_filter(self, editor_client):
        """Heat bands pick hot, warm, cool and missing heat."""
        hot, warm, cool, none = (ArticleFactory(heat=h) for h in (300, 50, -1, None))
        for band, article in [("hot", hot), ("warm", warm), ("cool", cool), ("none", none)]:
            assert listed(editor_client.get(CHANGELIST, {"heat_band": band})) == [article.pk]

    def test_filters_by_published_provider_topic_and_type(self, editor_client):
        """The published, provider, topic and type filters each narrow the list."""
        topic = TopicFactory()
        waiting = ArticleFactory(published=False)
        video = ArticleFactory(type="video")
        tagged = ArticleFactory(topics=[topic])
        assert listed(editor_client.get(CHANGELIST, {"published__exact": "0"})) == [waiting.pk]
        assert listed(editor_client.get(CHANGELIST, {"type": "video"})) == [video.pk]
        assert listed(editor_client.get(CHANGELIST, {"topic": topic.pk})) == [tagged.pk]
        by_provider = editor_client.get(CHANGELIST, {"provider__id__exact": waiting.provider_id})
        assert listed(by_provider) == [waiting.pk]

    def test_date_hierarchy(self, editor_client):
        """The date drill-down narrows to a year."""
        ArticleFactory(published_at=dt.datetime(2023, 5, 1, tzinfo=dt.UTC))
        recent = ArticleFactory(published_at=dt.datetime(2025, 5, 1, tzinfo=dt.UTC))
        response = editor_client.get(CHANGELIST, {"published_at__year": "2025"})
        assert listed(response) == [recent.pk]

    def test_search_title_excerpt_and_provider(self, editor_client):
        """Search finds words in the title, the excerpt and the outlet's name."""
        by_title = ArticleFactory(title="Quantum chips arrive")
        by_excerpt = ArticleFactory(excerpt="A tale of quantum error correction.")
        by_provider = ArticleFactory(provider=ProviderFactory(name="Quantum Weekly"))
        ArticleFactory(title="Unrelated")
        response = editor_client.get(CHANGELIST, {"q": "quantum"})
        assert sorted(listed(response)) == sorted([by_title.pk, by_excerpt.pk, by_provider.pk])
        assert listed(editor_client.get(CHANGELIST, {"q": "quantum weekly"})) == [by_provider.pk]

    def test_sort_by_quality(self, editor_client):
        """The quality column sorts."""
        low, high = ArticleFactory(quality=10), ArticleFactory(quality=90)
        response = editor_client.get(CHANGELIST, {"o": "-4"})
        assert listed(response) == [high.pk, low.pk]


class TestChangelistQueries:
    # Session, user, the user's and the group's permissions, the filtered
    # COUNT, the page of rows, their outlets (prefetched), the provider and
    # topic filter choices, the type filter's values (cached after the first
    # page), and the date drill-down's first and last date.
    BUDGET = 12

    def count_queries(self, client, django_assert_max_num_queries, **params):
        # On PostgreSQL a search asks the planner how many it matches (search.order_matches).
        estimate = 1 if params.get("q") and connection.vendor == "postgresql" else 0
        with django_assert_max_num_queries(self.BUDGET + estimate) as captured:
            response = client.get(CHANGELIST, params)
        assert response.status_code == 200
        return len(captured)

    def test_one_row_and_many_rows_cost_the_same(
        self, editor_client, django_assert_max_num_queries
    ):
        """The list costs the same number of queries for 1 row as for 20: no query per row."""
        topic = TopicFactory()
        ArticleFactory(topics=[topic])
        editor_client.get(CHANGELIST)  # fill the type filter's cache
        one = self.count_queries(editor_client, django_assert_max_num_queries)
        ArticleFactory.create_batch(19, topics=[topic])
        many = self.count_queries(editor_client, django_assert_max_num_queries)
        assert one == many

    def test_filtered_and_searched_lists_stay_in_budget(
        self, editor_client, django_assert_max_num_queries
    ):
        """Filters and search add no per-row queries either."""
        ArticleFactory.create_batch(20, published=False)
        self.count_queries(
            editor_client, django_assert_max_num_queries, published__exact="0", q="story"
        )
        self.count_queries(editor_client, django_assert_max_num_queries, quality_band="40")


class TestListEdit:
    def test_publish_and_score_from_the_list(self, editor_client):
        """Ticking published and typing a quality in the list saves both, with history."""
        article = ArticleFactory(published=False, quality=10)
        data = form_data(editor_client.get(CHANGELIST))
        row = row_index(data, article)
        set_checkbox(data, f"{row}-published", True)
        data[f"{row}-quality"] = ["80"]
        response = editor_client.post(CHANGELIST, {**data, "_save": "Save"})
        assert response.status_code == 302
        article.refresh_from_db()
        assert (article.published, article.quality) == (True, 80)
        entry = LogEntry.objects.get(object_id=str(article.pk))
        assert entry.action_flag == CHANGE
        assert entry.get_change_message() == "Changed Published and Quality."

    def test_negative_quality_is_refused(self, editor_client):
        """A negative score is a form error, and nothing is saved."""
        article = ArticleFactory(quality=10)
        data = form_data(editor_client.get(CHANGELIST))
        data[f"{row_index(data, article)}-quality"] = ["-5"]
        response = editor_client.post(CHANGELIST, {**data, "_save": "Save"})
        assert response.status_code == 200
        assert response.context["cl"].formset.errors
        article.refresh_from_db()
        assert article.quality == 10

    def test_unchanged_rows_are_not_saved_or_logged(self, editor_client):
        """Saving the list without touching a row changes nothing and logs nothing."""
        ArticleFactory.create_batch(3)
        data = form_data(editor_client.get(CHANGELIST))
        editor_client.post(CHANGELIST, {**data, "_save": "Save"})
        assert not LogEntry.objects.exists()


class TestSafeListEdit:
    """Django ticket #11313: rows must bind to stories by primary key, not position."""

    def test_story_inserted_at_top_between_load_and_save(self, editor_client):
        """An import landing at the top between GET and POST does not move the edit."""
        stories = [ArticleFactory(published=False) for _ in range(3)]
        data = form_data(editor_client.get(CHANGELIST))
        target = stories[1]
        row = row_index(data, target)
        set_checkbox(data, f"{row}-published", True)

        newcomer = ArticleFactory(
            published=False, published_at=dt.datetime(2030, 1, 1, tzinfo=dt.UTC)
        )
        assert listed(editor_client.get(CHANGELIST))[0] == newcomer.pk  # the rows shifted

        response = editor_client.post(CHANGELIST, {**data, "_save": "Save"})
        assert response.status_code == 302
        published = set(Article.objects.published().values_list("pk", flat=True))
        assert published == {target.pk}
        assert list(LogEntry.objects.values_list("object_id", flat=True)) == [str(target.pk)]

    def test_value_changed_meanwhile_is_not_overwritten(self, editor_client):
        """A score set by someone else after the page loaded survives an edit of `published`."""
        article = ArticleFactory(published=False, quality=50)
        data = form_data(editor_client.get(CHANGELIST))
        set_checkbox(data, f"{row_index(data, article)}-published", True)

        Article.objects.filter(pk=article.pk).update(quality=95)  # e.g. a re-import
        editor_client.post(CHANGELIST, {**data, "_save": "Save"})

        article.refresh_from_db()
        assert (article.published, article.quality) == (True, 95)
        entry = LogEntry.objects.get(object_id=str(article.pk))
        assert entry.get_change_message() == "Changed Published."

    def test_failed_save_shows_each_form_next_to_its_story(self, editor_client):
        """When a save fails after the list moved, each row still shows its own story."""
        stories = [ArticleFactory() for _ in range(3)]
        data = form_data(editor_client.get(CHANGELIST))
        data[f"{row_index(data, stories[0])}-quality"] = ["-1"]
        ArticleFactory(published_at=dt.datetime(2030, 1, 1, tzinfo=dt.UTC))

        response = editor_client.post(CHANGELIST, {**data, "_save": "Save"})
        assert response.status_code == 200
        cl = response.context["cl"]
        shown = [article.pk for article in cl.result_list]
        assert shown == [form.instance.pk for form in cl.formset.forms]
        assert len(shown) == 3
        # In the HTML too: each row's link and inputs belong to the same story.
        rows = [row for row in response.content.decode().split("<tr") if '-quality" ' in row]
        assert len(rows) == 3
        for row in rows:
            link = re.search(r"/articles/article/(\d+)/change/", row).group(1)
            index = re.search(r'name="form-(\d+)-quality"', row).group(1)
            assert data[f"form-{index}-id"] == [link]

    def test_story_deleted_meanwhile_refuses_the_save(self, editor_client):
        """If a story on the page was deleted, nothing is saved and the editor is told why."""
        keep, gone = ArticleFactory(published=False), ArticleFactory(published=False)
        data = form_data(editor_client.get(CHANGELIST))
        set_checkbox(data, f"{row_index(data, keep)}-published", True)
        gone.delete()

        response = editor_client.post(CHANGELIST, {**data, "_save": "Save"}, follow=True)
        keep.refresh_from_db()
        assert keep.published is False
        text = " ".join(str(m) for m in response.context["messages"])
        assert "Nothing was saved" in text
        assert "no longer exist" in text


class TestDateHierarchy:
    """The date drill-down spans the table's dates without a DISTINCT scan."""

    def test_years_then_months_then_days(self, editor_client):
        """Years link to months, months to days, each narrowing the list."""
        ArticleFactory(published_at=dt.datetime(2023, 3, 9, tzinfo=dt.UTC))
        march = ArticleFactory(published_at=dt.datetime(2025, 3, 9, tzinfo=dt.UTC))
        ArticleFactory(published_at=dt.datetime(2025, 4, 2, tzinfo=dt.UTC))
        html = editor_client.get(CHANGELIST).content.decode()
        for year in ("2023", "2024", "2025"):
            assert f"?published_at__year={year}" in html
        year = editor_client.get(CHANGELIST, {"published_at__year": "2025"}).content.decode()
        assert "published_at__month=3" in year
        assert "published_at__month=12" not in year  # after the last story
        params = {"published_at__year": "2025", "published_at__month": "3"}
        month = editor_client.get(CHANGELIST, params)
        assert listed(month) == [march.pk]
        assert "published_at__day=31" in month.content.decode()
        day = editor_client.get(CHANGELIST, {**params, "published_at__day": "9"})
        assert listed(day) == [march.pk]
