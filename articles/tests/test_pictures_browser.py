"""Pictures that behave, in Debian's chromium at a phone's and a laptop's size.

Outlets' pictures are answered by the test (a real PNG for some, a 404 for one), never
fetched: a picture that fails shows the tidy placeholder, and no picture, arriving or
failing, moves anything on the page (no layout shift at all).
"""

import io

import pytest
from PIL import Image

from .browser import requires_chromium
from .factories import ArticleFactory, ArticleImageFactory, ProviderFactory

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 900}
GONE = "https://img.example/gone.jpg"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), requires_chromium]

# Every layout shift of the page, buffered from its start (what CLS adds up), and where
# the headlines and picture boxes were when the document was parsed, before any picture.
WATCH_LAYOUT = """
window.__shifts = [];
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    if (!entry.hadRecentInput) window.__shifts.push(entry.value);
  }
}).observe({type: "layout-shift", buffered: true});
window.__boxes = () => [...document.querySelectorAll(".card__title, .card__image")].map((el) => {
  const box = el.getBoundingClientRect();
  return [box.x, box.y + window.scrollY, box.width, box.height];
});
document.addEventListener("DOMContentLoaded", () => { window.__before = window.__boxes(); });
"""


def png(width, height):
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 80, 40)).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def stories():
    """Cards with pictures that load (sizes given wrong or not at all), one whose picture
    is gone, and one without a picture."""
    outlet = ProviderFactory(name="Gone Gazette", domain="gone.example")
    for n in range(6):
        story = ArticleFactory(title=f"Loaded picture {n}")
        # The declared size is not the file's: the box must not care.
        ArticleImageFactory(
            article=story, url=f"https://img.example/ok-{n}.png", width=300, height=300
        )
    unsized = ArticleFactory(title="Unsized picture")
    ArticleImageFactory(
        article=unsized, url="https://img.example/ok-x.png", width=None, height=None
    )
    ArticleFactory(title="No picture at all")
    gone = ArticleFactory(title="Picture gone", provider=outlet)
    ArticleImageFactory(article=gone, url=GONE, width=None, height=None)
    return gone


def open_home(chromium, live_server, viewport):
    context = chromium.new_context(stand_in={"status": 404, "body": "gone"}, viewport=viewport)
    picture = png(1280, 500)
    context.route(
        "https://img.example/ok-*",
        lambda route: route.fulfill(status=200, content_type="image/png", body=picture),
    )
    context.add_init_script(WATCH_LAYOUT)
    page = context.new_page()
    page.goto(live_server.url + "/")
    page.wait_for_load_state("networkidle")
    # Bring every lazy picture in, then come back.
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    page.wait_for_load_state("networkidle")
    page.wait_for_function(
        "[...document.images].every((img) => img.complete)", polling=100, timeout=10_000
    )
    page.evaluate("window.scrollTo(0, 0)")
    return page


@pytest.mark.parametrize("viewport", [PHONE, LAPTOP], ids=["phone", "laptop"])
def test_a_picture_that_fails_shows_the_tidy_card(live_server, chromium, stories, viewport):
    """The 404 picture hides; the outlet's name shows in its unchanged box; no broken icon."""
    page = open_home(chromium, live_server, viewport)
    card = page.locator("article.card", has_text="Picture gone")
    image = card.locator("img")
    assert image.evaluate("(img) => img.complete && img.naturalWidth") == 0  # it did fail
    assert "picture--failed" in image.get_attribute("class")
    assert image.evaluate("(img) => getComputedStyle(img).visibility") == "hidden"
    placeholder = card.locator(".picture-frame__placeholder")
    assert placeholder.is_visible()
    assert placeholder.inner_text() == "Gone Gazette"
    frame = card.locator(".card__image").bounding_box()
    assert frame["width"] > 100 and frame["height"] > 60
    if viewport is PHONE:
        assert abs(frame["height"] - frame["width"] * 9 / 16) < 1.5  # the 16:9 box
    # The placeholder fills the box it stands in, so no grey area is left empty.
    assert placeholder.bounding_box() == frame
    assert chromium.csp_violations == []


@pytest.mark.parametrize("viewport", [PHONE, LAPTOP], ids=["phone", "laptop"])
def test_no_picture_moves_the_page(live_server, chromium, stories, viewport):
    """Cumulative layout shift is 0, and every box is where it was before any picture came."""
    page = open_home(chromium, live_server, viewport)
    loaded = page.evaluate(
        "[...document.querySelectorAll('.card__img')].filter((img) => img.naturalWidth).length"
    )
    assert loaded == 7  # every picture that could load did, lazy ones included
    assert page.evaluate("window.__shifts") == []
    assert page.evaluate("window.__boxes()") == page.evaluate("window.__before")


def test_a_story_without_a_picture_has_no_picture_box(live_server, chromium, stories):
    page = open_home(chromium, live_server, PHONE)
    card = page.locator("article.card", has_text="No picture at all")
    assert card.locator(".card__image, img").count() == 0
    title = card.locator(".card__title").bounding_box()
    assert title["y"] - card.bounding_box()["y"] < 30  # the text starts the card
