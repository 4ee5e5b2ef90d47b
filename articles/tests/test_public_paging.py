"""Long lists count at most a capped number of stories and say "about" beyond it."""

import datetime as dt

import pytest
from django.db import connection
from django.urls import reverse

from articles.admin.stories import ArticleAdmin
from articles.paging import CappedPaginator
from articles.tests.factories import ArticleFactory
from articles.tests.public_support import NAV_QUERIES
from articles.views import ArticleListView

pytestmark = pytest.mark.django_db

HOME = reverse("articles:list")


@pytest.fixture
def cap_of_30(monkeypatch):
    monkeypatch.setattr(CappedPaginator, "cap", 30)


def page(client, number, **params):
    return client.get(HOME, {"page": number, **params})


# A short list page's queries: the stories and their prefetches, the count, and the
# filter form's choices (types, outlets; its topics are the navigation's) and the topic
# navigation; the first page one more, for the featured stories.
LIST_QUERIES = 6 + NAV_QUERIES
FEATURED_QUERIES = 1


class TestCappedCount:
    def test_short_list_counts_exactly(self, client, cap_of_30):
        """Up to the cap the page count is exact, with no "about"."""
        ArticleFactory.create_batch(30)
        body = page(client, 1).content.decode()
        assert "Page 1 of 2" in body
        assert "about" not in body

    def test_long_list_says_about_or_many(self, client, cap_of_30, monkeypatch):
        """Past the cap: PostgreSQL's estimate ("about"), elsewhere unknown ("many")."""
        ArticleFactory.create_batch(45)
        if connection.vendor == "postgresql":
            # Statistics as autovacuum would gather them. The planner guesses about half
            # the rows for the one-card-per-cluster list (23 of 45), so a cap of 10 keeps
            # the guess past the cap, where "about" is what the page must say.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE articles_article")
            monkeypatch.setattr(CappedPaginator, "cap", 10)
        response = page(client, 1)
        assert not response.context["paginator"].count_is_exact
        body = response.content.decode()
        if connection.vendor == "postgresql":
            assert "Page 1 of about " in body
            assert "about " in body.split('class="list-count">', 1)[1].split("</p>")[0]
        else:
            assert "Page 1 of many" in body
            assert '<p class="list-count">more than 30 stories</p>' in body

    def test_every_page_past_the_cap_is_reachable(self, client, cap_of_30):
        """The next link follows the rows, not the estimate: the last page has none."""
        ArticleFactory.create_batch(45)
        seen = []
        for number in (1, 2, 3):
            response = page(client, number)
            assert response.status_code == 200
            seen += [article.pk for article in response.context["articles"]]
            has_next = 'rel="next"' in response.content.decode()
            assert has_next == (number < 3)
        assert len(set(seen)) == 45
        assert page(client, 4).status_code == 404

    def test_filtered_search_is_capped_too(self, client, cap_of_30):
        """A search with more matches than the cap is counted up to the cap only."""
        ArticleFactory.create_batch(40, title="Robots everywhere")
        ArticleFactory.create_batch(5, title="Gardens")
        response = page(client, 2, q="robots")
        assert len(response.context["articles"]) == 20
        assert not response.context["paginator"].count_is_exact
        assert 'rel="next"' not in response.content.decode()
        assert page(client, 3, q="robots").status_code == 404

    @pytest.mark.parametrize("number", [str(2**63), "0", "abc"])
    def test_impossible_pages_past_the_cap_are_404(self, client, cap_of_30, number):
        """Past the cap too, no page number reaches the database as a huge offset."""
        ArticleFactory.create_batch(31)
        assert page(client, number).status_code == 404

    def test_queries_do_not_grow_past_the_cap(self, client, cap_of_30, django_assert_num_queries):
        """A capped list costs the queries of a short one, plus PostgreSQL's estimate."""
        ArticleFactory.create_batch(5)
        with django_assert_num_queries(LIST_QUERIES + FEATURED_QUERIES):
            page(client, 1)
        ArticleFactory.create_batch(60)
        estimate = 1 if connection.vendor == "postgresql" else 0
        with django_assert_num_queries(LIST_QUERIES + estimate):
            page(client, 2)
        ArticleFactory.create_batch(60)
        with django_assert_num_queries(LIST_QUERIES + estimate):
            page(client, 3)


class TestDeepestPage:
    """Lists stop at MAX_PAGES: skipping rows costs in proportion to the offset."""

    @pytest.fixture
    def three_pages_served(self, monkeypatch):
        monkeypatch.setattr(CappedPaginator, "max_pages", 3)
        stories = [
            ArticleFactory(published_at=dt.datetime(2024, 3, day, 12, tzinfo=dt.UTC))
            for day in range(1, 11)
        ]
        return sorted(stories, key=lambda story: story.published_at, reverse=True)

    @pytest.fixture(autouse=True)
    def two_a_page(self, monkeypatch):
        monkeypatch.setattr(ArticleListView, "paginate_by", 2)

    def test_the_last_page_served_says_so_and_goes_on_by_date(self, client, three_pages_served):
        """Page 3 of 5 shows no "Older" page link but the same list until its last day."""
        response = page(client, 3, type="article")
        body = response.content.decode()
        assert response.status_code == 200
        assert 'rel="next"' not in body
        assert "Lists stop at page 3." in body
        shown = response.context["articles"]
        assert [a.pk for a in shown] == [a.pk for a in three_pages_served[4:6]]
        assert '<a href="?type=article&amp;until=2024-03-05">Older: 5 March 2024 and before' in body
        older = client.get(HOME, {"type": "article", "until": "2024-03-05"})
        assert [a.pk for a in older.context["articles"]][:1] == [three_pages_served[5].pk]

    def test_a_page_past_the_last_served_is_a_404_that_says_why(self, client, three_pages_served):
        response = page(client, 4)
        assert response.status_code == 404
        assert "lists stop at page 3" in response.content.decode()

    def test_other_orders_say_how_to_narrow_the_list(self, client, three_pages_served):
        """A date is no way on from a list sorted by quality: the page says what is."""
        body = page(client, 3, sort="quality").content.decode()
        assert "Lists stop at page 3. Narrow the list by date, topic or outlet" in body
        assert "until=" not in body

    def test_a_list_that_ends_on_the_last_page_served_just_ends(self, client, three_pages_served):
        body = page(client, 3, until="2024-03-06").content.decode()
        assert "Lists stop" not in body

    def test_editors_page_as_deep_as_they_like(self, editor_client, monkeypatch):
        """The admin's paginator has no deepest page."""
        monkeypatch.setattr(CappedPaginator, "max_pages", 1)
        ArticleFactory.create_batch(3)
        monkeypatch.setattr(ArticleAdmin, "list_per_page", 1)
        assert (
            editor_client.get(reverse("admin:articles_article_changelist"), {"p": 3}).status_code
            == 200
        )
