from django.db import models
from django.db.models import OuterRef, Q
from django.db.models.functions import Lower

from articles import validators
from articles.models import carries_public_story, public_by_rule
from newsroom.reversing import quick_reverse

from .logos import remote_images


class ProviderQuerySet(models.QuerySet):
    def public(self, now=None):
        """Outlets the public may see: defined by their own file, or carrying a public story."""
        rule = ~Q(source_file="") | carries_public_story(now, provider=OuterRef("pk"))
        return public_by_rule(self, rule)


class Provider(models.Model):
    """A news outlet. ``domain`` is the natural key: stored lower-case, unique."""

    domain = models.CharField(
        max_length=253,
        unique=True,
        validators=[validators.validate_domain],
        help_text="The outlet's domain, lower-case (e.g. bbc.com). Used in its public page URL.",
    )
    name = models.TextField(
        validators=[validators.provider_name], help_text="Shown on every story from this outlet."
    )
    description = models.TextField(blank=True)
    source_images = models.JSONField(
        default=list,
        blank=True,
        help_text="Logo images as the source files give them (kept for a lossless export).",
    )
    logo = models.ImageField(
        upload_to="providers/logos/",
        blank=True,
        help_text="An uploaded logo; pages prefer it over the source's remote images.",
    )
    # A local copy of the largest source image, made by `manage.py cache_images`;
    # kept beside source_images, which stay exactly as the source gave them.
    cached_logo = models.ImageField(upload_to="images/", blank=True, editable=False)
    cached_logo_url = models.TextField(
        blank=True, editable=False, help_text="The source image the local copy was made from."
    )
    cached_logo_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    cached_logo_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    cached_logo_at = models.DateTimeField(null=True, blank=True, editable=False)
    cached_logo_error = models.TextField(
        blank=True, editable=False, help_text="Why the last attempt to copy the logo failed."
    )
    extra = models.JSONField(
        default=dict, blank=True, help_text="Keys of the organization file the model does not know."
    )
    source_file = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProviderQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["name"], name="provider_name_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(domain=Lower("domain")), name="provider_domain_lowercase"
            ),
        ]

    def __str__(self):
        return self.name or self.domain

    def save(self, *args, **kwargs):
        self.domain = validators.normalise_domain(self.domain)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return quick_reverse("providers:detail", self.domain)

    def remote_logo_images(self):
        """The source's logo images that have an absolute http(s) URL, in source order."""
        return remote_images(self.source_images)


class OutletFigures(models.Model):
    """An outlet's scorecard figures over all its stories, stored so the admin's list of
    outlets reads and sorts them instead of counting every story per request.

    ``providers.figures`` keeps them right: a change marks the outlets it touches
    stale and a background task recounts them. Each figure's rule is
    ``articles.clusters.scorecards``'; these are that count's results.
    """

    provider = models.OneToOneField(
        Provider, primary_key=True, on_delete=models.CASCADE, related_name="figures"
    )
    story_total = models.PositiveIntegerField(default=0)
    published_total = models.PositiveIntegerField(default=0)
    active_weeks = models.PositiveIntegerField(default=0)
    stories_per_week = models.FloatField(null=True)
    published_share = models.FloatField(null=True)
    mean_quality = models.FloatField(null=True)
    first_reports = models.PositiveIntegerField(default=0)
    repeats = models.PositiveIntegerField(default=0)
    last_story_at = models.DateTimeField(null=True)
    counted_at = models.DateTimeField(null=True, help_text="When the figures were counted.")
    stale_since = models.DateTimeField(
        null=True, help_text="The first change since the count: the figures await a recount."
    )
    valid_until = models.DateTimeField(
        null=True,
        help_text="The next scheduled publish or unpublish time of a story: the share "
        "published changes then by itself.",
    )

    class Meta:
        verbose_name_plural = "outlet figures"
        indexes = [
            models.Index(fields=[name, "provider"], name=f"outlet_{short}_idx")
            for name, short in (
                ("story_total", "stories"),
                ("published_total", "published"),
                ("stories_per_week", "per_week"),
                ("published_share", "share"),
                ("mean_quality", "quality"),
                ("first_reports", "firsts"),
                ("repeats", "repeats"),
            )
        ] + [models.Index(fields=["stale_since"], name="outlet_stale_idx")]

    def __str__(self):
        return f"figures of {self.provider_id}"
