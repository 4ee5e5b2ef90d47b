"""Hostile stored text and query strings: feeds stay XML, bad input is a 400/404, never a 500."""

import json
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from articles.search import MAX_WORDS
from articles.tests.factories import ArticleFactory, ProviderFactory, TopicFactory

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
FEEDS = ["/feeds/rss/", "/feeds/atom/"]
# Every character XML 1.0 forbids that a database can hold, and two it allows.
FORBIDDEN = "\x01\x08\x0b\x0c\x1f\ufffe\uffff"


@pytest.fixture
def hostile():
    topic = TopicFactory(name=f"Bad{FORBIDDEN}topic", slug="bad-topic")
    outlet = ProviderFactory(domain="bad.example", name=f"Bad{FORBIDDEN}outlet")
    return ArticleFactory(
        title=f"Bad{FORBIDDEN}title\ttab",
        excerpt=f"Bad{FORBIDDEN}excerpt",
        topics=[topic],
        provider=outlet,
    )


class TestFeedsCarryOnlyXml:
    @pytest.mark.parametrize("feed", FEEDS)
    def test_stored_control_characters(self, client, hostile, feed):
        """Control characters in a title, excerpt, outlet or topic name are dropped, not fatal."""
        response = client.get(feed, {"topic": "bad-topic", "provider": "bad.example"})
        assert response.status_code == 200
        text = response.content.decode()
        for expected in ("Badtitle\ttab", "Badexcerpt", "Badoutlet", "Badtopic"):
            assert expected in text
        assert not set(FORBIDDEN) & set(text)
        ET.fromstring(response.content)

    @pytest.mark.parametrize("feed", FEEDS)
    @pytest.mark.parametrize("query", ["\x01", "a\x1fb", "\ufffe"])
    def test_control_characters_in_the_query(self, client, feed, query):
        """``?q=%01`` searches and names the feed without breaking it."""
        ArticleFactory()
        response = client.get(feed, {"q": query})
        assert response.status_code == 200
        ET.fromstring(response.content)

    @pytest.mark.parametrize("feed", FEEDS)
    @pytest.mark.parametrize("query", ["q=%01", "q=%ED%A0%80", "q=%EF%BF%BE", "q=%0C%1B"])
    def test_raw_query_strings(self, client, feed, query):
        """The URL as sent: a control character, a surrogate's bytes, a non-character."""
        ArticleFactory()
        response = client.get(f"{feed}?{query}")
        assert response.status_code == 200
        ET.fromstring(response.content)

    @pytest.mark.parametrize("feed", FEEDS)
    def test_nul_in_the_query_is_a_plain_400(self, client, feed):
        """NUL is refused by the form (no database can take it), in plain words."""
        response = client.get(feed, {"q": "a\x00b"})
        assert response.status_code == 400
        assert response["Content-Type"].startswith("text/plain")
        assert "q: Null characters are not allowed." in response.content.decode()


class TestFeedContentSaysWhatItIs:
    EXCERPT = '<img src=x onerror="alert(1)"> Tom & Jerry'

    def test_atom_summary_is_declared_text(self, client):
        """Atom labels the excerpt as text, and carries it unchanged."""
        ArticleFactory(excerpt=self.EXCERPT)
        root = ET.fromstring(client.get("/feeds/atom/").content)
        summary = root.find(f"{ATOM}entry/{ATOM}summary")
        assert summary.get("type") == "text"
        assert summary.text == self.EXCERPT

    def test_rss_description_is_escaped_html(self, client):
        """RSS descriptions are HTML by convention: the excerpt is escaped, so it shows as text."""
        ArticleFactory(excerpt=self.EXCERPT)
        root = ET.fromstring(client.get("/feeds/rss/").content)
        description = root.find("channel/item/description").text
        assert description == "&lt;img src=x onerror=&quot;alert(1)&quot;&gt; Tom &amp; Jerry"


def many_words(count):
    return " ".join(f"word{n}" for n in range(count))


FIXED_BY = {"topic": ("/topics/t/",), "provider": ("/providers/o.example/",)}


