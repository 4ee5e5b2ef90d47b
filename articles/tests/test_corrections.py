"""Corrections in public: the story page, its JSON-LD, its feed entries, the API, /corrections/."""

import datetime as dt
import json
import re

import feedparser
import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Correction
from articles.tests.change_form import change_form_data
from articles.tests.factories import ArticleFactory, TopicFactory
from articles.tests.public_support import NAV_QUERIES, full_story

pytestmark = pytest.mark.django_db

CORRECTIONS = reverse("articles:corrections")
FIXED = "An earlier version gave the wrong year; it was 2023."


def corrected(**kwargs):
    story = ArticleFactory(title="Corrected story", **kwargs)
    when = timezone.now().replace(microsecond=0) - dt.timedelta(hours=1)
    Correction.objects.create(article=story, text=FIXED, created_at=when)
    return story, when


def json_ld(response):
    blocks = re.findall(
        r'<script type="application/ld\+json">(.*?)</script>', response.content.decode(), re.S
    )
    assert len(blocks) == 1
    return json.loads(blocks[0])


class TestStoryPage:
    def test_lists_corrections_with_their_times(self, client):
        story, when = corrected()
        body = client.get(story.get_absolute_url()).content.decode()
        assert FIXED in body
        assert f'<time datetime="{when.isoformat()}">' in body
        assert 'id="corrections"' in body

    def test_json_ld_is_a_news_article_with_correction_comments(self, client):
        story, when = corrected()
        data = json_ld(client.get(story.get_absolute_url()))
        assert data["@context"] == "https://schema.org"
        assert data["@type"] == "NewsArticle"
        assert data["headline"] == "Corrected story"
        assert data["correction"] == [
            {"@type": "CorrectionComment", "text": FIXED, "datePublished": when.isoformat()}
        ]
        assert data["dateModified"] == when.isoformat()

    def test_json_ld_cannot_be_broken_out_of(self, client):
        """Stored text that looks like markup stays inside the JSON (escaped for <script>)."""
        story = ArticleFactory(title="</script><script>alert(1)</script>")
        Correction.objects.create(article=story, text="<!-- & </script>")
        response = client.get(story.get_absolute_url())
        assert "<script>alert(1)" not in response.content.decode()
        data = json_ld(response)
        assert data["headline"] == "</script><script>alert(1)</script>"
        assert data["correction"][0]["text"] == "<!-- & </script>"

    def test_without_corrections_no_correction_key(self, client):
        story = ArticleFactory()
        data = json_ld(client.get(story.get_absolute_url()))
        assert "correction" not in data
        assert 'id="corrections"' not in client.get(story.get_absolute_url()).content.decode()

    def test_a_correction_bumps_the_story_and_so_the_sitemap(self):
        story = ArticleFactory()
        past = timezone.now() - dt.timedelta(days=3)
        Article.objects.filter(pk=story.pk).update(updated_at=past)
        Correction.objects.create(article=story, text=FIXED)
        story.refresh_from_db()
        assert story.updated_at > past + dt.timedelta(days=2)


class TestFeeds:
    @pytest.mark.parametrize("feed", ["/feeds/rss/", "/feeds/atom/"])
    def test_entry_carries_the_correction_and_moves_its_updated_time(self, client, feed):
        story, when = corrected()
        entry = feedparser.parse(client.get(feed).content).entries[0]
        assert FIXED in entry.summary
        if feed == "/feeds/atom/":
            updated = dt.datetime(*entry.updated_parsed[:6], tzinfo=dt.UTC)
            assert updated == when > story.published_at

    def test_json_feed_item(self, client):
        story, when = corrected()
        item = json.loads(client.get("/feeds/json/").content)["items"][0]
        assert FIXED in item["content_text"]
        assert dt.datetime.fromisoformat(item["date_modified"]) == when

    def test_uncorrected_entry_keeps_the_story_time(self, client):
        story = ArticleFactory()
        item = json.loads(client.get("/feeds/json/").content)["items"][0]
        assert dt.datetime.fromisoformat(item["date_modified"]) == story.published_at


class TestApi:
    def test_item_carries_corrections(self, client):
        corrected()
        item = json.loads(client.get("/api/news/").content)["value"][0]
        assert [c["text"] for c in item["corrections"]] == [FIXED]
        assert list(item)[-1] == "corrections"  # after every key of the original

    def test_uncorrected_item_has_an_empty_list(self, client):
        ArticleFactory()
        assert json.loads(client.get("/api/news/").content)["value"][0]["corrections"] == []


