"""The JSON API: the original site's paged shape, its URL shapes, filters and the publish gate."""

import datetime as dt
import json

import pytest

from articles import seed_format
from articles.models import Correction, Pin
from articles.tests.factories import (
    ArticleFactory,
    ArticleImageFactory,
    ProviderFactory,
    TopicFactory,
)
from articles.tests.public_support import full_story

pytestmark = pytest.mark.django_db


def get_json(client, url, params=None):
    response = client.get(url, params or {})
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/json"
    return json.loads(response.content)


@pytest.fixture
def original_page(corpus):
    """An example page of the original API (api/news/ai-ethics/page/10/index.json)."""
    return json.loads((corpus / "api" / "api-news-ai-ethics-page-10.json").read_text())


def story_like_original(original_item):
    """Our copy of the original API's first item, built from its own values."""
    item = original_item
    provider = ProviderFactory(domain=item["provider"]["domain"], name=item["provider"]["name"])
    article = ArticleFactory(
        title=item["title"],
        excerpt=item["excerpt"],
        web_url=item["webUrl"],
        original_url=item["originalUrl"],
        amp_web_url=item["ampWebUrl"],
        cdn_amp_web_url=item["cdnAmpWebUrl"],
        heat=item["heat"],
        type=item["type"],
        category=item["categories"][0],
        published_at=dt.datetime.fromisoformat(item["publishedDateTime"]),
        provider=provider,
        provider_data={"images": item["provider"]["images"]},
        topics=[TopicFactory(name=name) for name in item["topics"]],
    )
    for position, image in enumerate(item["images"]):
        ArticleImageFactory(
            article=article,
            position=position,
            url=image["url"],
            width=image["width"],
            height=image["height"],
            title=image["title"],
            attribution=image["attribution"],
            is_cached=image["isCached"],
        )
    return article


class TestShape:
    def test_matches_the_original_api(self, client, original_page):
        """Page and item keys, nested keys and values match a page of the original API."""
        original = original_page["value"][0]
        story_like_original(original)
        page = get_json(client, "/api/news/")
        assert set(page) == set(original_page)
        assert page["page"] == 1 and page["nextPage"] is None
        item = page["value"][0]
        # Plus the keys the original lacked, documented for its clients to ignore.
        assert set(item) == set(original) | set(seed_format.API_ADDED_KEYS)
        assert set(item["provider"]) == set(original["provider"])
        assert set(item["images"][0]) == set(original["images"][0])
        assert set(item["provider"]["images"][0]) == set(original["provider"]["images"][0])
        for key in ("title", "excerpt", "webUrl", "originalUrl", "ampWebUrl", "cdnAmpWebUrl"):
            assert item[key] == original[key], key
        for key in ("heat", "type", "images", "categories"):
            assert item[key] == original[key], key
        assert sorted(item["topics"]) == sorted(original["topics"])
        assert item["provider"]["images"] == original["provider"]["images"]
        assert {k: item["provider"][k] for k in ("name", "domain")} == {
            k: original["provider"][k] for k in ("name", "domain")
        }

    def test_published_time_in_the_originals_form(self, client, original_page):
        """publishedDateTime is written as the original wrote it: its site's time and offset."""
        original = original_page["value"][0]
        story_like_original(original)
        item = get_json(client, "/api/news/")["value"][0]
        assert (
            item["publishedDateTime"]
            == original["publishedDateTime"]
            == ("2023-03-27T14:20:00-07:00")
        )
        ArticleFactory(published_at=dt.datetime(2020, 1, 5, 8, 0, 0, 250000, tzinfo=dt.UTC))
        winter = get_json(client, "/api/news/", {"until": "2020-01-05"})["value"][0]
        assert winter["publishedDateTime"] == "2020-01-05T00:00:00.250000-08:00"

    def test_missing_values_are_null(self, client):
        """Keys the story lacks are present with null, as in the original."""
        ArticleFactory(original_url=None, heat=None, amp_web_url=None)
        item = get_json(client, "/api/news/")["value"][0]
        assert item["originalUrl"] is None and item["heat"] is None and item["ampWebUrl"] is None
        assert item["images"] == [] and item["provider"]["images"] is None

    def test_images_null_where_the_file_had_none(self, client):
        """A story whose file had no images key shows images null, as the original did."""
        ArticleFactory(source_file="a.md", source_keys=["title", "webUrl"])
        ArticleFactory(source_file="b.md", source_keys=["title", "webUrl", "images"])
        items = get_json(client, "/api/news/")["value"]
        shown = [(item["path"], item["images"]) for item in items]
        assert shown == [("_news/b.md", []), ("_news/a.md", None)]

    def test_provider_name_and_topics_as_the_file_gave_them(self, client):
        """provider.name is the story file's, topics come in the file's order."""
        outlet = ProviderFactory(domain="engadget.com", name="Engadget")
        story = ArticleFactory(provider=outlet, provider_data={"name": "YAHOO!Finance"})
        story.topics.add(TopicFactory(name="Zeta"))
        story.topics.add(TopicFactory(name="Alpha"))
        item = get_json(client, "/api/news/")["value"][0]
        assert item["provider"] == {
            "name": "YAHOO!Finance",
            "domain": "engadget.com",
            "images": None,
            "publishers": None,
            "authors": None,
        }
        assert item["topics"] == ["Zeta", "Alpha"]

    def test_secured_is_never_exposed(self, client):
        """The opaque secured blob stays out of the API."""
        ArticleFactory(secured="TOP-SECRET-BLOB")
        assert b"TOP-SECRET-BLOB" not in client.get("/api/news/").content


