"""Feeds as readers see them: checked with feedparser (RSS, Atom) and JSON Feed 1.1's rules."""

import datetime as dt
import html
from urllib.parse import urlsplit

import feedparser
import pytest

from articles.models import Article
from articles.tests.factories import ArticleFactory, TopicFactory

pytestmark = pytest.mark.django_db

MARKED_UP = 'Q&A: Why "<b>record-breaking</b>" claims <i>deserve</i> a look'
PUBLISHED = dt.datetime(2023, 3, 27, 21, 20, tzinfo=dt.UTC)


def parsed(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    return feed


def shown_text(detail):
    """What a feed reader shows for a feedparser text construct."""
    if detail.type == "text/plain":
        return detail.value
    assert "<" not in detail.value, f"markup would render: {detail.value!r}"
    return html.unescape(detail.value)


@pytest.fixture
def marked_up_story():
    return ArticleFactory(title=MARKED_UP, excerpt="<i>x</i> & y", published_at=PUBLISHED)


@pytest.mark.parametrize("url", ["/feeds/rss/", "/feeds/atom/"])
def test_titles_are_text_for_feed_readers(client, marked_up_story, url):
    """A title's markup is shown as its characters, never rendered (RSS readers render HTML)."""
    feed = parsed(client, url, q="record")
    (entry,) = feed.entries
    assert shown_text(entry.title_detail) == MARKED_UP
    assert shown_text(entry.summary_detail) == "<i>x</i> & y"
    assert "record" in shown_text(feed.feed.title_detail)


def test_atom_updated_is_the_storys_own_time(client, marked_up_story):
    """Atom's updated is when the story was published, not when the row was last saved."""
    (entry,) = parsed(client, "/feeds/atom/").entries
    assert entry.updated == "2023-03-27T21:20:00+00:00"
    assert parsed(client, "/feeds/atom/").feed.updated == "2023-03-27T21:20:00+00:00"


def test_json_feed_has_the_spec_keys(client, marked_up_story):
    """JSON Feed 1.1: version, title and items; each item an id and content, dates RFC 3339."""
    topic = TopicFactory(name="Benchmarks")
    marked_up_story.topics.add(topic)
    response = client.get("/feeds/json/", {"topic": topic.slug})
    assert response["Content-Type"] == "application/feed+json; charset=utf-8"
    feed = response.json()
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert feed["title"] == "Newsroom — Benchmarks"
    assert feed["feed_url"] == f"http://testserver/feeds/json/?topic={topic.slug}"
    assert feed["home_page_url"] == f"http://testserver/?topic={topic.slug}"
    (item,) = feed["items"]
    assert item["id"] and isinstance(item["id"], str)
    assert item["title"] == MARKED_UP
    assert item["content_text"] == "<i>x</i> & y"
    assert item["url"] == f"http://testserver{marked_up_story.get_absolute_url()}"
    assert item["external_url"] == marked_up_story.web_url
    assert dt.datetime.fromisoformat(item["date_published"]) == PUBLISHED
    assert dt.datetime.fromisoformat(item["date_modified"]) == PUBLISHED
    assert item["authors"] == [{"name": str(marked_up_story.provider)}]
    assert item["tags"] == ["Benchmarks"]


def test_json_feed_takes_the_lists_filters(client):
    """The JSON feed narrows like the list and refuses a bad filter with a 400."""
    ArticleFactory(title="Robots win", quality=80)
    ArticleFactory(title="Robots lose", quality=20)
    response = client.get("/feeds/json/", {"min_quality": "50"})
    assert [item["title"] for item in response.json()["items"]] == ["Robots win"]
    assert client.get("/feeds/json/", {"since": "yesterday"}).status_code == 400


def test_every_list_page_offers_all_three_feeds(client):
    """A list page links its RSS, Atom and JSON feeds with the list's filters."""
    topic = TopicFactory(slug="vision")
    ArticleFactory(topics=[topic])
    page = client.get("/topics/vision/").content.decode()
    for kind in ("rss", "atom", "json"):
        assert f'href="/feeds/{kind}/?topic=vision"' in page
    assert 'type="application/feed+json"' in page


def demo_titles():
    """Each published demo story's title by its page's path."""
    return {story.get_absolute_url(): story.title for story in Article.objects.published()}


@pytest.mark.parametrize("url", ["/feeds/rss/", "/feeds/atom/"])
def test_the_demos_feeds_parse_and_show_every_title_as_text(client, demo, url):
    """The demo's whole feed: no bozo, and every entry's title is its story's, as text
    (the fixture title holding ``<b>`` included)."""
    feed = parsed(client, url)
    titles = demo_titles()
    shown = {urlsplit(entry.link).path: shown_text(entry.title_detail) for entry in feed.entries}
    assert len(shown) > 20
    assert {path: titles.get(path) for path in shown} == shown
    assert any("<b>" in title for title in shown.values())


def test_the_demos_json_feed_has_the_spec_keys_on_every_item(client, demo):
    feed = client.get("/feeds/json/").json()
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert isinstance(feed["title"], str) and feed["title"]
    titles = demo_titles()
    assert len(feed["items"]) > 20
    for item in feed["items"]:
        assert isinstance(item["id"], str) and item["id"], item
        assert item.get("content_text") or item.get("content_html"), item
        assert titles[urlsplit(item["url"]).path] == item["title"]
    assert any("<b>" in item["title"] for item in feed["items"])
