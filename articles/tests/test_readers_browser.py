"""Phone first and no sideways scroll, in Debian's chromium at a phone's and a laptop's size."""

from pathlib import Path

import pytest
from django.conf import settings

from articles.ingest.importer import import_paths
from articles.models import Article, Topic
from providers.models import Provider

from .browser import requires_chromium
from .factories import ArticleFactory, ProviderFactory

FIXTURES = Path(settings.BASE_DIR) / "fixtures"
PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 900}

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), requires_chromium]


LONG_WORD = "https://unbroken.example/" + "x" * 300


@pytest.fixture
def demo():
    import_paths([FIXTURES / "topics", FIXTURES / "organizations", FIXTURES / "news"], workers=1)
    # An outlet description with one long unbroken URL, as a real one had.
    outlet = ProviderFactory(domain="unbroken.example", description=f"See {LONG_WORD}")
    ArticleFactory(provider=outlet, title=f"Long {LONG_WORD}", excerpt=LONG_WORD)


def demo_pages():
    """One page of every kind the demo has, the widest content of each kind included."""
    story = Article.objects.published().order_by("-published_at").first()
    longest_title = max(Article.objects.published(), key=lambda a: len(a.title))
    outlet = max(Provider.objects.public(), key=lambda p: len(p.description or ""))
    topic = Topic.objects.public().filter(parent__isnull=False).first()
    return [
        "/",
        "/?q=ai&sort=quality",
        topic.get_absolute_url(),
        outlet.get_absolute_url(),
        story.get_absolute_url(),
        longest_title.get_absolute_url(),
    ]


def test_phone_shows_a_headline_first_and_folds_the_filters(live_server, chromium, demo):
    """At 390 × 844 the first headline is on the first screen; filters fold behind one control."""
    page = chromium.new_page(viewport=PHONE)
    page.goto(live_server.url + "/")
    headline = page.locator("article.card .card__title").first.bounding_box()
    assert headline["y"] + headline["height"] <= PHONE["height"]
    assert page.locator('input[type="search"]').count() == 1  # one search box
    topic_select = page.get_by_label("Topic", exact=True)
    assert not topic_select.is_visible()

    toggle = page.locator("details.filters__more > summary")
    assert toggle.inner_text() == "Filters"
    toggle.click()
    assert topic_select.is_visible()
    assert page.get_by_label("Type", exact=True).locator("option").all_inner_texts() == [
        "All types",
        *sorted(set(Article.objects.published().values_list("type", flat=True)) - {""}),
    ]
    topic_select.select_option(index=1)
    page.get_by_label("Minimum quality").fill("10")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_load_state()
    assert page.locator("details.filters__more > summary").inner_text() == "Filters (2 active)"
    headline = page.locator("article.card .card__title").first.bounding_box()
    assert headline["y"] + headline["height"] <= PHONE["height"]


def test_laptop_shows_the_filters_unfolded(live_server, chromium, demo):
    """A wide screen has room beside the list: the filters start open."""
    page = chromium.new_page(viewport=LAPTOP)
    page.goto(live_server.url + "/")
    assert page.get_by_label("Topic", exact=True).is_visible()
    assert chromium.csp_violations == []


@pytest.mark.parametrize("viewport", [PHONE, LAPTOP], ids=["phone", "laptop"])
def test_no_page_scrolls_sideways(live_server, chromium, demo, viewport):
    """No demo page is wider than the screen: long words and URLs wrap."""
    page = chromium.new_page(viewport=viewport)
    for path in demo_pages():
        page.goto(live_server.url + path)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{path} is {overflow}px wider than {viewport['width']}px"
