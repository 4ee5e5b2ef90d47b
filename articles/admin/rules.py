"""Rules in the admin: the ordered list with each rule's hits, the form that refuses
patterns RE2 cannot run, the preview shown after every save, explicit switching on,
and "apply to existing stories"."""

from django.contrib import admin, messages
from django.db.models import Max, OuterRef, Subquery
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from jobs.launch import start_job

from ..models import Rule, RuleHit
from ..rules import apply
from .a11y import LabelledListEditMixin
from .counts import row_count


def _rules(count):
    return "rule" if count == 1 else "rules"


@admin.action(permissions=["change"], description="Switch on selected rules")
def enable_rules(modeladmin, request, queryset):
    changed = queryset.filter(enabled=False).update(enabled=True)
    modeladmin.message_user(request, f"Switched on {changed} {_rules(changed)}.")


@admin.action(permissions=["change"], description="Switch off selected rules")
def disable_rules(modeladmin, request, queryset):
    changed = queryset.filter(enabled=True).update(enabled=False)
    modeladmin.message_user(request, f"Switched off {changed} {_rules(changed)}.")


@admin.action(permissions=["change"], description="Apply selected rules to existing stories")
def apply_to_existing(modeladmin, request, queryset):
    """Queued as a background job (articles/job_kinds.py): it reads every stored story."""
    rule_ids = list(queryset.order_by("position", "id").values_list("pk", flat=True))
    job = start_job("apply_rules", request.user, options={"rule_ids": rule_ids})
    modeladmin.message_user(
        request,
        format_html(
            'Applying {} {} to stored stories in the background: <a href="{}">follow the job</a>.',
            len(rule_ids),
            _rules(len(rule_ids)),
            reverse("admin:jobs_job_change", args=[job.pk]),
        ),
        messages.SUCCESS,
    )


@admin.register(Rule)
class RuleAdmin(LabelledListEditMixin, admin.ModelAdmin):
    list_display = ["position", "name", "enabled", "action_shown", "hit_count", "last_hit"]
    list_display_links = ["name"]
    list_editable = ["position"]
    list_filter = ["enabled", "action"]
    search_fields = ["name", "note"]
    ordering = ["position", "id"]
    actions = [enable_rules, disable_rules, apply_to_existing]
    autocomplete_fields = ["topic", "action_topic"]
    fieldsets = [
        (None, {"fields": ["name", "position", "enabled", "note"]}),
        (
            "Conditions (every one filled in must hold)",
            {
                "fields": [
                    "outlet_domain",
                    "topic",
                    ("quality_min", "quality_max"),
                    ("heat_min", "heat_max"),
                    "title_pattern",
                    "excerpt_pattern",
                    "url_pattern",
                    "unless_pattern",
                ]
            },
        ),
        ("Action", {"fields": ["action", "action_quality", "action_topic"]}),
    ]

    def get_queryset(self, request):
        hits = RuleHit.objects.filter(rule=OuterRef("pk"))
        last = hits.order_by().values("rule").annotate(last=Max("at")).values("last")
        return (
            super()
            .get_queryset(request)
            .select_related("action_topic")
            .annotate(hit_count=row_count(hits), last_hit=Subquery(last))
        )

    @admin.display(description="action")
    def action_shown(self, rule):
        return rule.action_detail()

    @admin.display(description="hits", ordering="hit_count")
    def hit_count(self, rule):
        return rule.hit_count

    @admin.display(description="last hit", ordering="last_hit")
    def last_hit(self, rule):
        return rule.last_hit or "never"

    def change_view(self, request, object_id, form_url="", extra_context=None):
        rule = self.get_object(request, object_id)
        extra = {"preview": apply.preview(rule)} if rule is not None else {}
        return super().change_view(request, object_id, form_url, {**extra, **(extra_context or {})})

    def response_add(self, request, obj, post_url_continue=None):
        return self._back_to_preview(request, obj) or super().response_add(request, obj)

    def response_change(self, request, obj):
        return self._back_to_preview(request, obj) or super().response_change(request, obj)

    def _back_to_preview(self, request, rule):
        """A plain Save comes back to the rule, where the preview shows what it matches."""
        if "_addanother" in request.POST or "_saveasnew" in request.POST:
            return None
        state = (
            "on: it acts on imported stories"
            if rule.enabled
            else ("off: check the preview, then tick “Enabled” to let it act on imports")
        )
        self.message_user(request, f"Saved “{rule}”. It is switched {state}.", messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:articles_rule_change", args=[rule.pk]))


def rule_hits_html(hits):
    """A story's rule hits for its admin page: rule (linked), action, time, how."""
    rows = [
        (
            reverse("admin:articles_rule_change", args=[hit.rule_id]),
            hit.rule.name,
            hit.detail,
            hit.at.strftime("%Y-%m-%d %H:%M"),
            hit.get_via_display().lower(),
        )
        for hit in hits
    ]
    if not rows:
        return "No rule has acted on this story."
    return format_html(
        "<ul>{}</ul>",
        format_html_join("", '<li><a href="{}">{}</a>: {} ({}, {})</li>', rows),
    )
