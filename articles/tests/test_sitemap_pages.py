"""The stories' sitemap sections: fixed ranges of ids, written from rows, the framework's bytes."""

import datetime as dt
import re
import xml.etree.ElementTree as ET

import pytest
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as framework
from django.db import connection
from django.http import Http404
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles import sitemaps
from articles.models import Article
from articles.sitemap_pages import IdRangePaginator
from articles.tests.factories import ArticleFactory
from articles.tests.test_public_story_indexes import plan
from newsroom.http_urls import valid_http_url

pytestmark = pytest.mark.django_db

PER_PAGE = 3
LOC = "{http://www.sitemaps.org/schemas/sitemap/0.9}loc"


class ReferenceArticleSitemap(Sitemap):
    """The stories' sections as the framework draws them: instances, a template row each."""

    changefreq = "weekly"

    @property
    def paginator(self):
        stories = Article.objects.published().only("slug", "updated_at", "publish_at")
        return IdRangePaginator(stories, PER_PAGE)

    def lastmod(self, item):
        return max(filter(None, (item.updated_at, item.publish_at)))

    def get_urls(self, *args, **kwargs):
        urls = super().get_urls(*args, **kwargs)
        if getattr(self, "latest_lastmod", None) is not None:
            self.latest_lastmod = max(self.latest_lastmod, sitemaps.latest_change())
        return urls

    def get_latest_lastmod(self):
        return sitemaps.latest_change()


@pytest.fixture
def small_sections(monkeypatch):
    monkeypatch.setattr(sitemaps.ArticleSitemap, "limit", PER_PAGE)


def section_of(story):
    return (story.pk - 1) // PER_PAGE + 1


@pytest.fixture
def stories():
    """Public stories over four sections, with a draft, an embargo and an ended story
    among them, and one section in the middle left without a public story."""
    now = timezone.now()
    made = [ArticleFactory(published_at=now - dt.timedelta(days=day)) for day in (1, 2, 5)]
    made.append(
        ArticleFactory(
            published_at=now - dt.timedelta(days=9), publish_at=now - dt.timedelta(minutes=1)
        )
    )
    ArticleFactory(published=False)
    ArticleFactory(publish_at=now + dt.timedelta(days=1))
    ArticleFactory(
        unpublish_at=now - dt.timedelta(minutes=1), publish_at=now - dt.timedelta(days=1)
    )
    # Drafts up to a section's end, then a section of drafts only, then public stories.
    while Article.objects.latest("pk").pk % PER_PAGE:
        ArticleFactory(published=False)
    hidden = [ArticleFactory(published=False) for _ in range(PER_PAGE)]
    assert section_of(hidden[0]) == section_of(hidden[-1])
    made += [ArticleFactory(), ArticleFactory(published_at=now)]
    return made


@pytest.fixture
def empty_section(stories):
    """The section between the stories' that holds drafts only."""
    return section_of(stories[-2]) - 1


def sections(stories):
    first, last = section_of(stories[0]), section_of(stories[-1])
    return range(first, last + 1)


def reference(path, query=""):
    """What the framework's views answer for ``path`` with the reference section."""
    request = RequestFactory().get(path + query)
    maps = {**sitemaps.SITEMAPS, "articles": ReferenceArticleSitemap}
    try:
        if path == "/sitemap.xml":
            response = framework.index(request, maps, sitemap_url_name="sitemap-section")
        else:
            response = framework.sitemap(request, maps, section="articles")
    except Http404:
        return 404, b"", None
    return response.status_code, response.render().content, response.get("Last-Modified")


def answered(client, path, query=""):
    response = client.get(path + query)
    assert response.status_code == 404 or response["X-Robots-Tag"] == "noindex, noodp, noarchive"
    body = response.content if response.status_code == 200 else b""
    return response.status_code, body, response.get("Last-Modified")


def listed(client):
    """Every story address the sitemap index leads to, with repeats."""
    index = ET.fromstring(client.get("/sitemap.xml").content)
    found = []
    for section in index.iter(LOC):
        if "sitemap-articles" in section.text:
            page = client.get(section.text.removeprefix("http://testserver"))
            assert page.status_code == 200, section.text
            found += [loc.text for loc in ET.fromstring(page.content).iter(LOC)]
    return found


