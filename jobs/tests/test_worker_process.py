"""The real worker, in its own process: it runs queued jobs, and one killed mid-job leaves
the job marked failed, the database consistent and a re-run that completes."""

import os
import signal
import time

import pytest
from django_tasks_db.models import DBTaskResult

from articles.models import Article, SourceFile
from jobs.launch import retry_job, start_job
from jobs.models import Job
from jobs.stale import fail_stale_jobs

from .support import news, zip_bytes

pytestmark = pytest.mark.django_db(transaction=True)

MANY = 2000
"""Enough files that the import is still going when the test looks (four write batches)."""


def queue_import(count):
    data = zip_bytes({f"news/story-{n:05}.md": news(n) for n in range(count)})
    return start_job("import_articles", None, {}, [("batch.zip", data)])


def finish(worker, timeout=300):
    output, _ = worker.communicate(timeout=timeout)
    assert worker.returncode == 0, output
    return output


def watch_until_midway(worker_database, worker, job, timeout=120):
    """Poll the job as the jobs page does; return (done, total) once it is part way."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert worker.poll() is None, worker.communicate()[0]
        worker_database.pull()
        job.refresh_from_db()
        if job.state == "running" and job.total and 0 < job.done < job.total:
            return job.done, job.total
        assert job.state in {"queued", "running"}, (job.state, job.error)
        time.sleep(0.05)
    pytest.fail("the job was never seen part way through")


class TestWorkerProcess:
    def test_a_worker_process_runs_the_queued_jobs(self, worker_database):
        jobs = [queue_import(3), start_job("cache_images")]
        worker_database.push()

        finish(worker_database.start_worker("--batch"))

        worker_database.pull()
        assert [Job.objects.get(pk=job.pk).state for job in jobs] == ["succeeded", "succeeded"]
        assert Article.objects.count() == 3
        assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}

    def test_two_workers_on_two_uploads_at_once(self, worker_database):
        """Both uploads hold the same stories: one article each, both jobs clean."""
        jobs = [queue_import(600), queue_import(600)]
        worker_database.push()

        workers = [worker_database.start_worker("--batch") for _ in range(2)]
        for worker in workers:
            finish(worker)

        worker_database.pull()
        ended = [Job.objects.get(pk=job.pk) for job in jobs]
        assert [job.state for job in ended] == ["succeeded", "succeeded"], [
            (job.error, (job.report or {}).get("problems", [])[:3]) for job in ended
        ]
        assert Article.objects.count() == 600

    def test_a_worker_killed_mid_job(self, worker_database):
        job = queue_import(MANY)
        worker_database.push()
        worker = worker_database.start_worker(env={"JOBS_HEARTBEAT_SECONDS": "0.1"})

        done, total = watch_until_midway(worker_database, worker, job)
        os.killpg(worker.pid, signal.SIGKILL)  # the worker and its parsing processes
        worker.wait()

        # The progress was visible while it ran; now nothing writes it any more.
        assert total == MANY
        worker_database.pull()
        job.refresh_from_db()
        assert job.state == "running"
        # Consistent: every file went in whole (story, outlet, topic, bookkeeping) or not at all.
        written = Article.objects.count()
        assert 0 < written < MANY
        assert SourceFile.objects.count() == written
        assert Article.objects.filter(topics__name="AI").count() == written
        assert not Article.objects.filter(provider=None).exists()

        assert fail_stale_jobs() == 1
        job.refresh_from_db()
        assert job.state == "failed"
        assert "stopped while the job ran" in job.error
        assert DBTaskResult.objects.get(id=job.task_id).status == "FAILED"

        assert retry_job(job)
        worker_database.push()
        finish(worker_database.start_worker("--batch"))
        worker_database.pull()
        job.refresh_from_db()
        assert job.state == "succeeded", job.error
        assert job.attempts == 2
        assert Article.objects.count() == MANY
        assert f"{written} unchanged" in job.report["summary"]
