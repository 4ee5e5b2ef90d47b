"""Accessible by default: axe-core finds nothing, and keyboard focus always shows (chromium)."""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from articles.models import Article, Cluster

from .admin_helpers import logged_in_context
from .axe import axe_script, violations
from .browser import requires_chromium
from .demo_site import public_pages
from .factories import ArticleFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), requires_chromium]

VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1366, "height": 900}}

# axe's script is injected into the page: the Content-Security-Policy (tested with it on
# in test_csp_browser.py) would refuse it, so these contexts bypass it.
NO_CSP = {"bypass_csp": True}

# The page's keyboard stops: visible links, buttons, fields and summaries, kept in order.
CONTROLS = """() => {
  window.controls = [...document.querySelectorAll(
    "a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex='0']"
  )].filter((element) => element.tabIndex >= 0 && element.checkVisibility());
  return window.controls.length;
}"""

# Which control has focus, and whether it shows an outline (or a ring drawn as a box
# shadow). A date field's calendar button is inside the field's own shadow tree: the
# field then has focus without matching :focus, and the browser draws that ring.
FOCUS_RING = """() => {
  const element = document.activeElement;
  const style = getComputedStyle(element);
  const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
  return {
    control: window.controls ? window.controls.indexOf(element) : -1,
    element: element.outerHTML.slice(0, 80),
    inner_part: !element.matches(":focus"),
    visible: outline || style.boxShadow !== "none",
  };
}"""


@pytest.fixture
def axe():
    return axe_script()


@pytest.fixture
def chief(demo):
    return User.objects.create_superuser("chief", password="a-long-test-password")


def all_violations(page, axe, url_paths, base):
    found = []
    for path in url_paths:
        page.goto(base + path)
        page.wait_for_load_state("networkidle")  # the admin's widgets have been drawn
        found += [f"{path}: {line}" for line in violations(page, axe)]
    return found


def test_public_pages_have_no_violations(live_server, chromium, demo, axe):
    """Every kind of public page, the long-word story and the 404 included, passes axe-core
    at a phone's and a desktop's width."""
    page = chromium.new_page(**NO_CSP)
    found = []
    for name, viewport in VIEWPORTS.items():
        page.set_viewport_size(viewport)
        found += [
            f"{name} {line}" for line in all_violations(page, axe, public_pages(), live_server.url)
        ]
    assert found == []


def test_admin_pages_have_no_violations(live_server, chromium, chief, axe):
    """The admin's login, story list (filters folded and open), a story's form (inlines,
    autocompletes), the other lists and the cluster and review pages pass axe-core."""
    page = chromium.new_page(viewport=VIEWPORTS["desktop"], **NO_CSP)
    assert all_violations(page, axe, [reverse("admin:login")], live_server.url) == []
    assert page.get_by_role("heading", level=1).inner_text() == "Log in to Newsroom"

    context = logged_in_context(
        chromium, live_server.url, chief, viewport=VIEWPORTS["desktop"], **NO_CSP
    )
    page = context.new_page()
    # Inline rows, related links, topics and an outlet: the demo's long-word story has them all.
    story = Article.objects.filter(related_links__isnull=False, topics__isnull=False).first()
    paths = [
        reverse("admin:articles_article_changelist"),
        reverse("admin:articles_article_change", args=[story.pk]),
        reverse("admin:articles_article_add"),
        reverse("admin:articles_queue"),
        reverse("admin:articles_cluster_changelist"),
        reverse("admin:articles_cluster_change", args=[Cluster.objects.order_by("pk")[0].pk]),
    ]
    assert all_violations(page, axe, paths, live_server.url) == []
    # Every list again with its filters unfolded (the fold keeps its state in the tab).
    page.evaluate('sessionStorage.setItem("newsroom.admin.filtersOpen", "true")')
    lists = [
        reverse("admin:providers_provider_changelist"),
        reverse("admin:articles_rule_changelist"),
        reverse("admin:articles_topic_changelist"),
        reverse("admin:articles_article_changelist"),
    ]
    assert all_violations(page, axe, lists, live_server.url) == []
    assert page.locator("#changelist-filter").is_visible()  # the story list's, last
    # The fixes name things sensibly, not just anything that silences axe.
    page.goto(live_server.url + reverse("admin:articles_article_change", args=[story.pk]))
    page.wait_for_load_state("load")
    provider = page.get_by_role("combobox", name=f"Provider: {story.provider.name}", exact=True)
    expect = pytest.importorskip("playwright.sync_api").expect  # waits for the naming script
    expect(provider).to_be_visible()
    expect(page.get_by_role("combobox", name="Topics:", exact=True)).to_be_visible()
    expect(page.get_by_role("searchbox", name="Topics", exact=True)).to_be_visible()
    page.goto(live_server.url + reverse("admin:articles_article_changelist"))
    first = page.locator("#result_list tbody tr").first
    title = first.locator(".field-title_short a").inner_text()
    assert first.get_by_role("spinbutton").get_attribute("aria-label") == f"Quality ({title})"


