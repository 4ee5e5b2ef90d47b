"""The story admin's public controls: the shown state, corrections, featured slots.

``ArticleAdmin`` (stories.py) lists these; they live here so the story admin stays
one screen long. The Pin admin (the featured slots' own list) is at the end.
"""

from django import forms
from django.contrib import admin, messages
from django.db import models, transaction
from django.db.models import ExpressionWrapper, Max
from django.utils import timezone

from newsroom import pagecache

from ..models import PUBLIC_FIELDS, Correction, Pin
from ..pins import in_its_place

PIN_FIELDS = ("article", "topic", "position", "expires_at")


@admin.display(description="state", ordering="review_state")
def shown_state(article):
    """Waiting, published, held, rejected, or "Scheduled"/"Ended" by the story's times."""
    return article.shown_state()


class CorrectionInline(admin.StackedInline):
    """Corrections readers see on the story; the editor who adds one is recorded."""

    model = Correction
    fields = ["text", "created_at", "editor_name"]
    readonly_fields = ["editor_name"]
    extra = 0

    @admin.display(description="editor")
    def editor_name(self, correction):
        return correction.editor.get_username() if correction.editor_id else "—"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("editor")

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)

        class EditorRecordingFormSet(formset):
            def save_new(self, form, commit=True):
                form.instance.editor = request.user
                return super().save_new(form, commit)

        return EditorRecordingFormSet


@admin.action(permissions=["change"], description="Pin selected stories to the home page")
def pin_to_home(modeladmin, request, queryset):
    """Feature the stories on the home page, after those pinned there already."""
    already = set(Pin.objects.filter(topic=None).values_list("article_id", flat=True))
    last = Pin.objects.filter(topic=None).aggregate(last=Max("position"))["last"]
    start = 0 if last is None else last + 1
    new = [pk for pk in queryset.order_by().values_list("pk", flat=True) if pk not in already]
    Pin.objects.bulk_create(
        Pin(article_id=pk, topic=None, position=start + i) for i, pk in enumerate(new)
    )
    if new:
        # bulk_create sends no post_save: retire the cached pages once it commits.
        transaction.on_commit(pagecache.pages_changed)
    text = f"Pinned {len(new)} {'story' if len(new) == 1 else 'stories'} to the home page."
    if skipped := len(already & set(queryset.values_list("pk", flat=True))):
        text += f" {skipped} {'was' if skipped == 1 else 'were'} pinned there already."
    modeladmin.message_user(request, text, messages.SUCCESS)


class PinForm(forms.ModelForm):
    class Meta:
        model = Pin
        fields = ["article", "topic", "position", "expires_at"]

    def clean(self):
        cleaned = super().clean()
        article, topic = cleaned.get("article"), cleaned.get("topic")
        if article is not None and topic is not None and not article.topics.filter(pk=topic.pk):
            # Its topic page would never show it (pins.in_its_place): say so now.
            self.add_error(
                "topic",
                f"topic: the story “{article}” is not in the topic “{topic}”; add the "
                "topic to the story first, or choose one of its topics (or none: the home page).",
            )
        return cleaned


@admin.register(Pin)
class PinAdmin(admin.ModelAdmin):
    form = PinForm
    list_display = ["article", "place", "position", "expires_at", "showing"]
    list_display_links = ["article"]
    list_editable = ["position", "expires_at"]
    list_filter = [("topic", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["article", "topic"]
    list_per_page = 100
    show_full_result_count = False  # one COUNT a page, as the story list
    autocomplete_fields = ["article", "topic"]
    fields = ["article", "topic", "position", "expires_at"]
    search_fields = ["article__title"]

    def get_queryset(self, request):
        # The list shows the story's title and whether it is public, never its text.
        shown = ("title", *PUBLIC_FIELDS)
        return (
            super()
            .get_queryset(request)
            .only(*PIN_FIELDS, *(f"article__{name}" for name in shown), "topic__name")
            .annotate(in_place=ExpressionWrapper(in_its_place(), models.BooleanField()))
        )

    @admin.display(description="place", ordering="topic__name")
    def place(self, pin):
        return pin.place_name

    @admin.display(description="showing", boolean=True)
    def showing(self, pin):
        """Shown to readers now: not expired, in its place, and the story is public."""
        now = timezone.now()
        return pin.is_active(now) and pin.in_place and pin.article.is_public(now)
