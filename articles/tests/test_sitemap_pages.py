"""The stories' sitemap sections: paged by kept keys, written from rows, the framework's bytes."""

import datetime as dt
import re

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
from articles.sitemap_pages import at_or_after, first_keys
from articles.tests.factories import ArticleFactory
from newsroom import pagecache

pytestmark = pytest.mark.django_db

PER_PAGE = 3
KEYS = re.compile("ROW_NUMBER|WITH RECURSIVE", re.IGNORECASE)  # first_keys' query


class ReferenceArticleSitemap(Sitemap):
    """The stories' section as the framework made it before it was paged by key."""

    changefreq = "weekly"
    limit = PER_PAGE

    def items(self):
        stories = Article.objects.published().only("slug", "updated_at", "publish_at")
        return stories.order_by("-published_at", "-id")

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


@pytest.fixture
def stories():
    """Eight public stories (two at one time, one whose embargo lifted), a draft, an embargo."""
    now = timezone.now()
    same = now - dt.timedelta(days=3)
    made = [ArticleFactory(published_at=now - dt.timedelta(days=day)) for day in (1, 2, 5, 6, 7)]
    made += [ArticleFactory(published_at=same), ArticleFactory(published_at=same)]
    made.append(
        ArticleFactory(
            published_at=now - dt.timedelta(days=9), publish_at=now - dt.timedelta(minutes=1)
        )
    )
    ArticleFactory(published=False)
    ArticleFactory(publish_at=now + dt.timedelta(days=1))
    return made


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


@pytest.mark.usefixtures("small_sections")
class TestSameBytesAsTheFramework:
    @pytest.mark.parametrize("query", ["", "?p=1", "?p=2", "?p=3", "?p= 2", "?p=4", "?p=0", "?p=x"])
    def test_each_page(self, client, stories, query):
        """Every page, the index's page numbers and the 404s past them, byte for byte."""
        assert answered(client, "/sitemap-articles.xml", query) == reference(
            "/sitemap-articles.xml", query
        )

    def test_the_index(self, client, stories):
        ours = answered(client, "/sitemap.xml")
        assert ours == reference("/sitemap.xml")
        assert b"sitemap-articles.xml?p=3<" in ours[1]
        assert b"?p=4" not in ours[1]

    def test_no_story_yet(self, client):
        assert answered(client, "/sitemap-articles.xml") == reference("/sitemap-articles.xml")
        assert answered(client, "/sitemap.xml") == reference("/sitemap.xml")

    def test_a_slug_the_converter_would_not_take_fails_as_before(self, client, stories):
        Article.objects.filter(pk=stories[0].pk).update(slug="café")
        with pytest.raises(Exception) as ours:
            client.get("/sitemap-articles.xml")
        with pytest.raises(Exception) as theirs:
            reference("/sitemap-articles.xml")
        assert type(ours.value) is type(theirs.value)

    def test_a_full_section(self, client, monkeypatch):
        """Nine stories, three full pages, a fourth page is a 404."""
        monkeypatch.setattr(ReferenceArticleSitemap, "limit", PER_PAGE)
        for _ in range(9):
            ArticleFactory()
        for query in ("?p=3", "?p=4"):
            assert answered(client, "/sitemap-articles.xml", query) == reference(
                "/sitemap-articles.xml", query
            )


@pytest.mark.usefixtures("small_sections")
class TestPagedByKey:
    def test_no_offset_past_one_page(self, client, stories):
        """A deep page reads its own rows from its first key; finding the keys skips
        at most a page's rows at a time (PostgreSQL's hops)."""
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/sitemap-articles.xml?p=3").status_code == 200
        skipped = [int(n) for q in queries for n in re.findall(r"OFFSET (\d+)", q["sql"])]
        assert queries and all(n < PER_PAGE for n in skipped)

    def test_keys_made_once_per_generation(self, client, stories, memory_page_cache):
        """The index and every page share one numbered scan until public content changes."""

        def numbered(path):
            with CaptureQueriesContext(connection) as queries:
                body = client.get(path).content.decode()
            return sum(KEYS.search(q["sql"]) is not None for q in queries), body

        assert numbered("/sitemap.xml")[0] == 1
        made, body = numbered("/sitemap-articles.xml?p=3")
        assert made == 0 and stories[-1].get_absolute_url() in body
        for _ in range(PER_PAGE):
            ArticleFactory(published_at=timezone.now())
        pagecache.pages_changed()  # what a change of public content calls
        made, body = numbered("/sitemap-articles.xml?p=4")
        assert made == 1 and stories[-1].get_absolute_url() in body

    def test_first_keys_are_every_pages_first_row(self, stories):
        public = Article.objects.published()
        ordering = ("-published_at", "-id")
        rows = list(public.order_by(*ordering).values_list("published_at", "id"))
        assert first_keys(public, ordering, PER_PAGE) == rows[::PER_PAGE]
        for start in range(len(rows)):
            after = public.filter(at_or_after(ordering, rows[start])).order_by(*ordering)
            assert list(after.values_list("published_at", "id")) == rows[start:]

    def test_ascending_keys(self, stories):
        public = Article.objects.published()
        ordering = ("published_at", "id")
        rows = list(public.order_by(*ordering).values_list("published_at", "id"))
        for start in range(len(rows)):
            after = public.filter(at_or_after(ordering, rows[start])).order_by(*ordering)
            assert list(after.values_list("published_at", "id")) == rows[start:]
