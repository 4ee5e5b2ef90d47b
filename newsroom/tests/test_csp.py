"""Every page, public and admin, carries the Content-Security-Policy, with no unsafe-inline.

The browser proof that pages run clean under the policy is
articles/tests/test_csp_browser.py; these check the header and the templates.
"""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from articles.tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

TEMPLATES = Path(settings.BASE_DIR) / "templates"


def policy(response):
    """The enforced policy as {directive: [values]}."""
    header = response.headers["Content-Security-Policy"]
    return {d.split()[0]: d.split()[1:] for d in header.split("; ")}


class TestHeader:
    @pytest.mark.parametrize(
        "url",
        ["/", "/feeds/rss/", "/api/news/", "/sitemap.xml", "/no-such-page/", "/admin/login/"],
    )
    def test_on_public_pages_and_admin_login(self, client, url):
        response = client.get(url)
        assert "'unsafe-inline'" not in policy(response)["script-src"]
        assert policy(response)["default-src"] == ["'self'"]

    def test_on_a_story_and_the_admin_list(self, client, editor_client):
        story = ArticleFactory()
        for response in (
            client.get(story.get_absolute_url()),
            editor_client.get(reverse("admin:articles_article_changelist")),
            editor_client.get(reverse("admin:index")),
        ):
            assert response.status_code == 200
            assert policy(response)["object-src"] == ["'none'"]
            assert "'unsafe-inline'" not in policy(response)["script-src"]
            assert "'unsafe-inline'" not in policy(response)["style-src"]

    def test_the_nonce_in_the_page_is_the_one_in_the_header(self, client):
        """Django's admin puts the request's nonce on its tags; the header names the same one."""
        response = client.get("/admin/login/")
        nonces = set(re.findall(r'nonce="([^"]+)"', response.text))
        assert len(nonces) == 1
        assert f"'nonce-{nonces.pop()}'" in policy(response)["script-src"]

    def test_a_page_from_the_page_cache_keeps_it(self, client, memory_page_cache):
        """The page cache sits outside the CSP middleware: a stored page has its policy."""
        first, second = client.get("/"), client.get("/")
        assert (first["X-Page-Cache"], second["X-Page-Cache"]) == ("miss", "hit")
        assert policy(second) == policy(first)

    def test_each_request_has_its_own_nonce(self, client):
        first, second = (client.get("/admin/login/") for _ in range(2))
        assert policy(first)["script-src"] != policy(second)["script-src"]


INLINE_CODE = re.compile(
    r"<script(?![^>]*\b(?:src|nonce)=)(?![^>]*type=\"application/(?:ld\+)?json\")[^>]*>"
    r"|<style(?![^>]*\bnonce=)[^>]*>"
    r"|\sstyle=\""
    r"|\son[a-z]+=\""
    r"|javascript:",
    re.I,
)
"""What the policy refuses: a script or style without the nonce, a style attribute, a handler."""


class TestNoInlineCode:
    def test_in_our_templates(self):
        found = [
            f"{path.relative_to(TEMPLATES)}: {match.group(0)}"
            for path in TEMPLATES.rglob("*.html")
            for match in INLINE_CODE.finditer(path.read_text())
        ]
        assert found == []

    def test_in_rendered_pages(self, editor_client):
        """Pages as served, widgets and admin helpers included (they write HTML in Python)."""
        story = ArticleFactory(published=False)
        ArticleFactory.create_batch(2)
        reader = Client()
        pages = {
            "/": reader,
            story.get_absolute_url(): editor_client,  # the staff preview
            "/admin/login/": reader,
            reverse("admin:index"): editor_client,
            reverse("admin:articles_article_changelist"): editor_client,
            reverse("admin:articles_article_change", args=[story.pk]): editor_client,
            reverse("admin:providers_provider_changelist"): editor_client,
            reverse("admin:articles_topic_changelist"): editor_client,
        }
        found = {}
        for url, visitor in pages.items():
            response = visitor.get(url)
            assert response.status_code == 200, url
            found[url] = INLINE_CODE.findall(response.text)
        assert found == {url: [] for url in pages}