@pytest.mark.usefixtures("small_sections")
class TestSameBytesAsTheFramework:
    def test_each_section(self, client, stories, empty_section):
        """Every section (one empty), the one past the last and page 1, byte for byte."""
        numbers = [*sections(stories), sections(stories)[-1] + 1, 1]
        assert empty_section in numbers
        for number in numbers:
            query = f"?p={number}"
            assert answered(client, "/sitemap-articles.xml", query) == reference(
                "/sitemap-articles.xml", query
            ), number

    @pytest.mark.parametrize("query", ["", "?p= 2", "?p=0", "?p=-1", "?p=x", "?p=2.0", "?p=9" * 30])
    def test_odd_page_numbers(self, client, stories, query):
        assert answered(client, "/sitemap-articles.xml", query) == reference(
            "/sitemap-articles.xml", query
        )

    def test_the_index(self, client, stories):
        ours = answered(client, "/sitemap.xml")
        assert ours == reference("/sitemap.xml")
        last = sections(stories)[-1]
        assert f"sitemap-articles.xml?p={last}<".encode() in ours[1]
        assert f"?p={last + 1}<".encode() not in ours[1]

    def test_no_story_yet(self, client):
        assert answered(client, "/sitemap-articles.xml") == reference("/sitemap-articles.xml")
        assert answered(client, "/sitemap.xml") == reference("/sitemap.xml")
        assert answered(client, "/sitemap-articles.xml", "?p=2")[0] == 404

    def test_a_lastmod_day_in_another_time_zone(self, client, settings):
        """The day is the current time zone's, as the template's ``date`` filter shows it,
        and so is the index's time."""
        settings.TIME_ZONE = "Pacific/Kiritimati"  # UTC+14: the day differs from UTC's
        story = ArticleFactory()
        Article.objects.filter(pk=story.pk).update(
            updated_at=dt.datetime(2025, 3, 1, 12, tzinfo=dt.UTC)
        )
        query = f"?p={section_of(story)}"
        ours = answered(client, "/sitemap-articles.xml", query)
        assert b"<lastmod>2025-03-02</lastmod>" in ours[1]
        assert ours == reference("/sitemap-articles.xml", query)
        index = answered(client, "/sitemap.xml")
        assert b"+14:00</lastmod>" in index[1]
        assert index == reference("/sitemap.xml")

    def test_a_slug_the_converter_would_not_take_fails_as_before(self, client, stories):
        Article.objects.filter(pk=stories[0].pk).update(slug="café")
        query = f"?p={section_of(stories[0])}"
        with pytest.raises(Exception) as ours:
            client.get("/sitemap-articles.xml" + query)
        with pytest.raises(Exception) as theirs:
            reference("/sitemap-articles.xml", query)
        assert type(ours.value) is type(theirs.value)


@pytest.mark.usefixtures("small_sections")
class TestSectionsByIds:
    def test_every_public_story_in_exactly_one_section(self, client, stories):
        """The index leads to each public story once, and to nothing the public rule hides."""
        public = Article.objects.published()
        expected = sorted(f"http://testserver{story.get_absolute_url()}" for story in public)
        assert sorted(listed(client)) == expected
        assert len(expected) == len(stories)

    def test_every_address_is_a_valid_http_url(self, client, stories):
        """Each ``<loc>``, the index's and the stories', is an http(s) URL already encoded."""
        ArticleFactory(slug="Under_score-2")
        index = ET.fromstring(client.get("/sitemap.xml").content)
        addresses = [loc.text for loc in index.iter(LOC)] + listed(client)
        assert "http://testserver/articles/Under_score-2/" in addresses
        assert [valid_http_url(address) for address in addresses] == addresses

    def test_a_section_holds_the_ids_it_names(self, client, stories):
        for story in stories:
            body = client.get(f"/sitemap-articles.xml?p={section_of(story)}").content
            assert story.get_absolute_url().encode() in body

    def test_a_section_keeps_its_stories_when_newer_ones_come(self, client, stories):
        """Addresses are stable: publishing more stories moves nobody between sections."""
        path = f"/sitemap-articles.xml?p={section_of(stories[0])}"
        before = client.get(path).content
        for _ in range(PER_PAGE * 2):
            ArticleFactory(published_at=timezone.now())
        assert client.get(path).content == before

    def test_a_section_without_public_stories_is_empty(self, client, empty_section):
        """Holes of drafts: the section answers with no URL (as an empty site's page 1)."""
        page = client.get(f"/sitemap-articles.xml?p={empty_section}")
        assert page.status_code == 200 and b"<url>" not in page.content
        assert "Last-Modified" not in page

    def test_hidden_stories_past_the_last_public_one_add_no_section(self, client, stories):
        """The index ends at the highest public id: later drafts and embargoes do not show."""
        last = sections(stories)[-1]
        for _ in range(PER_PAGE * 2):
            ArticleFactory(published=False)
        ArticleFactory(publish_at=timezone.now() + dt.timedelta(hours=1))
        index = client.get("/sitemap.xml").content
        assert f"?p={last}<".encode() in index and f"?p={last + 1}<".encode() not in index
        assert client.get(f"/sitemap-articles.xml?p={last + 1}").status_code == 404

    def test_a_section_is_one_range_read(self, client, stories):
        """No OFFSET, no search for where a section starts: the page's rows by id."""
        number = section_of(stories[-1])
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/sitemap-articles.xml?p={number}").status_code == 200
        sql = " ".join(q["sql"] for q in queries)
        assert "OFFSET" not in sql and not re.search("ROW_NUMBER|RECURSIVE", sql, re.I)
        low = (number - 1) * PER_PAGE
        assert re.search(rf'"id" > {low} AND "articles_article"."id" <= {low + PER_PAGE}', sql)


def test_the_number_of_sections_reads_the_public_id_index(stories):
    """The highest public id comes from article_public_id_idx, past any drafts above it,
    not from a walk down the primary key through every newer story the public may not see.

    The plan is asked of statistics of such a table (drafts above the public stories,
    ANALYZE inside the test's transaction): with the statistics other tests left, a
    near-empty table, PostgreSQL could walk the key and find a public story at once."""
    ArticleFactory.create_batch(200, published=False)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {Article._meta.db_table}")
    paginator = sitemaps.ArticleSitemap().paginator
    with CaptureQueriesContext(connection) as queries:
        assert paginator.num_pages >= 1
    (query,) = queries
    shown = plan(query["sql"])
    assert "article_public_id_idx" in shown, shown
