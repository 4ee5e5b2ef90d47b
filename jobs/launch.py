"""Start a job, or run a failed one again: the row first, the task once it is committed."""

import logging

from django.db import transaction

from . import registry
from .models import Job, JobFile

logger = logging.getLogger(__name__)


def start_job(kind, user=None, options=None, files=()):
    """Queue a job of ``kind``; ``files`` are ``(name, bytes)`` pairs kept for its run."""
    registry.get(kind)
    with transaction.atomic():
        job = Job.objects.create(kind=kind, created_by=user, options=options or {})
        JobFile.objects.bulk_create(
            JobFile(job=job, name=name, size=len(data), data=data) for name, data in files
        )
        transaction.on_commit(lambda: enqueue(job.pk))
    return job


def retry_job(job):
    """Queue a failed job again with the same input; False if it is not failed."""
    with transaction.atomic():
        queued = Job.objects.filter(pk=job.pk, state=Job.State.FAILED).update(
            state=Job.State.QUEUED, error="", finished_at=None
        )
        if queued:
            transaction.on_commit(lambda: enqueue(job.pk))
    return bool(queued)


def enqueue(job_id):
    # Imported here: the task module needs the tasks framework configured.
    from .tasks import run_job

    try:
        result = run_job.enqueue(job_id)
    except Exception as error:
        logger.exception("job %s could not be queued", job_id)
        Job.objects.filter(pk=job_id).update(
            state=Job.State.FAILED, error=f"could not be queued: {error}"
        )
        return
    Job.objects.filter(pk=job_id).update(task_id=str(result.id))
