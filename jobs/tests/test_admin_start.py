"""Jobs without an upload start from a button (the image cache); failed jobs run again."""

import pytest
from django.urls import reverse

from articles.models import ArticleImage
from articles.tests.factories import ArticleImageFactory
from images.tests.image_files import ImageServer
from jobs.models import Job

from .support import run_worker

CACHE_IMAGES = reverse("admin:jobs_job_start", args=["cache_images"])

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def server():
    with ImageServer() as running:
        yield running


class TestImageCacheJob:
    def test_the_image_cache_runs_as_a_job_with_the_commands_report(
        self, editor_client, editor, server, settings
    ):
        settings.IMAGE_CACHE_ALLOW_PRIVATE_HOSTS = True  # the test server is on 127.0.0.1
        good = ArticleImageFactory(url=server.url("/good.jpg"))
        missing = ArticleImageFactory(url=server.url("/missing.jpg"))

        response = editor_client.post(CACHE_IMAGES)
        job = Job.objects.get()
        assert response.url == reverse("admin:jobs_job_change", args=[job.pk])
        assert (job.kind, job.state, job.created_by) == ("cache_images", "queued", editor)

        run_worker()

        job.refresh_from_db()
        assert job.state == "failed"
        assert job.error == "1 of 2 images failed"
        assert job.report["summary"] == "2 images: 1 cached, 0 skipped, 1 failed"
        assert [url for url, _ in job.report["problems"]] == [missing.url]
        assert ArticleImage.objects.get(pk=good.pk).local_file
        page = editor_client.get(reverse("admin:jobs_job_change", args=[job.pk])).content.decode()
        assert missing.url in page

    def test_starting_needs_a_post_and_the_permission(self, editor_client, staff_client):
        assert editor_client.get(CACHE_IMAGES).status_code == 405
        assert staff_client.post(CACHE_IMAGES).status_code == 403
        assert editor_client.post(reverse("admin:jobs_job_start", args=["nope"])).status_code == 403
        assert not Job.objects.exists()


class TestRunAgain:
    def test_a_failed_job_runs_again_with_the_same_input(self, editor_client, server, settings):
        settings.IMAGE_CACHE_ALLOW_PRIVATE_HOSTS = True
        editor_client.post(CACHE_IMAGES)
        job = Job.objects.get()
        Job.objects.filter(pk=job.pk).update(state="failed", error="the worker stopped")
        ArticleImageFactory(url=server.url("/good.jpg"))

        page = editor_client.get(reverse("admin:jobs_job_change", args=[job.pk])).content.decode()
        assert reverse("admin:jobs_job_retry", args=[job.pk]) in page
        editor_client.post(reverse("admin:jobs_job_retry", args=[job.pk]))
        job.refresh_from_db()
        assert (job.state, job.error) == ("queued", "")

        run_worker()
        job.refresh_from_db()
        assert job.state == "succeeded"
        assert job.report["summary"] == "1 images: 1 cached, 0 skipped, 0 failed"

    def test_only_failed_jobs_run_again(self, editor_client):
        job = Job.objects.create(kind="cache_images", state="succeeded")
        response = editor_client.post(reverse("admin:jobs_job_retry", args=[job.pk]), follow=True)
        assert "has not failed" in response.content.decode()
        assert Job.objects.get(pk=job.pk).state == "succeeded"
