"""How a job reads to editors, one wording for the jobs page, its live updates and the dashboard."""

from django.utils.html import format_html

from . import registry


def progress_text(job):
    unit = _unit(job.kind)
    if job.total is None:
        return "" if job.state == job.State.QUEUED else f"{job.done} {unit} done"
    return f"{job.done} of {job.total} {unit}"


def result_text(job, summary=None):
    """The reason for a failed job, the summary line for a finished one."""
    summary = summary if summary is not None else (job.report or {}).get("summary", "")
    if job.options.get("dry_run") and summary:
        summary = f"Check only, nothing written: {summary}"
    if job.state == job.State.FAILED:
        return f"{job.error} ({summary})" if summary else job.error
    return summary or ""


def state_html(job, status_url):
    """The state, marked up for ``jobs.js`` to follow while the job is unfinished."""
    return format_html(
        '<span class="job-state job-state-{state}" data-job-id="{id}" data-job-field="state"'
        ' data-job-state="{state}" data-status-url="{url}">{label}</span>',
        state=job.state,
        id=job.pk,
        url=status_url,
        label=job.get_state_display(),
    )


def field_html(job, field, text):
    return format_html('<span data-job-id="{}" data-job-field="{}">{}</span>', job.pk, field, text)


def status(job, summary=None):
    """What ``jobs.js`` needs to bring a row up to date."""
    return {
        "id": job.pk,
        "state": job.state,
        "state_label": job.get_state_display(),
        "progress": progress_text(job),
        "result": result_text(job, summary),
        "finished": job.is_finished,
    }


def _unit(kind):
    try:
        return registry.get(kind).unit
    except registry.JobError:
        return "items"
