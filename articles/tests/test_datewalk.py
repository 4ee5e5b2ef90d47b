"""A topic's or an outlet's first pages read by a walk by date show what the other plan shows."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles import datewalk
from articles.clusters.assign import cluster_new_stories

from .factories import ArticleFactory, ProviderFactory, TopicFactory, one_story_from_three_outlets

pytestmark = pytest.mark.django_db

WALKED = "+ 0)"
"""What the walk's condition looks like in the SQL: the object's id column, unindexed."""

PATHS = [
    "/topics/crowded/",
    "/topics/crowded/?page=2",
    "/topics/crowded/?page=3",
    "/topics/crowded/?page=4",
    "/topics/rare/",
    "/providers/busy.example/",
    "/providers/busy.example/?page=2",
    "/providers/quiet.example/",
]


@pytest.fixture
def site():
    crowded = TopicFactory(name="Crowded", slug="crowded")
    rare = TopicFactory(name="Rare", slug="rare")
    busy = ProviderFactory(domain="busy.example", name="Busy")
    quiet = ProviderFactory(domain="quiet.example", name="Quiet")
    t0 = dt.datetime(2025, 3, 1, 9, tzinfo=dt.UTC)
    one_story_from_three_outlets(t0 - dt.timedelta(hours=3), topics=[crowded])  # one card
    cluster_new_stories()
    for n in range(70):  # after the clustering: each stands alone
        ArticleFactory(
            topics=[crowded, rare] if n in (5, 60) else [crowded] if n % 7 else [],
            provider=quiet if n in (3, 66) else busy,
            published_at=t0 - dt.timedelta(hours=n // 2),  # pairs at the same time
            quality=None if n % 5 == 0 else n % 11,
        )
    ArticleFactory(published=False, topics=[crowded], provider=busy, published_at=t0)
    ArticleFactory(
        publish_at=dt.datetime(2099, 1, 1, tzinfo=dt.UTC), topics=[crowded], provider=busy
    )


def page(client, path):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    return response.status_code, response.content, [query["sql"] for query in queries]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the walk is SQLite's")
class TestTheWalk:
    def test_the_walk_shows_what_the_plan_from_the_topic_shows(self, site, client, monkeypatch):
        """Walked or not, each page has the same status, bytes and number of queries."""
        for path in PATHS:
            monkeypatch.setattr(datewalk, "WALK_MARGIN", 0)  # never walk
            status, content, sorted_queries = page(client, path)
            assert not any(WALKED in sql for sql in sorted_queries), path
            monkeypatch.setattr(datewalk, "WALK_MARGIN", 10**9)  # always walk
            page(client, path)  # compiled
            walked_status, walked, walked_queries = page(client, path)  # only run
            assert status == walked_status == 200, path
            assert walked == content, path
            assert len(walked_queries) == len(sorted_queries), path
            assert any(WALKED in sql for sql in walked_queries), path

    def test_a_crowded_topic_walks_and_a_rare_one_does_not(self, site, client):
        """The walk is taken where it reads fewer rows: most stories are the topic's."""
        assert any(WALKED in sql for sql in page(client, "/topics/crowded/")[2])
        assert not any(WALKED in sql for sql in page(client, "/topics/rare/")[2])
        assert not any(WALKED in sql for sql in page(client, "/providers/quiet.example/")[2])

    def test_sorted_and_filtered_lists_keep_their_plan(self, site, client, monkeypatch):
        monkeypatch.setattr(datewalk, "WALK_MARGIN", 10**9)
        filtered = ("/topics/crowded/?sort=heat", "/topics/crowded/?type=video")
        for path in filtered:
            assert not any(WALKED in sql for sql in page(client, path)[2]), path


def test_the_choice():
    """A page ending at ``stop`` walks when count² × margin reaches stop × stories."""
    assert datewalk.walks_by_date(count=500, stories=20_000, stop=21)
    assert not datewalk.walks_by_date(count=100, stories=20_000, stop=21)
    assert not datewalk.walks_by_date(count=500, stories=20_000, stop=201)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plan")
def test_postgresql_keeps_its_plan(site, client, monkeypatch):
    """PostgreSQL's lists are another engineer's plans: never rewritten for a walk."""
    monkeypatch.setattr(datewalk, "WALK_MARGIN", 10**9)
    for path in PATHS:
        assert not any(WALKED in sql for sql in page(client, path)[2]), path
