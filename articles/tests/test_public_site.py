"""Site-wide rules: sitemap, robots.txt, conditional GET, the publish gate everywhere, demo data."""

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from django.conf import settings
from django.utils.html import escape

from articles.ingest.importer import import_paths
from articles.models import Article
from articles.tests.factories import ArticleFactory, ProviderFactory, TopicFactory
from articles.tests.sitemap_helpers import every_section, section_path

pytestmark = pytest.mark.django_db

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
FIXTURES = Path(settings.BASE_DIR) / "fixtures"


def sitemap_locations(client):
    index = ET.fromstring(client.get("/sitemap.xml").content)
    locations = []
    for section in index.iter(f"{SITEMAP}loc"):
        path = section.text.removeprefix("http://testserver")
        root = ET.fromstring(client.get(path).content)
        locations += [loc.text for loc in root.iter(f"{SITEMAP}loc")]
    return locations


class TestSitemapAndRobots:
    def test_sitemap_lists_published_pages(self, client):
        """The sitemap names the home page, published stories and their topics and outlets."""
        topic = TopicFactory(slug="vision")
        outlet = ProviderFactory(domain="eye.example")
        story = ArticleFactory(topics=[topic], provider=outlet)
        draft = ArticleFactory(published=False, topics=[TopicFactory(slug="secret")])
        locations = sitemap_locations(client)
        assert "http://testserver/" in locations
        assert f"http://testserver{story.get_absolute_url()}" in locations
        assert "http://testserver/topics/vision/" in locations
        assert "http://testserver/providers/eye.example/" in locations
        assert f"http://testserver{draft.get_absolute_url()}" not in locations
        assert "http://testserver/topics/secret/" not in locations

    def test_robots_txt_points_at_the_sitemap(self, client):
        """robots.txt keeps crawlers out of the admin and names the sitemap."""
        response = client.get("/robots.txt")
        assert response["Content-Type"].startswith("text/plain")
        body = response.content.decode()
        assert "Disallow: /admin/" in body
        assert "Sitemap: http://testserver/sitemap.xml" in body


class TestConditionalGet:
    @pytest.mark.parametrize(
        "url",
        ["/", "/?sort=heat", "/topics/t/", "/providers/p.example/", "/feeds/rss/",
         "/feeds/atom/", "/api/news/", "/api/news/t/"],
    )  # fmt: skip
    def test_if_none_match_gives_304(self, client, url):
        """Lists, feeds and the API send an ETag and answer a matching revalidation with 304."""
        outlet = ProviderFactory(domain="p.example")
        ArticleFactory(topics=[TopicFactory(slug="t")], provider=outlet)
        first = client.get(url)
        assert first.status_code == 200 and first["ETag"]
        again = client.get(url, headers={"if-none-match": first["ETag"]})
        assert again.status_code == 304
        assert again.content == b""

    def test_etag_changes_when_a_story_is_unpublished(self, client):
        """Unpublishing changes the list, so a cached copy is not revalidated."""
        ArticleFactory()
        story = ArticleFactory()
        etag = client.get("/").get("ETag")
        Article.objects.filter(pk=story.pk).update(published=False)
        assert client.get("/", headers={"if-none-match": etag}).status_code == 200

    @pytest.mark.parametrize("url", ["/feeds/rss/", "/feeds/atom/", "/feeds/json/"])
    def test_an_edited_story_is_not_revalidated_by_date(self, client, url):
        """Feeds date entries by the story's own time, so an edit must not get a 304 by date.

        They send no Last-Modified (the ETag, taken from the body, revalidates).
        """
        story = ArticleFactory(title="Before")
        first = client.get(url)
        assert "Last-Modified" not in first
        Article.objects.filter(pk=story.pk).update(title="After")
        again = client.get(url, headers={"if-none-match": first["ETag"]})
        assert again.status_code == 200 and b"After" in again.content


class TestUnpublishedIsInvisible:
    def test_no_public_endpoint_shows_a_draft(self, client):
        """A draft's title and slug appear on no public page, feed, API page or sitemap."""
        topic = TopicFactory(slug="t")
        outlet = ProviderFactory(domain="p.example")
        ArticleFactory(topics=[topic], provider=outlet)
        draft = ArticleFactory(
            title="Zanzibar draft", slug="zanzibar", topics=[topic], provider=outlet,
            published=False,
        )  # fmt: skip
        urls = [
            "/", "/?q=Zanzibar", "/?topic=t", "/?provider=p.example", "/topics/t/",
            "/providers/p.example/", "/feeds/rss/", "/feeds/atom/", "/feeds/rss/?q=Zanzibar",
            "/api/news/", "/api/news/t/", "/api/news/?q=Zanzibar", section_path(draft),
        ]  # fmt: skip
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            assert b"Zanzibar draft" not in response.content, url
            assert b"/articles/zanzibar/" not in response.content, url
        assert client.get("/articles/zanzibar/").status_code == 404
        assert "/articles/zanzibar/" not in every_section(client)


class TestDemoData:
    def test_home_shows_published_demo_stories(self, client):
        """After importing the demo fixtures the home page shows their published stories only."""
        report = import_paths(
            [FIXTURES / "topics", FIXTURES / "organizations", FIXTURES / "news"], workers=1
        )
        assert report.failed == 0
        published = Article.objects.published()
        assert published.exists() and Article.objects.unpublished().exists()
        body = client.get("/").content.decode()
        newest = published.order_by("-published_at").first()
        assert escape(newest.title) in body
        for draft in Article.objects.unpublished():
            assert draft.get_absolute_url() not in body
        story = client.get(newest.get_absolute_url())
        assert story.status_code == 200


class TestSitemapAndRobotsQueries:
    """The sitemap and robots.txt cost the same few queries whatever the site's size."""

    # Budgets: the index asks each dated section for its latest change (2) and
    # each paginated section for its page count (3: the stories' as their highest
    # public id); a small section's page is one count and one item query, a page of
    # stories its section count, its rows and their latest change; robots.txt is a
    # template.
    BUDGETS = {
        "/sitemap.xml": 5,
        "/sitemap-home.xml": 1,
        "/sitemap-articles.xml": 3,
        "/sitemap-topics.xml": 2,
        "/sitemap-providers.xml": 2,
        "/robots.txt": 0,
    }

    def counts(self, client, django_assert_max_num_queries):
        counts = {}
        for path, budget in self.BUDGETS.items():
            if path == "/sitemap-articles.xml":  # the newest story's section, not empty
                path = section_path(Article.objects.latest("pk"))
            with django_assert_max_num_queries(budget) as captured:
                assert client.get(path).status_code == 200, path
            counts[path.partition("?")[0]] = len(captured)
        return counts

    def test_one_and_twenty_stories_cost_the_same(self, client, django_assert_max_num_queries):
        ArticleFactory(topics=[TopicFactory()])
        one = self.counts(client, django_assert_max_num_queries)
        for _ in range(19):
            ArticleFactory(topics=[TopicFactory()], provider=ProviderFactory())
        assert self.counts(client, django_assert_max_num_queries) == one
