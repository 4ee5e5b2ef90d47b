"""A background job as editors see it: who started what, its state, progress and report.

The work itself runs as a Django task (``jobs.tasks.run_job``); this row is the
record the admin shows and the worker updates. Uploaded files live in
``JobFile`` rows, in the database, so a worker on another machine can read them.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from .registry import label


class Job(models.Model):
    class State(models.TextChoices):
        QUEUED = "queued", "queued"
        RUNNING = "running", "running"
        SUCCEEDED = "succeeded", "succeeded"
        FAILED = "failed", "failed"

    kind = models.CharField(max_length=40, help_text="What the job does (see jobs.registry).")
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Who started the job (empty for operators' commands and deleted users).",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(
        null=True, blank=True, help_text="Last sign of life from the worker running the job."
    )
    worker = models.CharField(
        max_length=200, blank=True, help_text="host:pid of the worker running the job."
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    options = models.JSONField(default=dict, blank=True)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(null=True, blank=True)
    report = models.JSONField(null=True, blank=True)
    error = models.TextField(blank=True, help_text="Why the job failed.")
    task_id = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["-created_at", "-id"], name="jobs_job_newest_idx"),
            models.Index(fields=["state", "created_at"], name="jobs_job_state_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=["queued", "running", "succeeded", "failed"]),
                name="jobs_job_state_valid",
            ),
        ]
        permissions = [
            ("import_articles", "Can import stories from uploaded files"),
            ("cache_images", "Can start the image cache"),
        ]

    def __str__(self):
        return f"{label(self.kind)} #{self.pk}"

    @property
    def is_finished(self):
        return self.state in {self.State.SUCCEEDED, self.State.FAILED}


class JobFile(models.Model):
    """One uploaded file (a zip or a seed file), kept until its job succeeds."""

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="files")
    name = models.CharField(max_length=255)
    size = models.PositiveBigIntegerField()
    data = models.BinaryField()

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return self.name
