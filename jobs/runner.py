"""One job's life in the worker: claim it, run its kind, record how it ended.

Guarantees: a job runs only from "queued" (a task delivered twice runs once); it
ends "succeeded" or "failed" with a reason, whatever the work raised; a worker
stopped mid-job marks it failed on the way out, and one killed outright is
caught by ``stale.fail_stale_jobs``.
"""

import logging

from django.db.models import F
from django.utils import timezone

from . import registry
from .conf import heartbeat_seconds
from .models import Job
from .progress import Heartbeat, Progress
from .stale import fail_stale_jobs, worker_name

logger = logging.getLogger(__name__)


def run(job_id):
    """Run the queued job ``job_id``; return the state it ended in."""
    fail_stale_jobs()
    now = timezone.now()
    claimed = Job.objects.filter(pk=job_id, state=Job.State.QUEUED).update(
        state=Job.State.RUNNING,
        started_at=now,
        heartbeat_at=now,
        finished_at=None,
        worker=worker_name(),
        attempts=F("attempts") + 1,
        done=0,
        total=None,
        report=None,
        error="",
    )
    if not claimed:
        logger.info("job %s is not queued (any more); nothing to do", job_id)
        return "skipped"
    job = Job.objects.get(pk=job_id)
    progress = Progress(job.pk, heartbeat_seconds())
    try:
        kind = registry.get(job.kind)
        with Heartbeat(job.pk, progress, heartbeat_seconds()):
            outcome = kind.run(job, progress)
    except registry.JobError as error:
        return finish(job, progress, error=str(error))
    except Exception as error:
        logger.exception("job %s (%s) failed", job.pk, job.kind)
        finish(job, progress, error=f"unexpected error: {type(error).__name__}: {error}")
        raise
    except BaseException:
        finish(job, progress, error="the worker was stopped while the job ran; run it again")
        raise
    error = ""
    if outcome.failed:
        of_total = f" of {progress.total}" if progress.total else ""
        error = f"{outcome.failed}{of_total} {kind.unit} failed"
    return finish(job, progress, outcome=outcome, error=error)


def finish(job, progress, *, outcome=None, error=""):
    report = {"problems": progress.problems, "more_problems": progress.more_problems}
    if outcome is not None:
        report.update(summary=outcome.summary, **outcome.details)
    state = Job.State.FAILED if error else Job.State.SUCCEEDED
    Job.objects.filter(pk=job.pk).update(
        state=state,
        finished_at=timezone.now(),
        heartbeat_at=timezone.now(),
        done=progress.done,
        total=progress.total,
        report=report,
        error=error,
    )
    if state == Job.State.SUCCEEDED:
        job.files.all().delete()  # the upload is no longer needed to run it again
    return state
