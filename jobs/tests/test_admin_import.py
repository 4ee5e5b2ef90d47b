"""Editors upload seed files in the admin; a worker imports them; the jobs page shows it."""

import pytest
from django.contrib.auth.models import Permission, User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from jobs.models import Job

from .support import news, run_worker, upload, zip_bytes

IMPORT_URL = reverse("admin:jobs_job_import")
JOBS_URL = reverse("admin:jobs_job_changelist")
STATUS_URL = reverse("admin:jobs_job_status")

pytestmark = pytest.mark.django_db


def post_upload(client, capture, *files, **options):
    with capture(execute=True):
        return client.post(IMPORT_URL, {"files": list(files), **options})


def good_zip(count=3, prefix="story"):
    return zip_bytes({f"news/{prefix}-{n}.md": news(n, prefix) for n in range(count)})


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
class TestUpload:
    """The worker runs here, for real: it commits as it goes, as in production."""

    def test_a_good_zip_is_queued_then_imported_by_the_worker(
        self, editor_client, editor, django_capture_on_commit_callbacks
    ):
        response = post_upload(
            editor_client, django_capture_on_commit_callbacks, upload("batch.zip", good_zip())
        )
        job = Job.objects.get()
        assert response.status_code == 302
        assert response.url == reverse("admin:jobs_job_change", args=[job.pk])
        assert (job.kind, job.state, job.created_by) == ("import_articles", "queued", editor)
        assert job.task_id
        assert not Article.objects.exists()  # nothing ran inside the request

        run_worker()

        job.refresh_from_db()
        assert job.state == "succeeded", job.error
        assert (job.done, job.total) == (3, 3)
        assert job.report["summary"] == "3 files: 3 created, 0 updated, 0 unchanged, 0 failed"
        assert Article.objects.count() == 3
        assert not job.files.exists()  # the upload is dropped once it went in
        page = editor_client.get(reverse("admin:jobs_job_change", args=[job.pk]))
        assert "3 files: 3 created" in page.content.decode()
        assert "3 of 3 files" in page.content.decode()

    def test_bad_files_inside_a_good_zip_are_reported_by_name_and_the_rest_go_in(
        self, editor_client, django_capture_on_commit_callbacks
    ):
        data = zip_bytes(
            {
                "news/good.md": news(1),
                "news/broken.md": "---\ntitle: [unclosed\n---\n",
                "news/no-url.md": "---\ntitle: No address\n---\n",
            }
        )
        post_upload(editor_client, django_capture_on_commit_callbacks, upload("batch.zip", data))
        run_worker()

        job = Job.objects.get()
        assert job.state == "failed"
        assert job.error == "2 of 3 files failed"
        assert [name for name, _ in job.report["problems"]] == ["news/broken.md", "news/no-url.md"]
        assert Article.objects.get().web_url == "https://example.com/story-1"
        page = editor_client.get(reverse("admin:jobs_job_change", args=[job.pk])).content.decode()
        assert "news/broken.md" in page and "news/no-url.md" in page
        assert "Run again" in page

    def test_check_only_writes_nothing_and_reports_what_would_change(
        self, editor_client, django_capture_on_commit_callbacks
    ):
        post_upload(
            editor_client,
            django_capture_on_commit_callbacks,
            upload("batch.zip", good_zip()),
            dry_run="on",
        )
        run_worker()

        job = Job.objects.get()
        assert job.state == "succeeded"
        assert job.options == {"dry_run": True, "strict": False}
        assert job.report["summary"].startswith("3 files: 3 created")
        assert not Article.objects.exists()
        page = editor_client.get(JOBS_URL).content.decode()
        assert "Check only, nothing written: 3 files: 3 created" in page

    def test_several_loose_files_are_one_job(
        self, editor_client, django_capture_on_commit_callbacks
    ):
        post_upload(
            editor_client,
            django_capture_on_commit_callbacks,
            upload("a.md", news(1).encode()),
            upload("b.md", news(2).encode()),
        )
        run_worker()
        assert Job.objects.get().state == "succeeded"
        assert Article.objects.count() == 2

    def test_two_uploads_at_once_both_go_in(
        self, editor_client, django_capture_on_commit_callbacks
    ):
        """The same story in both: it ends as one article, as two command runs would leave it."""
        first = zip_bytes({"news/shared.md": news(0, "shared"), "news/a.md": news(1, "a")})
        second = zip_bytes({"news/shared.md": news(0, "shared"), "news/b.md": news(2, "b")})
        post_upload(editor_client, django_capture_on_commit_callbacks, upload("one.zip", first))
        post_upload(editor_client, django_capture_on_commit_callbacks, upload("two.zip", second))
        assert Job.objects.filter(state="queued").count() == 2

        run_worker()

        assert sorted(Job.objects.values_list("state", flat=True)) == ["succeeded", "succeeded"]
        assert sorted(Article.objects.values_list("web_url", flat=True)) == [
            "https://example.com/a-1",
            "https://example.com/b-2",
            "https://example.com/shared-0",
        ]