class TestCorrectionsPage:
    def test_lists_the_latest_of_public_stories_only(self, client):
        older = ArticleFactory(title="Older story")
        newer = ArticleFactory(title="Newer story")
        draft = ArticleFactory(title="Draft story", published=False)
        embargoed = ArticleFactory(
            title="Embargoed story", publish_at=timezone.now() + dt.timedelta(hours=1)
        )
        now = timezone.now()
        Correction.objects.create(article=older, text="Old fix", created_at=now - dt.timedelta(2))
        Correction.objects.create(article=newer, text="New fix", created_at=now)
        Correction.objects.create(article=draft, text="Draft fix")
        Correction.objects.create(article=embargoed, text="Embargoed fix")
        body = client.get(CORRECTIONS).content.decode()
        assert body.index("New fix") < body.index("Old fix")
        assert "Draft fix" not in body and "Embargoed fix" not in body
        assert f'href="{newer.get_absolute_url()}#corrections"' in body

    def test_is_linked_from_the_footer(self, client):
        assert f'href="{CORRECTIONS}"' in client.get("/").content.decode()

    @pytest.fixture
    def two_pages(self):
        story = ArticleFactory()
        Correction.objects.bulk_create(
            Correction(article=story, text=f"Fix {n}") for n in range(25)
        )

    def test_is_paged(self, client, two_pages):
        assert len(client.get(CORRECTIONS).context["corrections"]) == 20
        assert len(client.get(CORRECTIONS, {"page": 2}).context["corrections"]) == 5
        assert client.get(CORRECTIONS, {"page": 3}).status_code == 404
        assert client.get(CORRECTIONS, {"page": "x"}).status_code == 404

    def test_pages_name_their_neighbours_in_the_head_and_the_pager(self, client, two_pages):
        for number, rels in [(1, {"next": "?page=2"}), (2, {"prev": CORRECTIONS})]:
            head, body = client.get(CORRECTIONS, {"page": number}).content.decode().split("</head>")
            for tag, html in (("link", head), ("a", body)):
                assert dict(re.findall(rf'<{tag} rel="(prev|next)" href="([^"]*)"', html)) == rels

    def test_query_count_does_not_grow(self, client, django_assert_num_queries):
        """Budget: the capped count, the page of corrections (story and outlet joined), the nav."""
        story = ArticleFactory()
        Correction.objects.create(article=story, text="Only fix")
        with django_assert_num_queries(2 + NAV_QUERIES):
            client.get(CORRECTIONS)
        for n in range(19):
            Correction.objects.create(article=ArticleFactory(), text=f"Fix {n}")
        with django_assert_num_queries(2 + NAV_QUERIES):
            assert len(client.get(CORRECTIONS).context["corrections"]) == 20


class TestQueries:
    def test_story_page_costs_the_same_with_one_or_twenty_corrections(
        self, client, django_assert_num_queries
    ):
        story = full_story(topics=[TopicFactory()])
        Correction.objects.create(article=story, text="One")
        # Budget as test_public_story's (5: corrections included) plus the coverage.
        with django_assert_num_queries(5 + NAV_QUERIES):
            client.get(story.get_absolute_url())
        for n in range(19):
            Correction.objects.create(article=story, text=f"Fix {n}")
        with django_assert_num_queries(5 + NAV_QUERIES):
            body = client.get(story.get_absolute_url()).content.decode()
        assert body.count("Fix ") == 2 * 19  # in the list and in the JSON-LD


class TestAdmin:
    def change_url(self, story):
        return reverse("admin:articles_article_change", args=[story.pk])

    def test_inline_records_the_editor(self, editor_client, editor):
        """A correction added on the story's page is saved with the editor who added it."""
        story = ArticleFactory()
        page = editor_client.get(self.change_url(story))
        data = change_form_data(
            page,
            **{
                "corrections-TOTAL_FORMS": "1",
                "corrections-0-text": FIXED,
                "corrections-0-created_at_0": "2026-01-02",
                "corrections-0-created_at_1": "10:00:00",
                "_save": "Save",
            },
        )
        response = editor_client.post(self.change_url(story), data)
        assert response.status_code == 302
        correction = story.corrections.get()
        assert correction.text == FIXED
        assert correction.editor == editor
        assert FIXED in editor_client.get(self.change_url(story)).content.decode()
