"""Phone first and no sideways scroll, in Debian's chromium at a phone's and a laptop's size."""

import pytest

from articles.models import Article

from .browser import requires_chromium
from .demo_site import LONG_WORD, NOT_FOUND, public_pages
from .factories import ArticleFactory, ProviderFactory

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 900}

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), requires_chromium]

SIDEWAYS = "document.documentElement.scrollWidth - window.innerWidth"
# [width of the placeholder's text in the box's font, width inside the box's padding]
PLACEHOLDER_ROOM = """box => {
  const style = getComputedStyle(box);
  const pen = document.createElement("canvas").getContext("2d");
  pen.font = style.font;
  const inner = box.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  return [Math.ceil(pen.measureText(box.placeholder).width), Math.floor(inner)];
}"""


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
    toggle.click()
    assert not topic_select.is_visible()  # and folds away again
    toggle.click()
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


def test_laptop_shows_the_filters_unfolded_and_a_roomy_search_box(live_server, chromium, demo):
    """A wide screen has room: the filters start open, the header's search box is wide."""
    page = chromium.new_page(viewport=LAPTOP)
    page.goto(live_server.url + "/")
    assert page.get_by_label("Topic", exact=True).is_visible()
    text, room = page.locator(".filters__search input").evaluate(PLACEHOLDER_ROOM)
    assert text <= room, f"the side panel's search box cuts its placeholder ({text} > {room} px)"
    story = Article.objects.published().first()
    page.goto(live_server.url + story.get_absolute_url())
    assert page.get_by_role("searchbox", name="Search stories").bounding_box()["width"] >= 320
    assert chromium.csp_violations == []


def test_no_page_scrolls_sideways(live_server, chromium, demo):
    """No demo page (nor the admin's login) is wider than a phone's or a laptop's screen:
    long words and URLs wrap."""
    page = chromium.new_page()
    too_wide = []
    for viewport in [PHONE, LAPTOP]:
        page.set_viewport_size(viewport)
        for path in [*public_pages(), "/admin/login/"]:
            status = page.goto(live_server.url + path).status
            assert status == (404 if path == NOT_FOUND else 200), path  # the page it means to be
            overflow = page.evaluate(SIDEWAYS)
            if overflow > 0:
                too_wide.append(f"{path} is {overflow}px wider than {viewport['width']}px")
    assert too_wide == []


def test_a_page_that_scrolls_sideways_is_caught(live_server, chromium):
    """The check above can fail: an unbreakable line does widen the page."""
    outlet = ProviderFactory(domain="unbroken.example", description=f"See {LONG_WORD}")
    ArticleFactory(provider=outlet)
    page = chromium.new_page(viewport=PHONE)
    page.goto(live_server.url + outlet.get_absolute_url())
    assert page.evaluate(SIDEWAYS) <= 0
    page.evaluate("document.querySelectorAll('*').forEach((e) => e.style.overflowWrap = 'normal')")
    assert page.evaluate(SIDEWAYS) > 0
