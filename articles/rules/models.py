"""``articles.Rule`` and ``articles.RuleHit`` (imported by ``articles.models``)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone

from articles import validators

from .patterns import PatternError, compile_pattern


class Action(models.TextChoices):
    HOLD = "hold", "Hold"
    PUBLISH = "publish", "Publish"
    REJECT = "reject", "Reject"
    SET_QUALITY = "set_quality", "Set quality"
    ADD_TOPIC = "add_topic", "Add topic"


STATE_ACTIONS = (Action.HOLD, Action.PUBLISH, Action.REJECT)
"""Actions that decide a story's state: the first matching one wins."""

PATTERN_FIELDS = ("title_pattern", "excerpt_pattern", "url_pattern", "unless_pattern")


class Rule(models.Model):
    name = models.CharField(max_length=200)
    position = models.PositiveIntegerField(
        default=100, help_text="Rules run in this order, lowest first (ties: oldest first)."
    )
    enabled = models.BooleanField(
        default=False,
        help_text="Only enabled rules act on imported stories. Check the preview first.",
    )
    note = models.TextField(blank=True, help_text="Why the rule exists, for other editors.")
    # Conditions: every one that is filled in must hold.
    outlet_domain = models.CharField(
        max_length=253,
        blank=True,
        help_text="The outlet's domain, e.g. example.com (its subdomains match too).",
    )
    topic = models.ForeignKey(
        "articles.Topic",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Stories in this topic.",
    )
    quality_min = models.IntegerField(null=True, blank=True, validators=[validators.QUALITY])
    quality_max = models.IntegerField(null=True, blank=True, validators=[validators.QUALITY])
    heat_min = models.IntegerField(null=True, blank=True, validators=[validators.HEAT])
    heat_max = models.IntegerField(null=True, blank=True, validators=[validators.HEAT])
    title_pattern = models.TextField(
        blank=True, help_text="A regular expression (RE2 syntax, case-insensitive) on the title."
    )
    excerpt_pattern = models.TextField(blank=True, help_text="The same, on the excerpt.")
    url_pattern = models.TextField(
        blank=True, help_text="The same, on the story's address (or its original address)."
    )
    unless_pattern = models.TextField(
        blank=True,
        help_text="Stories whose title or excerpt match this are left alone "
        "(RE2, case-insensitive): the way to say “not about AI”.",
    )
    # The one action.
    action = models.CharField(max_length=20, choices=Action.choices)
    action_quality = models.IntegerField(
        null=True,
        blank=True,
        validators=[validators.QUALITY],
        help_text="For “set quality”: the score to give (0 or more, as every score).",
    )
    action_topic = models.ForeignKey(
        "articles.Topic",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="For “add topic”: the topic to add.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["position", "id"]
        indexes = [models.Index(fields=["enabled", "position", "id"], name="rule_order_idx")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("admin:articles_rule_change", args=[self.pk])

    def clean(self):
        errors = {}
        for field in PATTERN_FIELDS:
            try:
                compile_pattern(getattr(self, field))
            except PatternError as error:
                errors[field] = str(error)
        for low, high in (("quality_min", "quality_max"), ("heat_min", "heat_max")):
            if None not in (getattr(self, low), getattr(self, high)) and getattr(
                self, low
            ) > getattr(self, high):
                errors[high] = "The maximum is below the minimum: no story could match."
        if not self.has_condition():
            errors["__all__"] = "Give at least one condition: without one, it matches every story."
        if self.action == Action.SET_QUALITY and self.action_quality is None:
            errors["action_quality"] = "“Set quality” needs the score to give."
        if self.action == Action.ADD_TOPIC and self.action_topic_id is None:
            errors["action_topic"] = "“Add topic” needs the topic to add."
        if errors:
            raise ValidationError(errors)

    def has_condition(self):
        return bool(
            self.outlet_domain
            or self.topic_id
            or any(getattr(self, f) for f in PATTERN_FIELDS)
            or any(
                getattr(self, f) is not None
                for f in ("quality_min", "quality_max", "heat_min", "heat_max")
            )
        )

    def action_detail(self):
        """The action as editors read it: "set quality to 0", "add topic AI"."""
        if self.action == Action.SET_QUALITY:
            return f"set quality to {self.action_quality}"
        if self.action == Action.ADD_TOPIC:
            return f"add topic {self.action_topic}"
        return self.get_action_display().lower()


class RuleHit(models.Model):
    """A rule acted on a story: at import, or when an editor applied it to stored stories."""

    class Via(models.TextChoices):
        IMPORT = "import", "Import"
        APPLY = "apply", "Applied to stored stories"

    rule = models.ForeignKey(Rule, on_delete=models.CASCADE, related_name="hits")
    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="rule_hits"
    )
    action = models.CharField(max_length=20, choices=Action.choices)
    detail = models.CharField(max_length=300, blank=True)
    via = models.CharField(max_length=10, choices=Via.choices)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["rule", "-at"], name="rule_hit_rule_idx"),
            models.Index(fields=["article", "-at"], name="rule_hit_article_idx"),
        ]

    def __str__(self):
        return f"{self.rule}: {self.detail or self.action}"
