"""The page cache and ETags follow schedules: no stored page outlives the next scheduled change.

Runs on a memory cache and on a real Redis (the ``page_cache`` fixture, conftest.py).
Two tests wait for a real clock: an embargo seconds away lifts (or falls) with nothing run.
"""

import datetime as dt
import time
from types import SimpleNamespace

import pytest
from django.core.cache import caches
from django.test import RequestFactory
from django.utils import timezone

from articles.models import Article, Correction, Pin, Topic
from articles.tests.factories import ArticleFactory, TopicFactory
from newsroom import pagecache

pytestmark = pytest.mark.django_db(transaction=True)

HOME = "/"
HOUR = dt.timedelta(hours=1)


def served_from_cache(response):
    return response.headers.get("X-Page-Cache") == "hit"


def stored_seconds(page_cache, request_path="/"):
    """The time to live of the stored entry for ``request_path``, as the cache keeps it."""
    store = caches["default"]
    generation = store.get(pagecache.GENERATION_KEY)
    key = pagecache.page_key(RequestFactory().get(request_path), generation)
    assert store.get(key) is not None, "the page was not stored"
    if page_cache == "redis":
        client = store._cache.get_client(key, write=False)
        return client.ttl(store.make_and_validate_key(key))
    expiry = store._expire_info[store.make_and_validate_key(key)]
    return expiry - time.time()


def test_a_page_from_before_the_embargo_is_not_served_after_it(page_cache, client):
    """With a real clock: the cached home page expires when the embargo lifts, by itself."""
    ArticleFactory(title="Already out")
    ArticleFactory(
        title="Lifts in four seconds", publish_at=timezone.now() + dt.timedelta(seconds=4)
    )
    before = client.get(HOME)
    assert "Lifts in four seconds" not in before.content.decode()
    assert served_from_cache(client.get(HOME))  # stored, for now
    time.sleep(4.2)
    after = client.get(HOME)
    assert not served_from_cache(after)
    assert "Lifts in four seconds" in after.content.decode()
    # The reader's old ETag no longer matches: a full page, not a 304.
    again = client.get(HOME, headers={"if-none-match": before.headers["ETag"]})
    assert again.status_code == 200
    assert again.headers["ETag"] != before.headers["ETag"]


def test_the_stored_timeout_is_capped_at_the_next_lift(page_cache, client):
    ArticleFactory(publish_at=timezone.now() + dt.timedelta(seconds=40))
    client.get(HOME)
    assert 30 <= stored_seconds(page_cache) <= 40


@pytest.mark.parametrize(
    "path",
    [
        "/articles/out-now/",
        "/topics/",
        "/corrections/",
        "/feeds/rss/",
        "/feeds/json/",
        "/api/news/",
        "/sitemap.xml",
        "/sitemap-articles.xml",
    ],
)
def test_every_public_path_is_kept_only_until_the_next_lift(page_cache, client, path):
    """Not only the home page: each public answer stored expires at the next change."""
    ArticleFactory(slug="out-now")
    ArticleFactory(publish_at=timezone.now() + dt.timedelta(seconds=40))
    assert client.get(path).status_code == 200
    assert served_from_cache(client.get(path))
    assert 30 <= stored_seconds(page_cache, path) <= 40


def test_the_stored_timeout_is_capped_at_the_next_fall(page_cache, client):
    ArticleFactory(unpublish_at=timezone.now() + dt.timedelta(seconds=50))
    client.get(HOME)
    assert 40 <= stored_seconds(page_cache) <= 50


def test_the_stored_timeout_is_capped_at_the_next_pin_expiry(page_cache, client):
    Pin.objects.create(
        article=ArticleFactory(), expires_at=timezone.now() + dt.timedelta(seconds=60)
    )
    client.get(HOME)
    assert 50 <= stored_seconds(page_cache) <= 60


def test_without_schedules_the_setting_rules(page_cache, client):
    ArticleFactory(publish_at=timezone.now() - HOUR)  # past: changes nothing any more
    client.get(HOME)
    assert 290 <= stored_seconds(page_cache) <= 300


def test_a_change_under_a_second_away_is_not_stored(page_cache, client, monkeypatch):
    now = timezone.now()
    ArticleFactory(publish_at=now + dt.timedelta(milliseconds=500))
    # The cache decides as of ``now`` however long a request takes on a busy machine
    # (a request slower than 500 ms rendered after the change, and rightly stored it).
    monkeypatch.setattr(pagecache, "timezone", SimpleNamespace(now=lambda: now))
    assert client.get(HOME).headers["X-Page-Cache"] == "miss"
    assert not served_from_cache(client.get(HOME))


def test_the_etag_changes_when_an_embargo_falls(page_cache, client):
    """A reader revalidating after unpublish_at gets the page without the story, not a 304."""
    story = ArticleFactory(
        title="Falls soon", unpublish_at=timezone.now() + dt.timedelta(seconds=5)
    )
    first = client.get(HOME)
    assert "Falls soon" in first.content.decode()
    etag = first.headers["ETag"]
    # Served from the cache (each render has its own CSP nonce, so its own ETag).
    assert client.get(HOME, headers={"if-none-match": etag}).status_code == 304
    time.sleep(5.2)
    after = client.get(HOME, headers={"if-none-match": etag})
    assert after.status_code == 200
    assert "Falls soon" not in after.content.decode()
    assert client.get(story.get_absolute_url()).status_code == 404


def test_moving_a_schedule_in_the_admin_retires_the_cache(page_cache, client):
    """An editor's save of new times retires stored pages at once (the save's signal)."""
    story = ArticleFactory(title="Rescheduled", publish_at=timezone.now() + HOUR)
    assert "Rescheduled" not in client.get(HOME).content.decode()
    story.publish_at = timezone.now() - HOUR
    story.save()
    assert "Rescheduled" in client.get(HOME).content.decode()
    assert Article.objects.published().filter(pk=story.pk).exists()


def test_a_correction_retires_the_cached_story_page(page_cache, client):
    story = ArticleFactory()
    assert "Wrong year" not in client.get(story.get_absolute_url()).content.decode()
    assert served_from_cache(client.get(story.get_absolute_url()))
    Correction.objects.create(article=story, text="Wrong year")
    page = client.get(story.get_absolute_url())
    assert not served_from_cache(page)
    assert "Wrong year" in page.content.decode()


def test_pinning_retires_the_cached_home_page(page_cache, client):
    story = ArticleFactory(title="Soon featured")
    assert "Featured" not in client.get(HOME).content.decode()
    Pin.objects.create(article=story)
    page = client.get(HOME)
    assert not served_from_cache(page)
    assert 'class="card__flag">Featured<' in page.content.decode()


def test_kept_public_topics_follow_an_embargo_lifting(page_cache):
    """The public topics kept per generation (``pagecache.kept_for_generation``) expire
    at the next scheduled change too: a topic known only through an embargoed story
    becomes public when the embargo lifts, with nothing published and nothing run."""
    topic = TopicFactory(source_file="")
    story = ArticleFactory(publish_at=timezone.now() + dt.timedelta(seconds=2))
    story.topics.add(topic)
    assert topic not in Topic.objects.public()
    assert topic not in Topic.objects.public()  # kept: the second ask reads the cache
    time.sleep(2.2)
    assert topic in Topic.objects.public()
