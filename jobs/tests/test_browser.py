"""An editor uploads a zip in the admin, in a real browser, and watches the job finish."""

import pytest
from django.urls import reverse

from articles.models import Article
from articles.tests.admin_helpers import make_editor
from articles.tests.browser import ARTIFACTS, requires_chromium
from jobs.models import Job

from .support import news, run_worker, zip_bytes

PASSWORD = "a-long-test-password"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    requires_chromium,
]


def only_the_live_server(page, live_server):
    page.route(
        "**/*",
        lambda route: (
            route.continue_() if route.request.url.startswith(live_server.url) else route.abort()
        ),
    )


class TestUploadInTheBrowser:
    def test_upload_a_zip_and_watch_the_job_finish(self, live_server, chromium, tmp_path):
        editor = make_editor()
        editor.set_password(PASSWORD)
        editor.save()
        archive = tmp_path / "batch.zip"
        archive.write_bytes(
            zip_bytes({f"news/story-{n}.md": news(n) for n in range(3)} | {"news/bad.md": "---\n"})
        )

        page = chromium.new_page(viewport={"width": 1300, "height": 900})
        only_the_live_server(page, live_server)
        page.goto(f"{live_server.url}/admin/login/")
        page.fill("#id_username", editor.username)
        page.fill("#id_password", PASSWORD)
        page.click("input[type=submit]")
        page.wait_for_selector("#jobs-dashboard")

        page.goto(f"{live_server.url}{reverse('admin:jobs_job_import')}")
        page.set_input_files("#id_files", archive)
        page.click("input[type=submit]")
        page.wait_for_selector(".messagelist .success")
        state = page.locator('[data-job-field="state"]')
        assert state.inner_text() == "queued"

        run_worker()  # the page keeps polling meanwhile; nobody reloads it

        page.wait_for_selector('[data-job-field="state"][data-job-state="failed"]', timeout=15_000)
        page.wait_for_selector(".job-problems")  # the page reloaded itself to show the report
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=ARTIFACTS / "admin-job.png", full_page=True)
        text = page.inner_text("#content")
        assert "4 files: 3 created, 0 updated, 0 unchanged, 1 failed" in text
        assert "4 of 4 files" in text
        assert "news/bad.md" in text
        assert Article.objects.count() == 3
        assert Job.objects.get().created_by == editor
