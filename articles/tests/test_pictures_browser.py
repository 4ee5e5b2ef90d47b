"""Pictures that behave, in Debian's chromium at a phone's and a laptop's size.

Outlets' pictures are answered by the test (a real PNG for some, a 404 for one) or
fail as an unreachable host does (every other host is aborted), never fetched: a
picture that fails shows its tidy placeholder — cards, story figures, logos, topic
pictures alike — and no picture, arriving or failing, moves anything on the page (no
layout shift at all).
"""

import io

import pytest
from PIL import Image

from .browser import requires_chromium, wait_until
from .factories import ArticleFactory, ArticleImageFactory, ProviderFactory, TopicFactory

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
    wait_until(page, "() => [...document.images].every((img) => img.complete)")
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


# Every <img> of the page: did it fail, is it hidden, and what stands in its frame.
PICTURES = """() => [...document.images].map((img) => {
  const frame = img.closest(".picture-frame");
  const placeholder = frame && frame.querySelector(".picture-frame__placeholder");
  const box = (element) => element && JSON.stringify(element.getBoundingClientRect());
  return {
    img: img.outerHTML.slice(0, 90),
    failed: img.complete && img.naturalWidth === 0,
    hidden: getComputedStyle(img).visibility === "hidden",
    stand_in: placeholder ? placeholder.innerText.trim() : "",
    stand_in_fills_frame: Boolean(placeholder) && box(placeholder) === box(frame),
    frame_area: frame ? frame.offsetWidth * frame.offsetHeight : 0,
  };
})"""


@pytest.fixture
def unreachable():
    """A story with two pictures, its outlet's logo and its topic's picture, all on hosts
    the browser cannot reach; the pages that show them."""
    outlet = ProviderFactory(
        name="Far Away News",
        domain="far.example",
        source_images=[{"url": "https://far.example/logo.png", "width": 50, "height": 50}],
    )
    topic = TopicFactory(
        name="Distant", slug="distant", extra={"images": ["https://far.example/topic.jpg"]}
    )
    story = ArticleFactory(title="Pictures out of reach", provider=outlet, topics=[topic])
    ArticleImageFactory(article=story, url="https://far.example/lead.jpg", title="The lead")
    ArticleImageFactory(article=story, url="https://far.example/more.jpg", width=None, height=None)
    ArticleFactory.create_batch(4, provider=outlet, topics=[topic])
    return {
        "home": "/",
        "story": story.get_absolute_url(),
        "outlet": outlet.get_absolute_url(),
        "topic": topic.get_absolute_url(),
    }


@pytest.mark.parametrize("viewport", [PHONE, LAPTOP], ids=["phone", "laptop"])
def test_pictures_from_an_unreachable_host_show_their_stand_ins(
    live_server, chromium, unreachable, viewport
):
    """Every picture that cannot load, above the fold or below, hides: what shows is its
    frame with the outlet's name or the initial filling it, never a broken-image icon."""
    page = chromium.new_page(viewport=viewport)  # every other host is aborted
    shown = {}
    for kind, path in unreachable.items():
        page.goto(live_server.url + path)
        page.evaluate("window.scrollTo(0, document.body.scrollHeight)")  # the lazy ones too
        wait_until(page, "() => [...document.images].every((img) => img.complete)")
        shown[kind] = page.evaluate(PICTURES)
    assert {kind: len(pictures) for kind, pictures in shown.items()} == {
        "home": 1,  # the story's card (cards show no logo; the other stories have no picture)
        "story": 1 + 2,  # the byline's logo and both figures
        "outlet": 1 + 1,  # its logo and the story's card
        "topic": 1 + 1,  # its picture and the story's card
    }
    stand_ins = set()
    for kind, pictures in shown.items():
        for picture in pictures:
            assert picture["failed"], (kind, picture)
            assert picture["hidden"], (kind, picture)
            assert picture["stand_in"] and picture["stand_in_fills_frame"], (kind, picture)
            assert picture["frame_area"] > 1000, (kind, picture)
            stand_ins.add(picture["stand_in"])
    assert stand_ins == {"Far Away News", "Picture from Far Away News", "F", "D"}
    assert chromium.csp_violations == []