class TestPaging:
    @pytest.fixture
    def stories(self):
        topic = TopicFactory(name="Ethics", slug="ai-ethics")
        for _ in range(65):
            ArticleFactory(topics=[topic])

    def test_thirty_a_page_with_next_page(self, client, stories):
        """30 items a page, as the original's; nextPage counts on, null on the last page."""
        first = get_json(client, "/api/news/")
        assert (first["page"], len(first["value"]), first["nextPage"]) == (1, 30, 2)
        last = get_json(client, "/api/news/", {"page": "3"})
        assert (last["page"], len(last["value"]), last["nextPage"]) == (3, 5, None)

    def test_original_path_shapes(self, client, stories):
        """The original's static paths serve the same pages."""
        assert get_json(client, "/api/news/index.json") == get_json(client, "/api/news/")
        assert get_json(client, "/api/news/page/2/index.json") == get_json(
            client, "/api/news/", {"page": "2"}
        )
        topic_page = get_json(client, "/api/news/ai-ethics/page/3/index.json")
        assert (topic_page["page"], len(topic_page["value"])) == (3, 5)
        assert get_json(client, "/api/news/ai-ethics/index.json") == get_json(
            client, "/api/news/ai-ethics/"
        )
        # The original's older form, pageN/index.json.
        assert get_json(client, "/api/news/page1/index.json") == get_json(client, "/api/news/")
        assert get_json(client, "/api/news/ai-ethics/page2/index.json") == get_json(
            client, "/api/news/ai-ethics/", {"page": "2"}
        )

    @pytest.mark.parametrize(
        "url",
        [
            "/api/news/?page=4",
            "/api/news/page/4/index.json",
            "/api/news/ai-ethics/page/9/index.json",
        ],
    )
    def test_page_past_the_end_is_404(self, client, stories, url):
        """A page past the end is a 404."""
        assert client.get(url).status_code == 404

    @pytest.mark.parametrize("page", ["0", "-1", "two"])
    def test_bad_page_is_404(self, client, stories, page):
        """Page numbers start at 1."""
        assert client.get("/api/news/", {"page": page}).status_code == 404

    def test_empty_first_page(self, client):
        """With nothing published the first page is empty, not an error."""
        assert get_json(client, "/api/news/") == {"page": 1, "value": [], "nextPage": None}

    def test_unknown_topic_is_404(self, client):
        """A topic that does not exist is a 404."""
        assert client.get("/api/news/no-such-topic/").status_code == 404


class TestFiltersAndGate:
    def test_topic_path_and_filters(self, client):
        """The topic path and the list's filters (provider, q, quality, dates) apply."""
        topic = TopicFactory(name="Hardware", slug="ai-hardware")
        outlet = ProviderFactory(domain="chips.example")
        ArticleFactory(title="Fast chips", topics=[topic], provider=outlet, quality=90)
        ArticleFactory(title="Slow chips", topics=[topic], provider=outlet, quality=10)
        ArticleFactory(title="Chips elsewhere", quality=90)
        titles = [
            item["title"]
            for item in get_json(
                client,
                "/api/news/ai-hardware/",
                {"provider": "chips.example", "q": "chips", "min_quality": "50"},
            )["value"]
        ]
        assert titles == ["Fast chips"]
        assert get_json(client, "/api/news/", {"since": "2031-01-01"})["value"] == []

    def test_unpublished_never_listed(self, client):
        """Unpublished stories are absent from every API page."""
        topic = TopicFactory(slug="t", source_file="t.yaml")
        ArticleFactory(title="Draft", published=False, topics=[topic])
        assert get_json(client, "/api/news/")["value"] == []
        assert get_json(client, "/api/news/t/")["value"] == []
        assert get_json(client, "/api/news/", {"q": "Draft"})["value"] == []

    def test_bad_filter_is_400(self, client):
        """A malformed filter is a 400."""
        assert client.get("/api/news/", {"min_quality": "lots"}).status_code == 400


class TestApiQueries:
    def test_query_count_does_not_grow(self, client, django_assert_num_queries):
        """One item and twenty cost the same queries."""
        full_story(topics=[TopicFactory()])
        # Budget: the page of stories (outlet joined), their topics, images,
        # corrections and pins (featuredContent).
        with django_assert_num_queries(5):
            client.get("/api/news/")
        for _ in range(34):
            full_story(topics=[TopicFactory()])
        with django_assert_num_queries(5):
            assert len(get_json(client, "/api/news/")["value"]) == 30

    def test_topic_page_with_pins_and_corrections(self, client, django_assert_num_queries):
        """A topic's page whose stories all have pins and corrections: 1 and 30 cost the same."""
        topic = TopicFactory(slug="pinned", source_file="pinned.yaml")

        def pinned_story():
            story = full_story(topics=[topic])
            Pin.objects.create(article=story, topic=topic)
            Correction.objects.create(article=story, text="Fixed.")

        pinned_story()
        # Budget: the topic, then the page of stories (outlet joined), their topics,
        # images, corrections and pins.
        with django_assert_num_queries(6):
            assert len(get_json(client, "/api/news/pinned/")["value"]) == 1
        for _ in range(34):
            pinned_story()
        with django_assert_num_queries(6):
            page = get_json(client, "/api/news/pinned/")
        assert len(page["value"]) == 30
        assert all(item["highlight"] and item["corrections"] for item in page["value"])
