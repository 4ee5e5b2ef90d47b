"""RSS and Atom feeds: the list's filters select the items; drafts never appear."""

import xml.etree.ElementTree as ET

import pytest

from articles.models import Correction
from articles.tests.factories import ArticleFactory, ProviderFactory, TopicFactory
from articles.tests.public_support import full_story

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def rss_titles(response):
    root = ET.fromstring(response.content)
    return [item.findtext("title") for item in root.iter("item")]


def atom_titles(response):
    root = ET.fromstring(response.content)
    return [entry.findtext(f"{ATOM}title") for entry in root.iter(f"{ATOM}entry")]


class TestFeeds:
    def test_rss_lists_published_newest_first(self, client):
        """The site's RSS feed lists published stories, newest first, and no drafts."""
        ArticleFactory(title="First")
        ArticleFactory(title="Second")
        ArticleFactory(title="Draft", published=False)
        response = client.get("/feeds/rss/")
        assert response["Content-Type"].startswith("application/rss+xml")
        assert rss_titles(response) == ["Second", "First"]

    def test_atom(self, client):
        """The Atom feed carries the same stories, with links to our pages."""
        article = ArticleFactory(title="Only one")
        response = client.get("/feeds/atom/")
        assert atom_titles(response) == ["Only one"]
        assert f"http://testserver{article.get_absolute_url()}" in response.content.decode()

    @pytest.mark.parametrize("feed", ["/feeds/rss/", "/feeds/atom/"])
    def test_topic_and_provider_feeds(self, client, feed):
        """?topic= and ?provider= make a topic's or an outlet's feed, named after it."""
        topic = TopicFactory(name="Vision", slug="vision")
        outlet = ProviderFactory(domain="eye.example", name="Eye")
        ArticleFactory(title="Seen", topics=[topic], provider=outlet)
        ArticleFactory(title="Unrelated")
        titles = rss_titles if "rss" in feed else atom_titles
        by_topic = client.get(feed, {"topic": "vision"})
        assert titles(by_topic) == ["Seen"]
        assert "Newsroom — Vision" in by_topic.content.decode()
        assert titles(client.get(feed, {"provider": "eye.example"})) == ["Seen"]
        if "atom" in feed:
            self_link = f'href="http://testserver{feed}?topic=vision" rel="self"'
            assert self_link in by_topic.content.decode()

    def test_search_and_quality_filters(self, client):
        """?q= and ?min_quality= narrow a feed the way they narrow the list."""
        ArticleFactory(title="Robots win", quality=80)
        ArticleFactory(title="Robots lose", quality=20)
        ArticleFactory(title="Chips", quality=90)
        response = client.get("/feeds/rss/", {"q": "robots", "min_quality": "50"})
        assert rss_titles(response) == ["Robots win"]

    def test_bad_filter_is_400(self, client):
        """A malformed filter value is a 400, not a silently unfiltered feed."""
        assert client.get("/feeds/rss/", {"since": "yesterday"}).status_code == 400

    def test_escaping(self, client):
        """Markup in stored text arrives as text in the XML, escaped once more for RSS readers."""
        ArticleFactory(title="<b>Bold</b> & co", excerpt="<script>x</script>")
        response = client.get("/feeds/rss/")
        assert rss_titles(response) == ["&lt;b&gt;Bold&lt;/b&gt; &amp; co"]
        assert "<script>" not in response.content.decode()

    @pytest.mark.parametrize("feed", ["/feeds/rss/", "/feeds/atom/", "/feeds/json/"])
    def test_query_count_does_not_grow(self, client, feed, django_assert_num_queries):
        """One item and twenty cost the same queries."""
        titles = FEED_TITLES[feed.split("/")[2]]
        full_story(topics=[TopicFactory()])
        # Budget: the items (outlet joined), their topics and their corrections.
        with django_assert_num_queries(3):
            client.get(feed)
        for _ in range(19):
            full_story(topics=[TopicFactory()])
        with django_assert_num_queries(3):
            assert len(titles(client.get(feed))) == 20

    @pytest.mark.parametrize("feed", ["/feeds/rss/", "/feeds/json/"])
    def test_corrections_cost_no_query_per_entry(self, client, feed, django_assert_num_queries):
        """Entries with corrections: one and twenty still cost the feed's three queries."""

        def corrected_story():
            Correction.objects.create(article=full_story(topics=[TopicFactory()]), text="Fixed.")

        corrected_story()
        with django_assert_num_queries(3):
            assert b"Correction, " in client.get(feed).content
        for _ in range(19):
            corrected_story()
        with django_assert_num_queries(3):
            text = client.get(feed).content
        # JSON Feed carries the text twice: content_text and summary.
        assert text.count(b"Correction, ") == (40 if "json" in feed else 20)


FEED_TITLES = {
    "rss": rss_titles,
    "atom": atom_titles,
    "json": lambda response: [item["title"] for item in response.json()["items"]],
}
