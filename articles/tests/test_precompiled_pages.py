"""Public pages from kept SQL and kept links are byte for byte the ORM's and reverse()'s.

Each page is rendered with ``NEWSROOM_PRECOMPILED_SQL`` off (every query built by
the ORM) and every link through ``reverse()`` (the reference), then with both
kept (``newsroom.precompiled``, ``newsroom.reversing``) twice (compiled, then
only run), with the same number of queries.
"""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles import keptlists, paging
from articles.clusters.assign import cluster_new_stories
from articles.models import Correction, Pin
from newsroom import precompiled, reversing

from .factories import ArticleFactory, ProviderFactory, TopicFactory, one_story_from_three_outlets
from .public_support import full_story

pytestmark = pytest.mark.django_db


@pytest.fixture
def site():
    science = TopicFactory(name="Science", slug="science")
    sport = TopicFactory(name="Sport", slug="sport")
    TopicFactory(name="Physics", slug="physics", parent=science)
    outlet = ProviderFactory(domain="daily.example", name="Daily")
    t0 = dt.datetime(2025, 3, 1, 9, tzinfo=dt.UTC)
    one_story_from_three_outlets(t0, topics=[science])
    cluster_new_stories()
    stories = [  # after the clustering: each stands alone
        full_story(
            topics=[science] if n % 3 else [science, sport],
            provider=outlet if n % 4 == 0 else ProviderFactory(),
            quality=None if n % 5 == 0 else n,
            published_at=t0 - dt.timedelta(hours=n),
        )
        for n in range(45)
    ]
    ArticleFactory(publish_at=dt.datetime(2099, 1, 1, tzinfo=dt.UTC), topics=[science])
    Pin.objects.create(article=stories[7], position=1)
    Pin.objects.create(article=stories[3], position=0)
    Pin.objects.create(article=stories[9], topic=science)
    Correction.objects.create(article=stories[2], text="The date was wrong.")
    return stories


@pytest.fixture
def reference(client, settings, monkeypatch):
    """The page as the ORM and ``reverse()`` make it; kept SQL and links switched on after."""

    def render(path):
        precompiled.forget()
        reversing._kept.clear()
        settings.NEWSROOM_PRECOMPILED_SQL = False
        with monkeypatch.context() as patched:
            patched.setattr(reversing, "_template", lambda name, bare: reversing._REVERSE)
            page = rendered(client, path)
        reversing._kept.clear()
        settings.NEWSROOM_PRECOMPILED_SQL = True
        return page

    return render


def rendered(client, path):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, path
    return response.content, len(queries)


PATHS = [
    "/",
    "/?page=2",
    "/?page=3",
    "/?q=&sort=&topic=",
    "/topics/science/",
    "/topics/science/?page=2",
    "/topics/sport/",
    "/providers/daily.example/",
    "/corrections/",
    "/topics/",
    # filtered and sorted lists, kept per shape of their filters (articles.keptlists)
    "/?sort=quality",
    "/?sort=heat&page=2",
    "/?min_quality=21",  # a story has 21: the bound counts
    "/?min_quality=21.7&sort=newest",
    "/?type=article&topic=sport",
    "/?topic=science&sort=quality&page=2",
    "/topics/science/?sort=heat",
    "/topics/science/?min_quality=11&type=article",
    "/providers/daily.example/?sort=quality&topic=science",
    "/?q=story",  # a search: kept on PostgreSQL, through the ORM on SQLite
    "/?q=story&sort=newest",
    "/?q=story&sort=quality&topic=science",
    "/topics/science/?q=Story",
    # not kept: through the ORM whatever the database
    "/?provider=Daily",
    "/?since=2025-02-27&sort=quality",
    "/?until=9999-12-31",
    f"/?min_quality={2**40}",
]


@pytest.mark.parametrize("path", PATHS)
def test_the_same_page(client, site, path, monkeypatch, reference):
    monkeypatch.setattr(paging, "DEEP_OFFSET", 20)  # page 2 on is read ids first
    expected = reference(path)
    assert rendered(client, path) == expected  # compiled now
    assert rendered(client, path) == expected  # only run
    assert precompiled._kept and reversing._kept


