"""Public pages from kept SQL (newsroom.precompiled) are byte for byte the ORM's pages.

Each page is rendered with ``NEWSROOM_PRECOMPILED_SQL`` off (every query built by
the ORM: the reference) and on, twice (compiled, then only run), with the same
number of queries.
"""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles import paging
from articles.clusters.assign import cluster_new_stories
from articles.models import Correction, Pin
from newsroom import precompiled

from .factories import ArticleFactory, ProviderFactory, TopicFactory
from .public_support import full_story

pytestmark = pytest.mark.django_db


@pytest.fixture
def site():
    science = TopicFactory(name="Science", slug="science")
    sport = TopicFactory(name="Sport", slug="sport")
    TopicFactory(name="Physics", slug="physics", parent=science)
    outlet = ProviderFactory(domain="daily.example", name="Daily")
    t0 = dt.datetime(2025, 3, 1, 9, tzinfo=dt.UTC)
    for n in range(3):  # one story told by three outlets: one card, "also reported by"
        ArticleFactory(
            title="Kyocera launches a chip",
            web_url=f"https://outlet-c{n}.example/kyocera",
            original_url="https://kyocera.example/news/chip",
            provider=ProviderFactory(domain=f"outlet-c{n}.example"),
            published_at=t0 + dt.timedelta(hours=n),
            topics=[science],
        )
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
]


@pytest.mark.parametrize("path", PATHS)
def test_the_same_page(client, settings, site, path, monkeypatch):
    monkeypatch.setattr(paging, "DEEP_OFFSET", 20)  # page 2 on is read ids first
    precompiled.forget()
    settings.NEWSROOM_PRECOMPILED_SQL = False
    reference = rendered(client, path)
    settings.NEWSROOM_PRECOMPILED_SQL = True
    assert rendered(client, path) == reference  # compiled now
    assert rendered(client, path) == reference  # only run
    assert precompiled._kept or path == "/topics/"


def test_the_story_page(client, settings, site):
    path = site[2].get_absolute_url()
    settings.NEWSROOM_PRECOMPILED_SQL = False
    reference = rendered(client, path)
    settings.NEWSROOM_PRECOMPILED_SQL = True
    assert rendered(client, path) == reference
    assert rendered(client, path) == reference


def test_a_filter_still_goes_through_the_orm(client, settings, site):
    precompiled.forget()
    client.get("/?sort=quality")
    assert not any(key[0].startswith("list:") for key in precompiled._kept)
