"""An editor publishes a waiting story from the list, in a real browser, and readers see it."""

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


class TestEditorPublishesFromTheList:
    def test_publish_from_filtered_list_then_read_it(self, live_server, chromium):
        """Log in as an editor, filter to unpublished, tick published, Save; readers see it."""
        editor = make_editor()
        editor.set_password(PASSWORD)
        editor.save()
        ArticleFactory.create_batch(5, published=True)
        ArticleFactory(published=False, title="Another story still waiting")
        story = ArticleFactory(published=False, title="Chip startup tapes out at 3 nm")

        page = chromium.new_page(viewport={"width": 1400, "height": 900})
        page.goto(f"{live_server.url}/admin/")
        page.fill("#id_username", editor.username)
        page.fill("#id_password", PASSWORD)
        page.click("input[type=submit]")
        page.wait_for_selector("#newsroom-dashboard")

        page.goto(f"{live_server.url}/admin/articles/article/")
        page.locator("#newsroom-filters > summary").click()  # the filters fold above the list
        filters = page.locator("#changelist-filter")
        filters.locator("details", has_text="By published").get_by_role(
            "link", name="No", exact=True
        ).click()
        page.wait_for_url("**published__exact=0**")
        rows = page.locator("#result_list tbody tr")
        assert rows.count() == 2

        row = rows.filter(has_text=story.title)
        row.locator("input[type=checkbox][name$='-published']").check()
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=ARTIFACTS / "admin-changelist.png", full_page=True)
        page.click("input[name=_save]")
        page.wait_for_selector(".messagelist .success")
        assert "was changed successfully" in page.inner_text(".messagelist")
        assert page.locator("#result_list tbody tr").count() == 1  # it left "unpublished"
        assert Article.objects.get(pk=story.pk).published

        reader = chromium.new_context().new_page()
        response = reader.goto(f"{live_server.url}{story.get_absolute_url()}")
        assert response.status == 200
        assert story.title in reader.content()