def fixed_pages():
    topic = TopicFactory(slug="t", source_file="t.yaml")
    outlet = ProviderFactory(domain="o.example", source_file="o.example.md")
    ArticleFactory(topics=[topic], provider=outlet)
    return ["/", "/topics/t/", "/providers/o.example/", *FEEDS, "/api/news/", "/api/news/t/"]


class TestQueryStringsNeverFail:
    @pytest.mark.parametrize("param", ["until", "since"])
    @pytest.mark.parametrize("value", ["9999-12-31", "0001-01-01"])
    def test_extreme_dates(self, client, param, value):
        """The first and last days a date can name work on every list, feed and the API."""
        for url in fixed_pages():
            assert client.get(url, {param: value}).status_code == 200, url

    def test_last_day_includes_everything(self, client):
        """Nothing is later than 9999-12-31: every story is on or before it."""
        ArticleFactory(title="Now")
        body = json.loads(client.get("/api/news/", {"until": "9999-12-31"}).content)
        assert [item["title"] for item in body["value"]] == ["Now"]

    def test_long_search_is_a_400_everywhere(self, client):
        """A search past the word limit is refused with the reason, before it is built."""
        for url in fixed_pages():
            response = client.get(url, {"q": many_words(200)})
            assert response.status_code == 400, url
            assert f"at most {MAX_WORDS} words" in response.content.decode(), url

    def test_longest_allowed_search_runs(self, client):
        """The word limit itself is a working search on every list, feed and the API."""
        for url in fixed_pages():
            assert client.get(url, {"q": many_words(MAX_WORDS)}).status_code == 200, url

    @pytest.mark.parametrize(
        "params",
        [
            {"min_quality": "-1"},
            {"since": "10000-01-01"},
            {"topic": "no-such-topic"},
            {"topic": "a\x00b"},
            {"provider": "a\x00b"},
            {"type": "a\x00b"},
            {"sort": "random"},
            {"q": "x" * 501},
        ],
    )
    def test_bad_values_are_400(self, client, params):
        """Each bad filter value is a 400 naming the parameter, on every list, feed and the API."""
        (name,) = params
        for url in fixed_pages():
            if url in FIXED_BY.get(name, ()):
                continue  # the page fixes this filter: the parameter is ignored
            response = client.get(url, params)
            assert response.status_code == 400, url
            assert name in response.content.decode(), url

    def test_quality_beyond_any_score_matches_nothing(self, client):
        """A minimum quality no integer column holds is a valid, empty filter."""
        for url in fixed_pages():
            response = client.get(url, {"min_quality": "99999999999999999999"})
            assert response.status_code == 200, url
            assert "Story number" not in response.content.decode(), url

    @pytest.mark.parametrize("page", [2**63 // 20, 2**63 // 20 + 1, 2**63, 2**64, 10**30])
    def test_api_pages_past_64_bits(self, client, page):
        """A page number whose offset no database integer holds is a JSON 404."""
        ArticleFactory()
        for response in (
            client.get("/api/news/", {"page": page}),
            client.get(reverse("api:news-page", kwargs={"page": page})),
        ):
            assert response.status_code == 404
            assert json.loads(response.content) == {"error": "No such page."}

    @pytest.mark.parametrize("page", [str(2**63), "9" * 5000, "abc"])
    def test_list_pages_past_64_bits(self, client, page):
        """The HTML list's paginator answers a 404 for any page it does not have."""
        ArticleFactory()
        assert client.get("/", {"page": page}).status_code == 404


class TestJsonApiErrors:
    def test_bad_filter_is_json(self, client):
        """A bad filter is a 400 whose JSON body names the parameter."""
        response = client.get("/api/news/", {"min_quality": "lots"})
        assert response.status_code == 400
        assert response["Content-Type"] == "application/json"
        assert json.loads(response.content)["error"].startswith("Invalid filter: min_quality:")

    @pytest.mark.parametrize("url", ["/api/news/nope/", "/api/news/?page=0", "/api/news/?page=x"])
    def test_not_found_is_json(self, client, url):
        """A missing topic or page is a 404 with a JSON message."""
        response = client.get(url)
        assert response.status_code == 404
        assert response["Content-Type"] == "application/json"
        assert json.loads(response.content)["error"]
