"""An editor triages the review queue with the keyboard only, in a real browser, and
readers see exactly what was published."""

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Permission, User

from articles.models import Article

from .browser import ARTIFACTS, requires_chromium, wait_until
from .rules_support import waiting_story

PASSWORD = "a-long-test-password"

pytestmark = [
    pytest.mark.browser,
    # No serialized_rollback: after another browser test's flush the content types
    # come back with new ids, and restoring the serialized ones would clash. The
    # editor gets the permissions the queue needs directly instead of the group.
    pytest.mark.django_db(transaction=True),
    requires_chromium,
]


def focused_title(page):
    return page.evaluate("document.activeElement.querySelector('.review-title').textContent")


class TestKeyboardTriage:
    def test_triage_four_stories_with_keys_then_read_the_site(self, live_server, chromium):
        editor = User.objects.create_user("triager", password=PASSWORD, is_staff=True)
        editor.user_permissions.add(
            *Permission.objects.filter(codename__in=["view_article", "change_article"])
        )
        # Queue order: quality 90, 80, 70, 60 (same coverage).
        first = waiting_story(title="Chip startup tapes out at 3 nm", quality=90)
        second = waiting_story(title="Market report | Major Giants", quality=80)
        third = waiting_story(title="Robot learns to fold laundry", quality=70)
        fourth = waiting_story(title="Hospital pilots AI triage", quality=60)

        page = chromium.new_page(viewport={"width": 1400, "height": 900})
        page.goto(f"{live_server.url}/admin/")
        page.fill("#id_username", editor.username)
        page.fill("#id_password", PASSWORD)
        page.keyboard.press("Enter")
        page.wait_for_selector("#dashboard-queue")
        assert page.inner_text("#dashboard-queue strong") == "4"
        page.goto(f"{live_server.url}/admin/articles/article/queue/")
        wait_until(page, "() => document.activeElement.classList.contains('review-row')")
        assert focused_title(page) == first.title
        # The focused row is visibly marked (an outline), not only in the DOM.
        outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
        assert outline == "solid"

        def press(key, status):
            page.keyboard.press(key)
            wait_until(
                page,
                "text => document.getElementById('review-status').textContent.startsWith(text)",
                status,
            )

        press("p", "Published")  # first: publish, focus moves on
        assert focused_title(page) == second.title
        press("r", "Rejected")  # second: reject
        press("3", "Quality 30")  # third: score it 30 (focus stays) ...
        press("h", "Held")  # ... then hold
        press("p", "Published")  # fourth: publish ...
        press("u", "Undone")  # ... and take it back
        assert focused_title(page) == fourth.title
        page.keyboard.press("k")
        assert focused_title(page) == third.title
        page.keyboard.press("j")
        press("p", "Published")  # fourth, published after all
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=ARTIFACTS / "review-queue.png", full_page=True)
        assert chromium.outside == []
        assert chromium.csp_violations == []  # the queue's script is a static file

        states = dict(Article.objects.values_list("pk", "review_state"))
        assert states == {
            first.pk: "published",
            second.pk: "rejected",
            third.pk: "held",
            fourth.pk: "published",
        }
        assert Article.objects.get(pk=third.pk).quality == 30
        assert LogEntry.objects.filter(user=editor).count() == 7

        reader = chromium.new_context().new_page()
        for story, public in [(first, True), (second, False), (third, False), (fourth, True)]:
            response = reader.goto(f"{live_server.url}{story.get_absolute_url()}")
            assert response.status == (200 if public else 404), story.title
        reader.goto(f"{live_server.url}/")
        listed = reader.content()
        assert first.title in listed and fourth.title in listed
        assert second.title not in listed and third.title not in listed
