"""A reader's walk in Debian's chromium: list, topic filter, story, related link."""

import io
from pathlib import Path

import pytest
from django.conf import settings
from PIL import Image

from articles.ingest.importer import import_paths
from articles.models import RelatedLink

from .browser import ARTIFACTS, requires_chromium

FIXTURES = Path(settings.BASE_DIR) / "fixtures"
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    requires_chromium,
]


def placeholder_png():
    buffer = io.BytesIO()
    Image.new("RGB", (12, 6), (176, 190, 210)).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def browser_page(chromium):
    # The demo's images live on outlets' hosts: a local placeholder stands in for each,
    # so the screenshots show the layout and the page logs no failed loads.
    stand_in = {"status": 200, "content_type": "image/png", "body": placeholder_png()}
    page = chromium.new_page(stand_in=stand_in, viewport=VIEWPORTS["desktop"])
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    return page, errors


def screenshot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    for label, viewport in VIEWPORTS.items():
        page.set_viewport_size(viewport)
        page.screenshot(path=ARTIFACTS / f"{name}-{label}.png", full_page=True)
    page.set_viewport_size(VIEWPORTS["desktop"])


class TestReaderJourney:
    def test_list_filter_story_related(self, live_server, browser_page, chromium):
        """A reader lists stories, filters by topic, opens a story and follows a related link."""
        import_paths(
            [FIXTURES / "topics", FIXTURES / "organizations", FIXTURES / "news"], workers=1
        )
        link = (
            RelatedLink.objects.filter(article__published=True, target__published=True)
            .select_related("article", "target")
            .order_by("article__published_at")
            .last()
        )
        story, target = link.article, link.target
        topic = story.topics.order_by("name").first()
        page, errors = browser_page

        page.goto(live_server.url + "/")
        assert page.locator("h1").inner_text() == "Latest AI news"
        assert page.locator("article.card").count() == 20
        screenshot(page, "list")

        page.get_by_label("Topic", exact=True).select_option(topic.slug)
        page.get_by_role("button", name="Apply").click()
        page.wait_for_load_state()
        assert f"topic={topic.slug}" in page.url
        assert page.locator("article.card").count() >= 1

        page.get_by_role("link", name=story.title, exact=True).click()
        page.wait_for_load_state()
        assert page.url.endswith(story.get_absolute_url())
        assert page.locator("h1").inner_text() == story.title
        screenshot(page, "story")

        page.locator(f'.related a[href="{target.get_absolute_url()}"]').click()
        page.wait_for_load_state()
        assert page.url.endswith(target.get_absolute_url())
        assert page.locator("h1").inner_text() == target.title

        assert errors == []
        assert chromium.csp_violations == []
