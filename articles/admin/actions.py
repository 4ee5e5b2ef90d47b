"""Bulk actions on the story list: thin wrappers over ``articles.publishing``."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
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
    count = queryset.count()
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": "Set quality",
        "subtitle": f"{count} {_stories(count)} selected",
        "opts": modeladmin.opts,
        "form": form,
        "count": count,
        "sample": queryset.prefetch_related(None).only("pk", "title")[:10],
        "selected": request.POST.getlist(helpers.ACTION_CHECKBOX_NAME),
        "select_across": request.POST.get("select_across", "0"),
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "media": modeladmin.media,
    }
    return TemplateResponse(request, "admin/articles/article/set_quality.html", context)
