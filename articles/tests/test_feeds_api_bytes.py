"""The API and the feeds from plain rows send the bytes the model-instance versions sent.

The references (``reference_api``, ``reference_feeds``) are the code as it was before
the plain-row rewrite; every URL below, over stories that give every key and
relation something to show (pins, corrections, images, clusters, hidden stories,
markup, forbidden characters), must come back byte for byte the same from both.
"""

import datetime as dt

import pytest
from django.test import RequestFactory
from django.urls import resolve
from django.utils import timezone

from articles.models import Article, Cluster, Correction, Pin
from articles.tests import reference_api, reference_feeds
from articles.tests.factories import (
    ArticleFactory,
    ArticleImageFactory,
    ProviderFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db

HOUR = dt.timedelta(hours=1)


@pytest.fixture
def varied_stories():
    """Stories that give every key of an item or entry a value worth comparing."""
    now = timezone.now()
    ethics = TopicFactory(name="Ethics", slug="ethics", source_file="ethics.yaml")
    chips = TopicFactory(name="Chips & <Hardware>", slug="chips")
    zeta = TopicFactory(name="Zeta", slug="zeta")
    wired = ProviderFactory(domain="wired.example", name="Wired")
    nameless = ProviderFactory(domain="nameless.example", name="")
    stories = []
    for n in range(40):
        stories.append(
            ArticleFactory(
                title=f"Story {n} <b>bold</b> & “quoted” ünïcode",
                excerpt="" if n % 7 == 0 else f"Excerpt {n}\x0b with a forbidden character",
                body="# Heading\n\nSome *Markdown*." if n % 5 == 0 else "",
                category="" if n % 6 == 0 else "news",
                type="video" if n % 4 == 0 else "article",
                quality=None if n % 3 == 0 else n * 3,
                heat=None if n % 8 == 0 else n,
                original_url=None if n % 2 else f"https://orig.example/{n}",
                amp_web_url=f"https://amp.example/{n}" if n % 3 == 1 else None,
                published_at=dt.datetime(2025, 1, 1, tzinfo=dt.UTC) + dt.timedelta(hours=n * 7),
                provider=(wired, nameless, ProviderFactory())[n % 3],
                provider_data=(
                    {"name": "YAHOO!Finance", "images": [{"url": "https://p.example/l.png"}]}
                    if n % 4 == 1
                    else {"publishers": ["P"], "authors": ["A"]}
                    if n % 4 == 2
                    else {}
                ),
                source_file=f"news/story-{n}.md" if n % 2 == 0 else "",
                source_keys=["title", "images"] if n % 4 == 0 else ["title"],
                extra={"sourceUrl": f"https://src.example/{n}", "tags": ["x"], "locale": "en"}
                if n % 5 == 1
                else {},
                topics=[zeta, ethics] if n % 2 else ([chips] if n % 3 else []),
            )
        )
    for n, story in enumerate(stories[::3]):
        ArticleImageFactory(article=story, position=1, title="Second", is_cached=True)
        ArticleImageFactory(article=story, position=0, attribution=f"© {n}")
    for n, story in enumerate(stories[1::4]):
        Correction.objects.create(article=story, text=f"Fixed <{n}> & more", created_at=now - HOUR)
        Correction.objects.create(article=story, text="Again", created_at=now - HOUR / 2)
    Pin.objects.create(article=stories[-1], position=2)
    Pin.objects.create(article=stories[-3], position=1, expires_at=now + HOUR)
    Pin.objects.create(article=stories[-5], topic=zeta, position=0)
    Pin.objects.create(article=stories[-5], position=3)
    Pin.objects.create(article=stories[-7], expires_at=now - HOUR)  # expired: not shown
    # Two clusters of three: one led by its middle copy, one by nobody.
    for members, lead in ((stories[10:13], stories[11]), (stories[20:23], None)):
        cluster = Cluster.objects.create(lead=lead)
        Article.objects.filter(pk__in=[s.pk for s in members]).update(cluster=cluster)
    # Hidden in every way the gate knows: a draft, an embargo, an ended story.
    ArticleFactory(title="Draft", published=False, topics=[ethics])
    ArticleFactory(title="Embargoed", publish_at=now + HOUR, topics=[ethics])
    ArticleFactory(title="Ended", publish_at=now - 2 * HOUR, unpublish_at=now - HOUR)
    return stories


API_URLS = (
    "/api/news/",
    "/api/news/?page=2",
    "/api/news/page/2/index.json",
    "/api/news/?page=9",
    "/api/news/zeta/",
    "/api/news/ethics/?page=2",
    "/api/news/chips/index.json",
    "/api/news/?collapse=clusters",
    "/api/news/?topic=zeta&sort=quality",
    "/api/news/?sort=heat",
    "/api/news/?type=video&sort=heat&page=2",
    "/api/news/zeta/?topic=ethics&collapse=clusters",
    "/api/news/?provider=Wired",
    "/api/news/?provider=nameless.example&type=video",
    "/api/news/?q=story+bold",
    "/api/news/?q=story&sort=quality",
    "/api/news/?min_quality=40&since=2025-01-03&until=2025-01-09",
    "/api/news/?min_quality=lots",
    "/api/news/no-such-topic/",
    "/api/news/no-such-topic/?min_quality=lots",
    "/api/news/?page=0",
)


def reference_response(view, url):
    match = resolve(url.split("?")[0])
    return view(RequestFactory().get(url), *match.args, **match.kwargs)


class TestApiBytes:
    @pytest.mark.parametrize("url", API_URLS)
    def test_same_bytes_as_the_reference(self, client, varied_stories, url):
        """Every page, filter, topic and error answers as the model-instance version did."""
        ours = client.get(url)
        theirs = reference_response(reference_api.news, url)
        assert (ours.status_code, ours["Content-Type"]) == (
            theirs.status_code,
            theirs["Content-Type"],
        )
        assert ours.content == theirs.content

    def test_deep_page(self, client):
        """A page read in two steps (ids, then rows: articles.paging) is the same too."""
        ArticleFactory.create_batch(250)
        for url in ("/api/news/?page=7", "/api/news/?page=9"):
            assert client.get(url).content == reference_response(reference_api.news, url).content


FEEDS = {
    "/feeds/rss/": reference_feeds.LatestArticlesFeed(),
    "/feeds/atom/": reference_feeds.LatestArticlesAtomFeed(),
    "/feeds/json/": reference_feeds.LatestArticlesJsonFeed(),
}
FEED_QUERIES = (
    "",
    "?topic=zeta",
    "?topic=chips&sort=quality",
    "?type=video&sort=heat",
    "?provider=Wired",
    "?provider=nameless.example&type=video",
    "?q=story+bold",
    "?q=story&sort=heat",
    "?min_quality=40&since=2025-01-03&until=2025-01-09",
    "?since=yesterday",
    "?q=%00",
)


class TestFeedBytes:
    @pytest.mark.parametrize("query", FEED_QUERIES)
    @pytest.mark.parametrize("feed", list(FEEDS))
    def test_same_bytes_as_the_reference(self, client, varied_stories, feed, query):
        """Every format and filter, and a bad filter's 400, answers as the Feed classes did."""
        ours = client.get(feed + query)
        theirs = FEEDS[feed](RequestFactory().get(feed + query))
        assert (ours.status_code, ours["Content-Type"]) == (
            theirs.status_code,
            theirs["Content-Type"],
        )
        assert "Last-Modified" not in ours
        assert ours.content == theirs.content

    def test_over_https(self, client, varied_stories):
        """Links take the request's scheme, as Feed's add_domain gave them."""
        ours = client.get("/feeds/atom/", secure=True)
        theirs = FEEDS["/feeds/atom/"](RequestFactory().get("/feeds/atom/", secure=True))
        assert b"https://testserver/" in ours.content
        assert ours.content == theirs.content


class TestCaching:
    @pytest.mark.parametrize("url", ["/feeds/rss/?topic=zeta", "/feeds/json/", "/api/news/zeta/"])
    def test_page_cache_and_etag(self, memory_page_cache, client, varied_stories, url):
        """The page cache replays a feed or API page as sent; its ETag answers a 304."""
        fresh = client.get(url)
        replayed = client.get(url)
        assert replayed.headers.get("X-Page-Cache") == "hit"
        assert replayed.content == fresh.content
        assert replayed["Content-Type"] == fresh["Content-Type"]
        assert client.get(url, headers={"if-none-match": fresh["ETag"]}).status_code == 304
