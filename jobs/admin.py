"""The jobs page: every job with its state, progress and report; upload, start and re-run.

Nothing here does the work: views check the request, queue a job and return.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models.fields.json import KT
from django.http import HttpResponseNotAllowed, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.utils.html import format_html, format_html_join
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from . import display, registry
from .forms import CappedUploadHandler, ImportUploadForm
from .launch import retry_job, start_job
from .models import Job
from .stale import fail_stale_jobs
from .uploads import Limits

STATUS_IDS_MAX = 100
"""Jobs one status request may ask about (a page of the list)."""


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = [
        "id",
        "kind_label",
        "created_by",
        "created_at",
        "state_badge",
        "progress",
        "result",
    ]
    list_display_links = ["id", "kind_label"]
    list_filter = ["state", "kind"]
    list_select_related = ["created_by"]
    list_per_page = 50
    show_full_result_count = False
    fields = readonly_fields = [
        "kind_label",
        "state_badge",
        "created_by",
        "created_at",
        "started_at",
        "finished_at",
        "progress",
        "result",
        "options_text",
        "worker",
        "attempts",
        "problems_table",
    ]

    class Media:
        js = ["jobs/jobs.js"]

    def get_queryset(self, request):
        # The report can be long (one line per problem); the list needs its summary only.
        return super().get_queryset(request).defer("report").annotate(summary=KT("report__summary"))

    def has_add_permission(self, request):
        return False  # jobs are started by the upload form and the start buttons

    def has_change_permission(self, request, obj=None):
        return False

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("import/", wrap(self.import_view), name="jobs_job_import"),
            path("start/<str:kind>/", wrap(self.start_view), name="jobs_job_start"),
            path("status/", wrap(self.status_view), name="jobs_job_status"),
            path("<int:object_id>/retry/", wrap(self.retry_view), name="jobs_job_retry"),
            *super().get_urls(),
        ]

    # The pages

    def changelist_view(self, request, extra_context=None):
        fail_stale_jobs()
        extra_context = {
            **(extra_context or {}),
            "can_import": registry.get("import_articles").allowed(request.user),
            "startable": registry.startable(request.user),
        }
        return super().changelist_view(request, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        fail_stale_jobs()
        job = self.get_object(request, object_id)
        can_retry = bool(
            job and job.state == Job.State.FAILED and self._kind(job.kind).allowed(request.user)
        )
        extra_context = {**(extra_context or {}), "can_retry": can_retry}
        return super().change_view(request, object_id, form_url, extra_context)

    @method_decorator(csrf_exempt)  # csrf_protect below, once the upload handler is in place
    def import_view(self, request):
        kind = registry.get("import_articles")
        if not kind.allowed(request.user):
            raise PermissionDenied
        limits = Limits.from_settings()
        handler = CappedUploadHandler(request, limits.upload_bytes)
        request.upload_handlers.insert(0, handler)
        return csrf_protect(self._import_form)(request, kind, limits, handler)

    def _import_form(self, request, kind, limits, handler):
        if request.method == "POST":
            form = ImportUploadForm(
                request.POST, request.FILES, limits=limits, upload_handler=handler
            )
            if form.is_valid():
                options = {"dry_run": form.cleaned_data["dry_run"]}
                options["strict"] = form.cleaned_data["strict"]
                job = start_job(kind.name, request.user, options, form.uploads())
                self.message_user(
                    request,
                    f"{form.seed_files} files queued for import as job #{job.pk}; "
                    "this page follows it while a worker runs it.",
                    messages.SUCCESS,
                )
                return self._after_start(request, job)
        else:
            form = ImportUploadForm(limits=limits)
        context = {
            **self.admin_site.each_context(request),
            "title": "Import files",
            "opts": self.opts,
            "form": form,
            "limits": limits,
            "max_mib": limits.upload_bytes // (1024 * 1024),
        }
        return TemplateResponse(request, "admin/jobs/job/import_form.html", context)

    def start_view(self, request, kind):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        kind = self._kind(kind)
        if kind.needs_upload or not kind.allowed(request.user):
            raise PermissionDenied
        job = start_job(kind.name, request.user)
        self.message_user(request, f"{kind.label}: queued as job #{job.pk}.", messages.SUCCESS)
        return self._after_start(request, job)

    def retry_view(self, request, object_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        job = get_object_or_404(Job, pk=object_id)
        if not self._kind(job.kind).allowed(request.user):
            raise PermissionDenied
        if retry_job(job):
            self.message_user(request, f"Job #{job.pk} is queued again.", messages.SUCCESS)
        else:
            self.message_user(request, f"Job #{job.pk} has not failed.", messages.WARNING)
        return redirect(reverse("admin:jobs_job_change", args=[job.pk]))

    def status_view(self, request):
        """``?id=1&id=2``: those jobs' state, progress and result, for ``jobs.js``."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        ids = [
            int(value) for value in request.GET.getlist("id")[:STATUS_IDS_MAX] if value.isdigit()
        ]
        fail_stale_jobs()
        jobs = self.get_queryset(request).filter(pk__in=ids)
        response = JsonResponse({"jobs": [display.status(job, job.summary or "") for job in jobs]})
        response["Cache-Control"] = "no-store"
        return response

    def _after_start(self, request, job):
        if self.has_view_permission(request, job):
            return redirect(reverse("admin:jobs_job_change", args=[job.pk]))
        return redirect(reverse("admin:index"))

    def _kind(self, name):
        try:
            return registry.get(name)
        except registry.JobError:
            raise PermissionDenied from None

    # The columns and fields

    def _status_url(self):
        return reverse("admin:jobs_job_status")

    @admin.display(description="job", ordering="kind")
    def kind_label(self, job):
        return registry.label(job.kind)

    @admin.display(description="state", ordering="state")
    def state_badge(self, job):
        return display.state_html(job, self._status_url())

    @admin.display(description="progress")
    def progress(self, job):
        return display.field_html(job, "progress", display.progress_text(job))

    @admin.display(description="result")
    def result(self, job):
        summary = job.summary or ""  # annotated by get_queryset: the report stays unread
        return display.field_html(job, "result", display.result_text(job, summary))

    @admin.display(description="options")
    def options_text(self, job):
        chosen = [name.replace("_", " ") for name, value in sorted(job.options.items()) if value]
        return ", ".join(chosen) or "—"

    @admin.display(description="report, file by file")
    def problems_table(self, job):
        report = job.report or {}
        problems = report.get("problems") or []
        if not problems:
            return "No problems." if job.is_finished else "—"
        rows = format_html_join("", "<tr><td>{}</td><td>{}</td></tr>", problems)
        more = report.get("more_problems")
        tail = format_html("<p>…and {} more.</p>", more) if more else ""
        return format_html(
            '<table class="job-problems"><thead><tr><th>file</th><th>problem</th></tr></thead>'
            "<tbody>{}</tbody></table>{}",
            rows,
            tail,
        )
