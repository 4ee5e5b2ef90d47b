"""Under the Content-Security-Policy, the site and the admin run in chromium with no violation."""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from .browser import requires_chromium
from .factories import ArticleFactory, ArticleImageFactory, RelatedLinkFactory, TopicFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), requires_chromium]

PASSWORD = "a-long-test-password"
PIXEL = {"status": 200, "content_type": "image/gif", "body": b"GIF89a\x01\x00\x01\x00\x00\x00\x00;"}


@pytest.fixture
def story():
    story = ArticleFactory(title="Chip startup tapes out", topics=[TopicFactory(name="Chips")])
    ArticleImageFactory(article=story, url="https://images.outlet.example/chip.jpg")
    RelatedLinkFactory(article=story, target=ArticleFactory(title="An earlier chip"))
    return story


def visit(page, url):
    response = page.goto(url)
    assert response.status == 200, url
    assert "'unsafe-inline'" not in response.headers["content-security-policy"]
    page.wait_for_load_state("networkidle")


class TestNoViolations:
    def test_public_pages(self, live_server, chromium, story):
        """The home page and a story (with its outside picture) load with no violation."""
        page = chromium.new_page(stand_in=PIXEL)
        visit(page, live_server.url + "/")
        visit(page, live_server.url + story.get_absolute_url())
        assert page.locator("h1").inner_text() == story.title
        assert chromium.csp_violations == []

    def test_admin_pages(self, live_server, chromium, story):
        """Login, dashboard, the story list and a story's form (the admin's scripts) run clean."""
        User.objects.create_superuser("chief", password=PASSWORD)
        page = chromium.new_page(stand_in=PIXEL)
        visit(page, live_server.url + reverse("admin:login"))
        page.fill("#id_username", "chief")
        page.fill("#id_password", PASSWORD)
        page.click("input[type=submit]")
        page.wait_for_selector("#newsroom-dashboard")
        visit(page, live_server.url + reverse("admin:articles_article_changelist"))
        assert page.locator("#result_list tbody tr").count() == 2
        page.locator("#action-toggle").check()  # actions.js runs
        assert page.locator(".action-counter").inner_text().startswith("2 of 2")
        visit(page, live_server.url + reverse("admin:articles_article_change", args=[story.pk]))
        assert chromium.csp_violations == []

    def test_a_violation_would_be_seen(self, live_server, chromium):
        """An inline script without the nonce is refused and reported (the tests above can fail)."""
        page = chromium.new_page()
        visit(page, live_server.url + "/")
        page.evaluate(
            """() => new Promise((reported) => {
              document.addEventListener("securitypolicyviolation", reported, {once: true});
              const script = document.createElement("script");
              script.textContent = "window.ranInline = true";
              document.body.append(script);
            })"""
        )
        assert page.evaluate("() => window.ranInline") is None
        assert [v.split(" blocked ")[0] for v in chromium.csp_violations] == ["script-src-elem"]
