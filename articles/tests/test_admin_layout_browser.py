"""The editors' lists at laptop widths, in Debian's chromium: all columns show, titles get room."""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from articles.admin.stories import ArticleAdmin
from articles.models import Cluster

from .admin_helpers import logged_in_context
from .browser import requires_chromium

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), requires_chromium]

LAPTOPS = {"1366x900": {"width": 1366, "height": 900}, "1280x800": {"width": 1280, "height": 800}}
STORIES = reverse("admin:articles_article_changelist")
SIDEBAR_OPEN = 'localStorage.setItem("django.admin.navSidebarIsOpen", "true")'

# Each column header's box, the box that scrolls the table, and the filters' box.
LAYOUT = """() => {
  const box = (element) => element && element.getBoundingClientRect().toJSON();
  const filters = document.getElementById("changelist-filter");
  return {
    sideways: document.documentElement.scrollWidth - window.innerWidth,
    width: window.innerWidth,
    results: box(document.querySelector("#changelist-form .results")),
    filters: filters && filters.checkVisibility() ? box(filters) : null,
    headers: [...document.querySelectorAll("#result_list thead th")].map(
      (th) => ({name: th.className, ...box(th)})),
  };
}"""


def overlaps(a, b):
    return a["left"] < b["right"] and b["left"] < a["right"] and a["top"] < b["bottom"]


def hidden_columns(layout):
    """The headers a reader cannot see whole: off screen, scrolled away, or under the filters."""
    hidden = []
    for header in layout["headers"]:
        if header["left"] < 0 or header["right"] > layout["width"]:
            hidden.append(f"{header['name']}: off screen")
        elif header["right"] > layout["results"]["right"] + 0.5:
            hidden.append(f"{header['name']}: scrolled out of the list's box")
        elif layout["filters"] and overlaps(header, layout["filters"]):
            hidden.append(f"{header['name']}: under the filters")
    return hidden


def title_width(layout):
    return next(h["width"] for h in layout["headers"] if "column-title_short" in h["name"])


@pytest.fixture
def chief(demo):
    return User.objects.create_superuser("chief", password="a-long-test-password")


def page_for(chromium, live_server, user, viewport, sidebar_open=False):
    context = logged_in_context(chromium, live_server.url, user, viewport=viewport)
    if sidebar_open:
        context.add_init_script(SIDEBAR_OPEN)
    return context.new_page()


class TestStoryList:
    def test_every_column_shows_and_titles_have_room(self, live_server, chromium, chief):
        """At 1366 × 900 and 1280 × 800 each column header is whole on screen, none under the
        filters, and titles get at least 300 px, with or without the nav sidebar open."""
        problems = []
        for sidebar_open in [False, True]:
            page = page_for(chromium, live_server, chief, LAPTOPS["1366x900"], sidebar_open)
            for name, viewport in LAPTOPS.items():
                page.set_viewport_size(viewport)
                page.goto(live_server.url + STORIES)
                layout = page.evaluate(LAYOUT)
                where = f"{name}, nav sidebar {'open' if sidebar_open else 'as it starts'}"
                assert len(layout["headers"]) == 1 + len(ArticleAdmin.list_display), where
                problems += [f"{where}: {hidden}" for hidden in hidden_columns(layout)]
                if title_width(layout) < 300:
                    problems.append(f"{where}: titles {title_width(layout)} px wide")
                if layout["sideways"] > 0:
                    problems.append(f"{where}: the page scrolls sideways")
                shifted = page.locator("#main").evaluate("m => m.classList.contains('shifted')")
                assert shifted == sidebar_open, where
        assert problems == []
        assert chromium.csp_violations == []

    def test_a_clipped_column_is_caught(self, live_server, chromium, chief):
        """The check above can fail: Django's own filter column beside the list hides columns."""
        page = page_for(chromium, live_server, chief, LAPTOPS["1366x900"], sidebar_open=True)
        page.goto(live_server.url + STORIES)
        page.evaluate("""() => {
          for (const sheet of document.querySelectorAll('link[href*="admin-changelist"]')) {
            sheet.remove();
          }
          const filters = document.getElementById("changelist-filter");
          document.querySelector(".changelist-form-container").prepend(filters);
        }""")
        layout = page.evaluate(LAYOUT)
        assert any("column-published" in hidden for hidden in hidden_columns(layout))

    def test_filters_fold_above_the_list_and_count(self, live_server, chromium, chief):
        """The filters open above the list, say how many are on, and stay open while refining."""
        page = page_for(chromium, live_server, chief, LAPTOPS["1366x900"])
        page.goto(live_server.url + STORIES)
        summary = page.locator("#newsroom-filters > summary")
        assert summary.inner_text() == "Filters"
        filters = page.locator("#changelist-filter")
        assert not filters.is_visible()
        summary.click()
        filters.locator("details", has_text="By published").get_by_role(
            "link", name="No", exact=True
        ).click()
        page.wait_for_url("**published__exact=0**")
        assert summary.inner_text() == "Filters (1 active)"
        assert filters.is_visible()  # still open after the page load
        layout = page.evaluate(LAYOUT)
        assert hidden_columns(layout) == []
        assert layout["filters"]["bottom"] <= min(h["top"] for h in layout["headers"])
        summary.click()
        assert not filters.is_visible()

    def test_nav_sidebar_starts_folded_at_laptop_widths_only(self, live_server, chromium, chief):
        """Folded at 1366 px until the editor opens it, then remembered; open on a wide screen."""
        page = page_for(chromium, live_server, chief, LAPTOPS["1366x900"])
        page.goto(live_server.url + STORIES)
        shifted = "main => main.classList.contains('shifted')"
        assert page.locator("#main").evaluate(shifted) is False
        page.locator("#toggle-nav-sidebar").click()
        assert page.locator("#main").evaluate(shifted) is True
        assert page.locator("#nav-sidebar").get_attribute("aria-expanded") == "true"
        page.reload()
        assert page.locator("#main").evaluate(shifted) is True

        wide = page_for(chromium, live_server, chief, {"width": 1600, "height": 900})
        wide.goto(live_server.url + STORIES)
        assert wide.locator("#main").evaluate(shifted) is True


def test_review_queue_and_clusters_fit(live_server, chromium, chief):
    """The review queue, the cluster list and a cluster's page fit the screen, all columns shown."""
    page = page_for(chromium, live_server, chief, LAPTOPS["1366x900"])
    cluster = Cluster.objects.order_by("pk").first()
    for name, viewport in LAPTOPS.items():
        page.set_viewport_size(viewport)
        for path in [
            reverse("admin:articles_queue"),
            reverse("admin:articles_cluster_changelist"),
            reverse("admin:articles_cluster_change", args=[cluster.pk]),
        ]:
            page.goto(live_server.url + path)
            layout = page.evaluate(LAYOUT)
            assert layout["sideways"] <= 0, (name, path)
            if layout["headers"]:
                assert hidden_columns(layout) == [], (name, path)
            for table in page.locator("#content-main table").all():
                box = table.bounding_box()
                assert box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"], (name, path)