class TestRefusedUploads:
    """A refused upload is a form error naming what is wrong; no job, nothing written."""

    @pytest.mark.parametrize(
        ("name", "data", "message"),
        [
            (
                "batch.zip",
                zip_bytes({"news/a.md": news(1), "../../etc/cron.d/evil.md": news(2)}),
                "batch.zip: ../../etc/cron.d/evil.md: paths with &#x27;..&#x27; are not accepted",
            ),
            (
                "batch.zip",
                zip_bytes({"news/a.md": news(1), "/tmp/evil.md": news(2)}),
                "batch.zip: /tmp/evil.md: absolute paths are not accepted",
            ),
            (
                "batch.zip",
                zip_bytes({"news/a.md": news(1), "news/payload.exe": b"MZ"}),
                "batch.zip: news/payload.exe: not a seed file",
            ),
            ("notes.pdf", b"%PDF-1.4", "notes.pdf: not a seed file"),
            (
                "bomb.zip",
                zip_bytes({"news/bomb.md": b"a" * (4 * 1024 * 1024)}),
                "as only a zip bomb is",
            ),
        ],
    )
    def test_bad_uploads_are_refused_naming_the_entry(
        self, editor_client, django_capture_on_commit_callbacks, name, data, message
    ):
        response = post_upload(
            editor_client, django_capture_on_commit_callbacks, upload(name, data)
        )
        assert response.status_code == 200
        assert message in response.content.decode()
        assert not Job.objects.exists()

    def test_an_upload_over_the_limit_is_not_kept(
        self, editor_client, settings, django_capture_on_commit_callbacks
    ):
        settings.JOBS_UPLOAD_MAX_BYTES = 1000
        response = post_upload(
            editor_client,
            django_capture_on_commit_callbacks,
            upload("big.md", news(1).encode() + b"x" * 5000),
        )
        assert "The upload is over the 0 MiB limit." in response.content.decode()
        assert not Job.objects.exists()


class TestPermissions:
    def test_editors_see_the_form_and_the_jobs_page(self, editor_client):
        assert editor_client.get(IMPORT_URL).status_code == 200
        page = editor_client.get(JOBS_URL).content.decode()
        assert IMPORT_URL in page
        assert reverse("admin:jobs_job_start", args=["cache_images"]) in page

    def test_staff_without_the_permission_can_neither_upload_nor_see_jobs(
        self, staff_client, django_capture_on_commit_callbacks
    ):
        assert staff_client.get(IMPORT_URL).status_code == 403
        response = post_upload(
            staff_client, django_capture_on_commit_callbacks, upload("batch.zip", good_zip())
        )
        assert response.status_code == 403
        assert staff_client.get(JOBS_URL).status_code == 403
        assert staff_client.get(STATUS_URL).status_code == 403
        assert not Job.objects.exists()

    def test_anonymous_visitors_are_sent_to_log_in(self, client):
        response = client.get(IMPORT_URL)
        assert response.status_code == 302
        assert reverse("admin:login") in response.url

    def test_the_permission_alone_is_enough_to_import(
        self, client, django_capture_on_commit_callbacks
    ):
        user = User.objects.create_user("importer", is_staff=True)
        user.user_permissions.add(*Permission.objects.filter(codename="import_articles"))
        client.force_login(user)
        response = post_upload(client, django_capture_on_commit_callbacks, upload("a.md", b"---\n"))
        assert response.status_code == 302
        assert response.url == reverse("admin:index")  # may not view the job: sent home
        assert Job.objects.get().created_by == user


class TestJobsPage:
    def test_the_list_costs_the_same_queries_for_1_and_20_jobs(self, editor_client, editor):
        """Budget: session, user, permissions, the stale check, then the rows with their users."""

        def queries():
            with CaptureQueriesContext(connection) as captured:
                assert editor_client.get(JOBS_URL).status_code == 200
            return len(captured)

        Job.objects.create(
            kind="import_articles",
            created_by=editor,
            state="running",
            worker="elsewhere:1",
            heartbeat_at=timezone.now(),
        )
        one = queries()
        for n in range(19):
            Job.objects.create(
                kind="cache_images", created_by=editor, state="failed", error=f"reason {n}"
            )
        assert queries() == one
        assert one <= 9

    def test_status_reports_state_progress_and_result(self, editor_client, editor):
        running = Job.objects.create(
            kind="import_articles",
            state="running",
            done=4,
            total=10,
            worker="elsewhere:1",
            heartbeat_at=timezone.now(),
        )
        failed = Job.objects.create(kind="cache_images", state="failed", error="no disk")
        response = editor_client.get(STATUS_URL, {"id": [running.pk, failed.pk, "x"]})
        assert "no-store" in response["Cache-Control"]
        jobs = {job["id"]: job for job in response.json()["jobs"]}
        assert jobs[running.pk]["progress"] == "4 of 10 files"
        assert jobs[running.pk]["finished"] is False
        assert jobs[failed.pk]["result"] == "no disk"
        assert jobs[failed.pk]["finished"] is True

    def test_the_page_loads_its_script_from_a_static_file(self, editor_client):
        Job.objects.create(kind="import_articles")
        page = editor_client.get(JOBS_URL).content.decode()
        assert '<script src="/static/jobs/jobs.js"' in page
        assert 'data-job-field="state" data-job-state="queued"' in page

    def test_the_dashboard_shows_running_and_failed_jobs(self, editor_client, editor):
        Job.objects.create(
            kind="import_articles",
            state="running",
            done=2,
            total=5,
            worker="elsewhere:1",
            heartbeat_at=timezone.now(),
        )
        Job.objects.create(
            kind="cache_images",
            state="failed",
            error="the disk is full",
            finished_at=timezone.now(),
        )
        Job.objects.create(kind="cache_images", state="succeeded")
        page = editor_client.get(reverse("admin:index")).content.decode()
        assert 'id="jobs-dashboard"' in page
        assert "2 of 5 files" in page
        assert "the disk is full" in page
        assert page.count('data-job-field="state"') == 2
