"""Every public page is byte for byte what it was before the list pages were drawn in Python.

The reference is the code as it was (``articles/tests/reference_pages/``: the
templates and template tags the list pages, the layout and the navigation used):
each page is rendered through it, then through the site's own code, for readers
and for staff, with and without filters, bad filters, deep and past-the-end pages.
The site's code may make fewer queries than the reference, never more.
"""

import datetime as dt
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles import paging
from articles.clusters.assign import cluster_new_stories
from articles.models import Correction, Pin

from .factories import (
    ArticleFactory,
    ArticleImageFactory,
    ProviderFactory,
    TopicFactory,
    one_story_from_three_outlets,
)

pytestmark = pytest.mark.django_db

REFERENCE = Path(__file__).resolve().parent / "reference_pages"
REFERENCE_LIBRARIES = ("newsroom", "provider_logos", "story_images", "topic_nav", "topic_pictures")
"""The template libraries the reference has its own copy of (the others are the site's)."""
HOSTILE = "<b>\"Q&A\"</b> 'x'"


@pytest.fixture
def site():
    """Topics two deep (names to escape), pins, clusters, corrections, pictures, hidden stories."""
    science = TopicFactory(
        name="Science",
        slug="science",
        description="All of <science>.",
        extra={"images": ["https://img.example/science.png?a=1&b=2"]},
    )
    sport = TopicFactory(name=f"Sport {HOSTILE}", slug="sport")
    physics = TopicFactory(name="Physics & maths", slug="physics", parent=science)
    optics = TopicFactory(name="Optics", slug="optics", parent=physics)
    chemistry = TopicFactory(name="Chemistry", slug="chemistry", parent=science)
    TopicFactory(name="Nobody's", slug="nobodys")  # no public story: not public
    TopicFactory(name="From a file", slug="filed", source_file="filed.yaml")  # public, no story
    daily = ProviderFactory(
        domain="daily.example",
        name=f"Daily {HOSTILE}",
        source_images=[
            {"url": "https://img.example/daily-64.png", "width": 64},
            {"url": "https://img.example/daily-128.png", "width": 128},
        ],
    )
    t0 = dt.datetime(2025, 3, 1, 9, tzinfo=dt.UTC)
    one_story_from_three_outlets(t0, topics=[science, physics])
    cluster_new_stories()
    kinds_of_topics = [[science], [science, sport], [physics], [sport, optics], [], [chemistry]]
    stories = []
    for n in range(48):
        story = ArticleFactory(
            title=f"Story {n} {HOSTILE}" if n % 7 == 0 else f"Chip story {n}",
            excerpt=f"Excerpt {n} & {HOSTILE}",
            topics=kinds_of_topics[n % len(kinds_of_topics)],
            provider=daily if n % 4 == 0 else ProviderFactory(),
            quality=None if n % 5 == 0 else n,
            heat=None if n % 6 == 0 else 1000 * n,
            type="video" if n % 3 == 0 else "article",
            published_at=t0 - dt.timedelta(hours=9 * n),
        )
        if n % 2:
            ArticleImageFactory(article=story, position=0, width=None if n % 3 else 800)
        stories.append(story)
    ArticleFactory(publish_at=dt.datetime(2099, 1, 1, tzinfo=dt.UTC), topics=[science])
    ArticleFactory(published=False, topics=[sport], title="Not yet")
    Pin.objects.create(article=stories[7], position=1)
    Pin.objects.create(article=stories[3], position=0)
    Pin.objects.create(article=stories[9], topic=science)
    Correction.objects.create(article=stories[2], text="The date was wrong.")
    return stories


PATHS = [
    "/",
    "/?page=2",
    "/?page=3",
    "/?q=&sort=&topic=",
    "/?since=&until=&min_quality=&provider=&type=",
    "/?utm_source=mail",
    "/?q=chip",
    "/?q=nothingmatchesthis",
    "/?q=chip&sort=heat&page=2",
    "/?sort=quality",
    "/?topic=science&type=video",
    "/?topic=nope",
    "/?provider=daily.example",
    f"/?provider={HOSTILE}",
    "/?since=2025-02-01&until=2025-02-20",
    "/?since=nope&min_quality=-1",
    "/?min_quality=10&sort=heat",
    "/topics/science/",
    "/topics/science/?page=2",
    "/topics/science/?since=&q=",
    "/topics/science/?sort=heat&q=chip",
    "/topics/physics/",
    "/topics/optics/",
    "/topics/sport/",
    "/topics/filed/",
    "/topics/filed/?q=x",
    "/topics/nobodys/",
    "/providers/daily.example/",
    "/providers/daily.example/?page=2",
    "/providers/daily.example/?type=video",
    "/topics/",
    "/corrections/",
    "/no-such-page/",
    "/?page=99",
]


@pytest.fixture
def reference_templates(settings):
    """Render with the templates and tags as they were (``reference_pages``)."""
    live = settings.TEMPLATES
    engine = {**live[0], "DIRS": [REFERENCE / "templates", *live[0]["DIRS"]]}
    engine["OPTIONS"] = {
        **engine["OPTIONS"],
        "libraries": {
            name: f"articles.tests.reference_pages.{name}"
            for name in (
                "newsroom",
                "provider_logos",
                "story_images",
                "topic_nav",
                "topic_pictures",
            )
        },
    }

    def switch(on):
        settings.TEMPLATES = [engine] if on else live

    return switch


def rendered(client, path):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    return response.status_code, response.content.decode(), len(queries)


def as_staff(client):
    user = get_user_model().objects.create_user("editor", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="change_article"))
    client.force_login(user)


@pytest.mark.parametrize("reader", ["anonymous", "staff"])
def test_every_public_page_is_the_reference(client, site, reader, reference_templates, monkeypatch):
    monkeypatch.setattr(paging, "DEEP_OFFSET", 20)  # page 2 on is read ids first
    monkeypatch.setattr(paging, "MAX_PAGES", 2)  # page 2 is the last one served
    if reader == "staff":
        as_staff(client)
    paths = [*PATHS, site[2].get_absolute_url(), site[5].get_absolute_url()]
    for path in paths:
        reference_templates(True)
        status, expected, reference_queries = rendered(client, path)
        reference_templates(False)
        for _ in range(2):  # the first request may compile what the second only runs
            got_status, got, queries = rendered(client, path)
            assert (got_status, path) == (status, path)
            assert got == expected, path
            assert queries <= reference_queries, path