def test_a_violation_would_be_reported(live_server, chromium, axe):
    """The checks above can fail: an unnamed search box is reported."""
    page = chromium.new_page(**NO_CSP)
    page.goto(live_server.url + ArticleFactory().get_absolute_url())
    assert violations(page, axe) == []
    page.evaluate("document.querySelector('label[for=site-search-q]').remove()")
    page.evaluate("document.getElementById('site-search-q').removeAttribute('placeholder')")
    assert any(line.startswith("label ") for line in violations(page, axe))


def test_keyboard_focus_shows_on_every_control_of_the_home_page(live_server, chromium, demo):
    """Tabbing through the home page, phone and desktop, reaches each control in turn, and
    each shows a visible ring."""
    page = chromium.new_page()
    for name, viewport in VIEWPORTS.items():
        page.set_viewport_size(viewport)
        page.goto(live_server.url + "/")
        stops = tab_through(page)
        assert [s["element"] for s in stops if not s["visible"] and not s["inner_part"]] == [], name
        assert {stop["control"] for stop in stops} == set(range(page.evaluate(CONTROLS))), name


def tab_through(page):
    """Each stop of the Tab key from the top of the page to its last control."""
    controls = page.evaluate(CONTROLS)
    stops = []
    for _ in range(4 * controls):  # a date field takes a stop per part
        page.keyboard.press("Tab")
        stop = page.evaluate(FOCUS_RING)
        if stop["control"] == -1 or (stops and stop["control"] < stops[-1]["control"]):
            break  # past the last control, back in the browser's own UI
        stops.append(stop)
    return stops


def test_keyboard_focus_shows_in_the_admin(live_server, chromium, chief):
    """In the story list, the search box, the filters' toggle and row links show focus."""
    context = logged_in_context(chromium, live_server.url, chief, viewport=VIEWPORTS["desktop"])
    page = context.new_page()
    page.goto(live_server.url + reverse("admin:articles_article_changelist"))
    for selector in ["#searchbar", "#newsroom-filters > summary", "#result_list tbody a"]:
        page.locator(selector).first.focus()
        page.keyboard.press("Shift+Tab")
        page.keyboard.press("Tab")  # focus by keyboard, so :focus-visible applies
        assert page.evaluate(FOCUS_RING)["visible"], selector


def test_a_missing_focus_ring_would_be_caught(live_server, chromium):
    """The checks above can fail: a control whose outline is removed is reported."""
    page = chromium.new_page()
    page.goto(live_server.url + "/")
    page.evaluate(CONTROLS)
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert page.evaluate(FOCUS_RING)["visible"] is True
    page.evaluate("document.activeElement.style.outline = 'none'")
    assert page.evaluate(FOCUS_RING)["visible"] is False
