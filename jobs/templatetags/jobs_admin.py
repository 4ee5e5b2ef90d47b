"""``{% jobs_dashboard %}``: the running, queued and recently failed jobs, on the admin index."""

import datetime as dt

from django import template
from django.urls import reverse
from django.utils import timezone

from .. import display, registry
from ..models import Job
from ..stale import fail_stale_jobs

register = template.Library()

SHOWN = 5
FAILED_DAYS = 7
WORKER_HINT_AFTER = dt.timedelta(minutes=1)


@register.inclusion_tag("admin/jobs/dashboard.html", takes_context=True)
def jobs_dashboard(context):
    if not context["request"].user.has_perm("jobs.view_job"):
        return {"shown": False}
    fail_stale_jobs()
    now = timezone.now()
    jobs = Job.objects.defer("report").select_related("created_by")
    active = list(jobs.filter(state__in=[Job.State.QUEUED, Job.State.RUNNING])[:SHOWN])
    failed = list(
        jobs.filter(
            state=Job.State.FAILED, finished_at__gte=now - dt.timedelta(days=FAILED_DAYS)
        ).order_by("-finished_at")[:SHOWN]
    )
    status_url = reverse("admin:jobs_job_status")
    rows = [
        {
            "job": job,
            "label": registry.label(job.kind),
            "state": display.state_html(job, status_url),
            "progress": display.field_html(job, "progress", display.progress_text(job)),
            "result": display.field_html(job, "result", job.error),
        }
        for job in active + failed
    ]
    waiting = any(
        job.state == Job.State.QUEUED and now - job.created_at > WORKER_HINT_AFTER for job in active
    )
    return {"shown": True, "rows": rows, "waiting_for_worker": waiting, "failed_days": FAILED_DAYS}
