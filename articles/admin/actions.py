"""Bulk actions on the story list: thin wrappers over ``articles.publishing``."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers, widgets
from django.core.exceptions import ValidationError
from django.template.response import TemplateResponse

from .. import publishing, validators


def _report(modeladmin, request, changed, selected, done, already):
    text = f"{done} {changed} {_stories(changed)}."
    unchanged = selected - changed
    if unchanged:
        text += f" {unchanged} {'was' if unchanged == 1 else 'were'} already {already}."
    modeladmin.message_user(request, text, messages.SUCCESS)


def _stories(count):
    return "story" if count == 1 else "stories"


@admin.action(permissions=["change"], description="Publish selected stories")
def publish_selected(modeladmin, request, queryset):
    changed = publishing.publish(queryset, request.user)
    _report(modeladmin, request, changed, queryset.count(), "Published", "published")


@admin.action(permissions=["change"], description="Unpublish selected stories")
def unpublish_selected(modeladmin, request, queryset):
    changed = publishing.unpublish(queryset, request.user)
    _report(modeladmin, request, changed, queryset.count(), "Unpublished", "unpublished")


@admin.action(permissions=["change"], description="Hold selected stories")
def hold_selected(modeladmin, request, queryset):
    changed = publishing.hold(queryset, request.user)
    _report(modeladmin, request, changed, queryset.count(), "Held", "held")


@admin.action(permissions=["change"], description="Reject selected stories (junk)")
def reject_selected(modeladmin, request, queryset):
    changed = publishing.reject(queryset, request.user)
    _report(modeladmin, request, changed, queryset.count(), "Rejected", "rejected")


class QualityForm(forms.Form):
    quality = validators.QUALITY.form_field(
        required=False,
        help_text="Leave empty to clear the score. Readers sorting by quality see higher first.",
    )


@admin.action(permissions=["change"], description="Set quality of selected stories…")
def set_quality(modeladmin, request, queryset):
    """Ask for the score on an intermediate page, then apply it to every selected story."""
    form = QualityForm(request.POST if "apply" in request.POST else None)
    if form.is_valid():
        quality = form.cleaned_data["quality"]
        changed = publishing.set_quality(queryset, request.user, quality)
        shown = "empty" if quality is None else quality
        _report(
            modeladmin,
            request,
            changed,
            queryset.count(),
            f"Set quality to {shown} on",
            f"at {shown}",
        )
        return None
    return _ask(modeladmin, request, queryset, form, "Set quality", "set_quality", "set_quality")


class ScheduleForm(forms.Form):
    publish_at = forms.SplitDateTimeField(
        required=False,
        label="Publish at",
        widget=widgets.AdminSplitDateTime,
        help_text="Embargo: published stories stay off the public site until then.",
    )
    unpublish_at = forms.SplitDateTimeField(
        required=False,
        label="Unpublish at",
        widget=widgets.AdminSplitDateTime,
        help_text="Published stories leave the public site then.",
    )

    def clean(self):
        values = super().clean()
        try:
            validators.check_schedule(values.get("publish_at"), values.get("unpublish_at"))
        except ValidationError as error:
            self.add_error(None, error)
        return values


@admin.action(permissions=["change"], description="Schedule selected stories…")
def schedule_selected(modeladmin, request, queryset):
    """Ask for the public window on an intermediate page, then set it on every selected story."""
    form = ScheduleForm(request.POST if "apply" in request.POST else None)
    if form.is_valid():
        window = form.cleaned_data
        changed = publishing.schedule(
            queryset, request.user, window["publish_at"], window["unpublish_at"]
        )
        _report(modeladmin, request, changed, queryset.count(), "Scheduled", "on that schedule")
        return None
    return _ask(modeladmin, request, queryset, form, "Schedule", "schedule_selected", "schedule")


def _ask(modeladmin, request, queryset, form, title, action, template):
    """The intermediate page asking for the action's values (templates/admin/.../bulk_form.html)."""
    count = queryset.count()
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": title,
        "subtitle": f"{count} {_stories(count)} selected",
        "opts": modeladmin.opts,
        "form": form,
        "action": action,
        "count": count,
        "sample": queryset.prefetch_related(None).only("pk", "title")[:10],
        "selected": request.POST.getlist(helpers.ACTION_CHECKBOX_NAME),
        "select_across": request.POST.get("select_across", "0"),
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "media": modeladmin.media + form.media,
    }
    return TemplateResponse(request, f"admin/articles/article/{template}.html", context)
