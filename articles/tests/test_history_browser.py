"""Two editors edit one story in real browsers: the second save is refused, not lost."""

import pytest

from articles.models import Article

from .admin_helpers import make_editor
from .browser import ARTIFACTS, requires_chromium
from .factories import ArticleFactory

PASSWORD = "a-long-test-password"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    requires_chromium,
]


def logged_in_page(chromium, live_server, username):
    editor = make_editor(username)
    editor.set_password(PASSWORD)
    editor.save()
    page = chromium.new_page(viewport={"width": 1300, "height": 900})
    page.goto(f"{live_server.url}/admin/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_selector("#newsroom-dashboard")
    return page


class TestTwoEditorsOneStory:
    def test_the_second_save_is_refused_naming_the_field_and_their_value(
        self, live_server, chromium
    ):
        story = ArticleFactory(title="Chip startup tapes out", quality=10)
        url = f"{live_server.url}/admin/articles/article/{story.pk}/change/"
        alice = logged_in_page(chromium, live_server, "alice")
        bob = logged_in_page(chromium, live_server, "bob")
        alice.goto(url)
        bob.goto(url)

        alice.fill("#id_quality", "80")
        alice.click("input[name=_save]")
        alice.wait_for_selector(".messagelist .success")

        bob.fill("#id_quality", "30")
        bob.fill("#id_title", "Chip startup tapes out at 3 nm")
        bob.click("input[name=_save]")
        bob.wait_for_selector(".errornote")
        ARTIFACTS.mkdir(exist_ok=True)
        bob.screenshot(path=ARTIFACTS / "admin-edit-conflict.png", full_page=True)
        summary = bob.inner_text(".errorlist.nonfield")
        assert "Not saved: alice changed this story" in summary
        assert "quality" in summary
        field = bob.inner_text(".field-quality .errorlist")
        assert field == "Changed meanwhile. Their value: '80'; yours: '30'; you loaded: '10'."
        story.refresh_from_db()
        assert (story.quality, story.title) == (80, "Chip startup tapes out")

        # Bob keeps his title, takes Alice's score, and saves again: accepted.
        bob.fill("#id_quality", "80")
        bob.click("input[name=_save]")
        bob.wait_for_selector(".messagelist .success")
        story = Article.objects.get(pk=story.pk)
        assert (story.quality, story.title) == (80, "Chip startup tapes out at 3 nm")
        assert not chromium.csp_violations
