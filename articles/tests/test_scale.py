"""What keeps long lists cheap gives the same answers: deep pages read ids first,
relevance ranks only the newest matches, the admin counts up to a cap, and the
public topics and outlets follow what is published."""

import datetime as dt

import pytest
from django.db import connection
from django.urls import reverse

from articles import paging, search
from articles.models import Article, Topic
from articles.paging import CappedPaginator, page_rows
from newsroom import precompiled
from providers.models import Provider

from .admin_helpers import CHANGELIST
from .factories import ArticleFactory, ProviderFactory, TopicFactory
from .test_clusters_public import copies
from .test_public_paging import LIST_QUERIES

pytestmark = pytest.mark.django_db

HOME = reverse("articles:list")
API = reverse("api:news")


def ids(response, key="articles"):
    return [article.pk for article in response.context[key]]


@pytest.fixture
def offset_paging(monkeypatch):
    """Switch the ids-first fetch off: every page is one plain OFFSET query."""
    monkeypatch.setattr(paging, "DEEP_OFFSET", 10**9)


@pytest.fixture
def ids_first_paging(monkeypatch):
    """Read every page, the first included, ids first."""
    monkeypatch.setattr(paging, "DEEP_OFFSET", 0)


def stories_with_ties(count):
    """Stories sharing publication times and qualities, so only the id breaks ties."""
    moment = dt.datetime(2025, 3, 1, tzinfo=dt.UTC)
    return [
        ArticleFactory(
            published_at=moment - dt.timedelta(hours=n // 3),
            quality=None if n % 4 == 0 else 40 + n % 3,
            title=f"Robot report {n}",
            published=n % 7 != 3,
        )
        for n in range(count)
    ]


class TestDeepPages:
    def test_page_rows_gives_what_the_offset_gives(self, ids_first_paging):
        """The two-step fetch returns the same rows, in the same order, as one slice."""
        stories_with_ties(30)
        for ordering in (("-published_at", "-id"), ("-quality", "published_at", "id")):
            queryset = Article.objects.published().for_list().order_by(*ordering)
            for start in (0, 5, 20, 25, 40):
                expected = [a.pk for a in queryset[start : start + 7]]
                assert [a.pk for a in page_rows(queryset, start, start + 7)] == expected

    @pytest.mark.parametrize(
        "params",
        [
            {},
            {"sort": "quality"},
            {"sort": "heat"},
            {"q": "robot"},
            {"q": "robot", "sort": "newest"},
        ],
    )
    def test_list_pages_are_the_same_items(self, client, monkeypatch, params):
        """Every page of the public list, sorted or searched, lists what OFFSET paging lists."""
        stories_with_ties(50)
        pages = {}
        for deep in (10**9, 0):
            monkeypatch.setattr(paging, "DEEP_OFFSET", deep)
            pages[deep] = [ids(client.get(HOME, {**params, "page": n})) for n in (1, 2, 3)]
        assert pages[0] == pages[10**9]
        assert sum(len(page) for page in pages[0]) == Article.objects.published().count()

    def test_api_pages_are_the_same_items(self, client, monkeypatch):
        """The API's pages, too, hold the same items whichever way they are read."""
        stories_with_ties(80)  # 69 of them published: 3 pages of 30
        pages = {}
        for deep in (10**9, 0):
            monkeypatch.setattr(paging, "DEEP_OFFSET", deep)
            pages[deep] = [client.get(API, {"page": n}).json() for n in (1, 2, 3)]
        assert pages[0] == pages[10**9]
        assert pages[0][1]["nextPage"] == 3 and pages[0][2]["nextPage"] is None

    def test_admin_pages_are_the_same_items(self, editor_client, monkeypatch):
        """The editors' list pages the same rows too, sorted by quality included."""
        stories_with_ties(250)
        pages = {}
        for deep in (10**9, 0):
            monkeypatch.setattr(paging, "DEEP_OFFSET", deep)
            pages[deep] = [
                [
                    a.pk
                    for a in editor_client.get(CHANGELIST, {"p": n, "o": o})
                    .context["cl"]
                    .result_list
                ]
                for n in (1, 2, 3)
                for o in ("", "-4")
            ]
        assert pages[0] == pages[10**9]

    def test_a_deep_page_costs_one_more_query_whatever_its_size(
        self, client, ids_first_paging, django_assert_num_queries
    ):
        """Ids first is one query more than OFFSET paging, the same for 1 row as for 20."""
        ArticleFactory.create_batch(21)
        client.get(HOME, {"page": 2})
        with django_assert_num_queries(DEEP_PAGE_QUERIES) as one:
            client.get(HOME, {"page": 2})
        ArticleFactory.create_batch(19)
        with django_assert_num_queries(DEEP_PAGE_QUERIES):
            response = client.get(HOME, {"page": 2})
        assert len(response.context["articles"]) == 20
        assert len(one) == DEEP_PAGE_QUERIES


# The list page's queries (test_public_paging.LIST_QUERIES), plus the ids first.
DEEP_PAGE_QUERIES = LIST_QUERIES + 1


class TestRankWindow:
    @pytest.fixture
    def window_of_3(self, monkeypatch):
        # The window is in the SQL a searched list keeps compiled (on PostgreSQL).
        precompiled.forget()
        monkeypatch.setattr(search, "RANK_WINDOW", 3)
        yield
        precompiled.forget()

    def test_relevance_ranks_only_the_newest_matches(self, client, window_of_3):
        """The best match outside the newest RANK_WINDOW is not listed by relevance."""
        start = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
        best_but_old = ArticleFactory(title="Robot robot", excerpt="robot", published_at=start)
        newer = [
            ArticleFactory(
                title="Gardens",
                excerpt=f"A robot in the garden {n}.",
                published_at=start + dt.timedelta(days=n + 1),
            )
            for n in range(4)
        ]
        ArticleFactory(
            title="Robot in the window", published_at=start + dt.timedelta(days=2, hours=1)
        )
        ranked = ids(client.get(HOME, {"q": "robot"}))
        assert best_but_old.pk not in ranked
        assert len(ranked) == 3
        assert ranked[0] == Article.objects.get(title="Robot in the window").pk
        assert set(ranked[1:]) == {newer[3].pk, newer[2].pk}
        by_date = ids(client.get(HOME, {"q": "robot", "sort": "newest"}))
        assert len(by_date) == 6 and by_date[-1] == best_but_old.pk

    def test_window_follows_the_filters(self, client, window_of_3):
        """The window is the newest matches of the filtered list, not of every story."""
        outlet = ProviderFactory(domain="robots.example", name="Robots Daily")
        ArticleFactory.create_batch(5, title="Robot elsewhere")
        mine = ArticleFactory.create_batch(
            2,
            title="Robot here",
            provider=outlet,
            published_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC),
        )
        found = ids(client.get(HOME, {"q": "robot", "provider": "robots.example"}))
        assert sorted(found) == sorted(a.pk for a in mine)

    def test_the_window_holds_cards_not_copies(self, client, window_of_3):
        """Three outlets' copies of the newest match are one card: the window of 3
        still ranks three cards."""
        copies(3, title="Robot printer chip")
        singles = [
            ArticleFactory(
                title=f"Robot number {n}", published_at=dt.datetime(2024, 1, 1 + n, tzinfo=dt.UTC)
            )
            for n in range(3)
        ]
        found = ids(client.get(HOME, {"q": "robot"}))
        assert len(found) == 3
        assert {singles[2].pk, singles[1].pk} < set(found)
        assert singles[0].pk not in found

    def test_unpublished_matches_take_no_place_in_the_window(self, client, window_of_3):
        """Only public stories fill the window."""
        ArticleFactory.create_batch(3, title="Robot draft", published=False)
        public = ArticleFactory(title="Robot", published_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
        assert ids(client.get(HOME, {"q": "robot"})) == [public.pk]


class TestAdminCount:
    @pytest.fixture
    def cap_of_30(self, monkeypatch):
        monkeypatch.setattr(CappedPaginator, "cap", 30)

    def test_short_list_counts_exactly(self, editor_client, cap_of_30):
        """Up to the cap the editors' list gives the exact number."""
        ArticleFactory.create_batch(30)
        response = editor_client.get(CHANGELIST)
        assert response.context["cl"].result_count == 30
        assert "about" not in response.content.decode().split('class="paginator"')[1]

    def test_long_list_says_about(self, editor_client, cap_of_30):
        """Past the cap it says "about N", and every page of rows is still reachable."""
        stories = ArticleFactory.create_batch(45)
        response = editor_client.get(CHANGELIST, {"published__exact": "1"})
        cl = response.context["cl"]
        assert not cl.paginator.count_is_exact
        assert cl.result_count >= 31
        assert "about " in response.content.decode().split('class="paginator"')[1]
        assert len(cl.result_list) == 45  # one page of 100 holds them all
        assert {a.pk for a in cl.result_list} == {a.pk for a in stories}

    def test_count_queries_stay_the_same_past_the_cap(
        self, editor_client, cap_of_30, django_assert_num_queries
    ):
        """A list past the cap costs the queries of a short one, plus PostgreSQL's estimate."""
        ArticleFactory.create_batch(5)
        editor_client.get(CHANGELIST)  # fill the type filter's cache
        with django_assert_num_queries(ADMIN_LIST_QUERIES):
            editor_client.get(CHANGELIST)
        ArticleFactory.create_batch(60)
        estimate = 1 if connection.vendor == "postgresql" else 0
        with django_assert_num_queries(ADMIN_LIST_QUERIES + estimate):
            editor_client.get(CHANGELIST)


# Session, user, permissions (user and group), the capped count, the rows, their
# outlets, the provider and topic filter choices, the date drill-down's two ends.
ADMIN_LIST_QUERIES = 11


class TestPublicChoices:
    def form_topics(self, client):
        return [
            slug for slug, _ in client.get(HOME).context["filter"].form.fields["topic"].choices
        ][1:]

    def test_topic_of_unpublished_stories_never_shows_until_one_is_published(self, client):
        """A topic known only through unpublished stories is not offered; publishing one is."""
        hidden = TopicFactory(name="Hidden", slug="hidden")
        shown = TopicFactory(name="Shown", slug="shown")
        draft = ArticleFactory(published=False, topics=[hidden])
        ArticleFactory(topics=[shown])
        assert [str(v) for v in self.form_topics(client)] == ["shown"]
        assert list(Topic.objects.public()) == [shown]
        assert client.get(reverse("articles:topic", args=["hidden"])).status_code == 404
        draft.published = True
        draft.save()
        assert [str(v) for v in self.form_topics(client)] == ["hidden", "shown"]
        assert client.get(reverse("articles:topic", args=["hidden"])).status_code == 200

    def test_taxonomy_topics_and_outlets_show_without_stories(self):
        """Topics and outlets defined by their own files are public with no story at all."""
        topic = TopicFactory(name="From file", slug="from-file", source_file="topics/a.md")
        outlet = ProviderFactory(domain="file.example", source_file="organizations/a.md")
        ProviderFactory(domain="bare.example")
        assert list(Topic.objects.public()) == [topic]
        assert list(Provider.objects.public()) == [outlet]

    def test_outlet_of_unpublished_stories_only_is_hidden(self):
        """An outlet whose stories are all unpublished is not public; one public story is."""
        outlet = ProviderFactory(domain="drafts.example")
        drafts = ArticleFactory.create_batch(3, provider=outlet, published=False)
        assert not Provider.objects.public().filter(pk=outlet.pk).exists()
        Article.objects.filter(pk=drafts[0].pk).update(published=True)
        assert Provider.objects.public().filter(pk=outlet.pk).exists()

    def test_type_choices_are_the_published_types(self, client):
        """The type filter offers each published story's type once, sorted; no unpublished one."""
        for kind in ("video", "article", "video", "podcast"):
            ArticleFactory(type=kind)
        ArticleFactory(type="secret", published=False)
        ArticleFactory(type="")
        choices = client.get(HOME).context["filter"].form.fields["type"].widget.choices
        assert [value for value, _ in choices] == ["", "article", "podcast", "video"]


class TestPublicChoicesCached:
    """With the shared page cache on, the public topics and outlets are kept per generation."""

    def test_publishing_shows_the_topic_and_outlet(
        self, page_cache, django_capture_on_commit_callbacks
    ):
        """Kept lists follow a publish: the topic and outlet appear, none before."""
        hidden = TopicFactory(name="Hidden", slug="hidden")
        outlet = ProviderFactory(domain="later.example")
        draft = ArticleFactory(published=False, topics=[hidden], provider=outlet)
        assert list(Topic.objects.public()) == []
        assert list(Provider.objects.public()) == []
        with django_capture_on_commit_callbacks(execute=True):
            draft.published = True
            draft.save()
        assert list(Topic.objects.public()) == [hidden]
        assert list(Provider.objects.public()) == [outlet]
        with django_capture_on_commit_callbacks(execute=True):
            draft.published = False
            draft.save()
        assert list(Topic.objects.public()) == []

    def test_the_rule_runs_once_per_generation(self, page_cache, django_assert_num_queries):
        """A second page asks the cache, not the rule: one query for the topics themselves."""
        topic = TopicFactory()
        ArticleFactory(topics=[topic])
        assert list(Topic.objects.public()) == [topic]
        with django_assert_num_queries(1) as captured:
            assert list(Topic.objects.public()) == [topic]
        assert "LIMIT 1" not in captured[0]["sql"]