def test_the_story_page(client, site, reference):
    path = site[2].get_absolute_url()
    expected = reference(path)
    assert rendered(client, path) == expected
    assert rendered(client, path) == expected


@pytest.mark.parametrize(
    ("path", "kept"),
    [
        ("/?sort=quality&min_quality=2&topic=science", True),
        ("/?provider=Daily", False),
        ("/?until=2025-03-01", False),
        ("/?q=a&since=2025-01-01", False),
        ("/?q=a", connection.vendor == "postgresql"),  # SQLite's substring search: per word
    ],
)
def test_which_lists_are_kept(client, site, path, kept):
    precompiled.forget()
    client.get(path)
    assert any(key[0].startswith("list:") for key in precompiled._kept) == kept


def test_filtered_lists_are_kept_per_shape_not_per_value(client, site):
    """Another value of the same filters is the same kept SQL; another filter or sort is not."""

    def lists():  # a page's prefetches are kept per number of rows
        return {
            key
            for key in precompiled._kept
            if key[0].startswith("list:") and "prefetch" not in key[0]
        }

    precompiled.forget()
    client.get("/?min_quality=5&sort=quality")
    shapes = lists()
    client.get("/?min_quality=30&sort=quality")
    assert lists() == shapes
    client.get("/?min_quality=30&sort=heat")
    assert lists() > shapes


def test_the_public_scorecard_is_the_orms(site):
    from articles.clusters.scorecards import public_scorecard, scorecard
    from articles.models import Article
    from providers.models import Provider

    for outlet in Provider.objects.filter(domain__startswith="outlet-c") | Provider.objects.filter(
        domain="daily.example"
    ):
        expected = scorecard(outlet, Article.objects.published())
        assert public_scorecard(outlet) == expected
        assert public_scorecard(outlet) == expected
        assert outlet.domain == "daily.example" or expected["first_reports"] + expected["repeats"]


def explained(client, path):
    """The statements the planner is asked to estimate while ``path`` renders, ``now`` blanked."""
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    plans = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("EXPLAIN")]
    return [re.sub(r"'\d{4}-\d\d-\d\d[ T][\d:.]+\+00(:00)?'", "'now'", sql) for sql in plans]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the planner: PostgreSQL only")
@pytest.mark.parametrize(
    "path", ["/?q=story&sort=newest", "/topics/science/?q=story&sort=quality&type=article"]
)
def test_a_sorted_search_asks_the_planner_what_the_orm_asks(client, settings, site, path):
    """The kept list picks its sort's shape from the estimate of the same matches (not windowed)."""
    settings.NEWSROOM_PRECOMPILED_SQL = False
    expected = explained(client, path)
    settings.NEWSROOM_PRECOMPILED_SQL = True
    precompiled.forget()
    assert expected and explained(client, path) == expected


PLANNED_PATHS = [
    "/?sort=quality",
    "/?sort=heat&page=2",
    "/?type=article&min_quality=3",
    "/?topic=science&sort=quality&page=2",
    "/topics/science/?sort=quality",
    "/topics/science/?min_quality=11&type=article&sort=heat",
    "/providers/daily.example/?sort=quality&topic=science",
]


@pytest.mark.parametrize("fenced_up_to", [10**9, 0])
@pytest.mark.parametrize(("cap", "hashed_up_to"), [(1000, 0), (2, 10**9), (2, 0)])
@pytest.mark.parametrize("path", PLANNED_PATHS)
def test_the_same_page_whichever_plan_pages_it(
    client, site, path, cap, hashed_up_to, fenced_up_to, monkeypatch, reference
):
    """A list paged by its ids (PostgreSQL, ``keptlists.paged_rows``) is the ORM's page,
    sorted first (a short list), walked with topics hashed, or walked with topics joined;
    a deep page's ids found outside a fence or by the walk alone."""
    monkeypatch.setattr(paging, "DEEP_OFFSET", 20)  # page 2 on is read ids first
    monkeypatch.setattr(paging, "CAP", cap)  # what a short list is, to the plan alone
    monkeypatch.setattr(keptlists, "HASHED_TOPICS_UP_TO", hashed_up_to)
    monkeypatch.setattr(keptlists, "FENCED_UP_TO", fenced_up_to)
    expected = reference(path)
    assert rendered(client, path) == expected
    assert rendered(client, path) == expected
