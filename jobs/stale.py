"""Jobs whose worker died end failed, never "running" forever.

A running job is given up when its worker ran on this machine and that process is
gone, or when its heartbeat is older than ``JOBS_STALE_SECONDS`` and the worker
is not a live process here. Such a job is marked failed (not retried by itself:
an editor may run it again from the jobs page, and an import is safe to re-run).
Called wherever jobs are shown and before every job starts.
"""

import datetime as dt
import os
import socket

from django.apps import apps
from django.utils import timezone

from .conf import stale_seconds
from .models import Job


def worker_name():
    """How a job records the worker running it: ``host:pid``."""
    return f"{socket.gethostname()}:{os.getpid()}"


def fail_stale_jobs(now=None):
    """Mark running jobs whose worker is gone as failed; return how many."""
    now = now or timezone.now()
    silent_since = now - dt.timedelta(seconds=stale_seconds())
    marked = 0
    running = Job.objects.filter(state=Job.State.RUNNING).only(
        "pk", "worker", "heartbeat_at", "task_id"
    )
    for job in running:
        alive = local_process_alive(job.worker)
        if alive is False:
            reason = f"the worker ({job.worker}) stopped while the job ran"
        elif alive is None and (job.heartbeat_at is None or job.heartbeat_at < silent_since):
            reason = (
                f"the worker ({job.worker or 'unknown'}) has not been heard from since "
                f"{timezone.localtime(job.heartbeat_at):%Y-%m-%d %H:%M:%S %Z}"
                if job.heartbeat_at
                else "the worker never reported"
            )
        else:
            continue
        # Only if nothing changed since we looked: a live worker's beat wins.
        if Job.objects.filter(
            pk=job.pk, state=Job.State.RUNNING, heartbeat_at=job.heartbeat_at
        ).update(state=Job.State.FAILED, finished_at=now, error=reason + "; run it again"):
            marked += 1
            fail_task_result(job.task_id, now, reason)
    return marked


def local_process_alive(worker):
    """True or False for a worker on this machine; None when it runs elsewhere."""
    host, _, pid = worker.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return None
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def fail_task_result(task_id, now, reason):
    """The database backend's own row says the same, so no tool shows it running."""
    if not apps.is_installed("django_tasks_db"):
        return
    from django_tasks_db.models import DBTaskResult

    if task_id:
        DBTaskResult.objects.filter(id=task_id, status="RUNNING").update(
            status="FAILED",
            finished_at=now,
            exception_class_path="jobs.stale.WorkerLost",
            traceback=reason,
        )
