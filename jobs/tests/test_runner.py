"""A job's life in the worker: run once, end with a state and a reason, never "running" forever."""

import datetime as dt
import os
import socket
import subprocess
import time

import pytest
from django.utils import timezone

from jobs import registry, runner
from jobs.models import Job
from jobs.stale import fail_stale_jobs

pytestmark = pytest.mark.django_db


@pytest.fixture
def kind(monkeypatch):
    """Register a job kind whose work is the function given to it."""

    def install(work, name="test_kind"):
        kind = registry.Kind(name, "A test job", work, "things", "jobs.view_job")
        monkeypatch.setitem(registry._KINDS, name, kind)
        return Job.objects.create(kind=name)

    return install


class TestRun:
    def test_a_job_runs_once_however_often_its_task_is_delivered(self, kind):
        calls = []
        job = kind(lambda job, progress: calls.append(job.pk) or registry.Outcome("ok"))
        assert runner.run(job.pk) == "succeeded"
        assert runner.run(job.pk) == "skipped"
        assert calls == [job.pk]
        job.refresh_from_db()
        assert (job.state, job.attempts, job.report["summary"]) == ("succeeded", 1, "ok")
        assert job.started_at <= job.finished_at

    def test_progress_and_problems_end_in_the_report(self, kind):
        def work(job, progress):
            progress.update(1, 2)
            progress.problem("a.md", "no title")
            progress.update(2, 2)
            return registry.Outcome("2 things", failed=1)

        job = kind(work)
        assert runner.run(job.pk) == "failed"
        job.refresh_from_db()
        assert (job.done, job.total) == (2, 2)
        assert job.error == "1 of 2 things failed"
        assert job.report["problems"] == [["a.md", "no title"]]

    def test_a_job_error_is_the_reason(self, kind):
        def work(job, progress):
            raise registry.JobError("the upload is gone")

        job = kind(work)
        assert runner.run(job.pk) == "failed"
        job.refresh_from_db()
        assert job.error == "the upload is gone"

    def test_an_unexpected_error_fails_the_job_and_reaches_the_task(self, kind):
        def work(job, progress):
            raise RuntimeError("boom")

        job = kind(work)
        with pytest.raises(RuntimeError):
            runner.run(job.pk)
        job.refresh_from_db()
        assert (job.state, job.error) == ("failed", "unexpected error: RuntimeError: boom")

    def test_a_worker_stopped_mid_job_marks_it_failed_on_the_way_out(self, kind):
        def work(job, progress):
            raise SystemExit(1)  # what db_worker does on a second Ctrl-C or SIGTERM

        job = kind(work)
        with pytest.raises(SystemExit):
            runner.run(job.pk)
        job.refresh_from_db()
        assert job.state == "failed"
        assert job.error.startswith("the worker was stopped while the job ran")

    def test_a_kind_nobody_installed_fails_with_its_name(self):
        job = Job.objects.create(kind="recluster")
        assert runner.run(job.pk) == "failed"
        job.refresh_from_db()
        assert job.error == "no job kind called 'recluster' is installed"


@pytest.mark.django_db(transaction=True)
class TestHeartbeat:
    def test_a_running_job_beats_while_its_work_is_busy(self, kind, settings):
        settings.JOBS_HEARTBEAT_SECONDS = 0.05
        beats = []

        def work(job, progress):
            started = Job.objects.get(pk=job.pk).heartbeat_at
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline and not beats:
                time.sleep(0.05)
                if Job.objects.get(pk=job.pk).heartbeat_at > started:
                    beats.append(True)
            return registry.Outcome("ok")

        job = kind(work)
        assert runner.run(job.pk) == "succeeded"
        assert beats, "no heartbeat was written while the work ran"


def running(worker, heartbeat_age):
    return Job.objects.create(
        kind="import_articles",
        state="running",
        worker=worker,
        heartbeat_at=timezone.now() - dt.timedelta(seconds=heartbeat_age),
    )


class TestStaleJobs:
    def test_a_silent_worker_elsewhere_is_given_up_after_the_timeout(self, settings):
        settings.JOBS_STALE_SECONDS = 60
        silent = running("other-host:41", heartbeat_age=61)
        beating = running("other-host:42", heartbeat_age=5)
        assert fail_stale_jobs() == 1
        silent.refresh_from_db()
        assert silent.state == "failed"
        assert silent.error.startswith("the worker (other-host:41) has not been heard from since")
        assert Job.objects.get(pk=beating.pk).state == "running"

    def test_a_dead_worker_on_this_machine_is_given_up_at_once(self):
        gone = subprocess.Popen(["true"])
        gone.wait()
        worker = f"{socket.gethostname()}:{gone.pid}"
        job = running(worker, heartbeat_age=0)
        assert fail_stale_jobs() == 1
        job.refresh_from_db()
        assert job.error == f"the worker ({worker}) stopped while the job ran; run it again"

    def test_a_live_worker_on_this_machine_is_left_running_however_quiet(self, settings):
        """A long SQLite transaction can hold its beats back; the process is what counts."""
        settings.JOBS_STALE_SECONDS = 1
        job = running(f"{socket.gethostname()}:{os.getpid()}", heartbeat_age=3600)
        assert fail_stale_jobs() == 0
        assert Job.objects.get(pk=job.pk).state == "running"

    def test_the_jobs_page_never_shows_a_dead_job_running(self, editor_client, settings):
        settings.JOBS_STALE_SECONDS = 60
        job = running("other-host:41", heartbeat_age=600)
        page = editor_client.get("/admin/jobs/job/").content.decode()
        assert 'data-job-state="failed"' in page
        assert Job.objects.get(pk=job.pk).state == "failed"
