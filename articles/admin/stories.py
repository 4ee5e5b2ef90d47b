import unicodedata

from django import forms
from django.contrib import admin
from django.contrib.admin.views.main import ChangeList
from django.db.models import F
from django.template.defaultfilters import truncatechars

from ..clusters.assign import cluster_new_stories, cluster_rewritten
from ..models import Article, ArticleImage, RelatedLink, RuleHit
from ..paging import CappedQuerySetPaginator
from ..review_states import record_editor_change
from ..search import search_articles
from . import actions, clusters, editorial, queue, versions
from .a11y import LabelledListEditMixin, LabelledTabularInline
from .filters import (
    HeatBandFilter,
    OutletFilter,
    QualityBandFilter,
    ScheduleFilter,
    TopicFilter,
    TypeFilter,
)
from .listedit import SafeListEditMixin
from .listquery import PlainListErrors, check_date_drilldown, check_search, search_too_long
from .rules import rule_hits_html
from .storyform import ArticleForm

# Import bookkeeping: what the last import read. Shown, never edited, so the
# importer can keep telling editors' changes from the files' own.
SOURCE_FIELDS = [
    "secured",
    "extra",
    "source_file",
    "content_hash",
    "imported_at",
    "imported_published",
    "imported_quality",
    "created_at",
    "updated_at",
]


class ArticleChangeList(ChangeList):
    # Long texts the list never shows: real bodies run to tens of kilobytes.
    UNSHOWN = ["body", "excerpt", "secured", "extra", "provider_data", "source_keys"]
    # Scores an editor sorts by; unscored stories go last either way, on every database
    # (PostgreSQL would put NULLs first in a descending sort, SQLite last).
    SCORES = {"quality", "heat"}

    def get_ordering(self, request, queryset):
        return [self._scored_first(field) for field in super().get_ordering(request, queryset)]

    def _scored_first(self, field):
        if isinstance(field, str) and field.removeprefix("-") in self.SCORES:
            score = F(field.removeprefix("-"))
            if field.startswith("-"):
                return score.desc(nulls_last=True)
            return score.asc(nulls_last=True)
        return field

    def get_filters(self, request):
        check_date_drilldown(self.params, self.date_hierarchy)
        check_search(self.query)
        return super().get_filters(request)

    def get_queryset(self, request, exclude_parameters=None):
        queryset = super().get_queryset(request, exclude_parameters)
        # The outlets come in a second query rather than a join: with a join,
        # SQLite's planner starts from the provider table under a filter or a
        # sort by quality and sorts every story (400 ms on 100,000 rows instead
        # of 8 ms). One more query per page, never one per row.
        return queryset.defer(*self.UNSHOWN).prefetch_related(
            *self.model_admin.list_prefetch_related
        )


class ArticleImageInline(LabelledTabularInline):
    model = ArticleImage
    fields = ["position", "url", "width", "height", "title", "attribution", "is_cached"]
    extra = 0


class RelatedLinkInline(LabelledTabularInline):
    model = RelatedLink
    fk_name = "article"
    fields = ["position", "title", "web_url", "target", "published_at", "quality"]
    autocomplete_fields = ["target"]
    extra = 0


TITLE_SHOWN = 120  # characters of a title in the list

TEXT_LINES = {
    "title": 2,
    "excerpt": 4,
    "original_url": 1,
    "amp_web_url": 1,
    "cdn_amp_web_url": 1,
}


@admin.register(Article)
class ArticleAdmin(PlainListErrors, LabelledListEditMixin, SafeListEditMixin, admin.ModelAdmin):
    form = ArticleForm
    list_display = [
        "title_short",
        "provider",
        "published_at",
        "quality",
        "heat",
        "published",
        clusters.coverage,
        editorial.shown_state,
    ]
    list_display_links = ["title_short"]
    list_editable = ["published", "quality"]
    list_filter = [
        "published",
        "review_state",
        ScheduleFilter,
        QualityBandFilter,
        HeatBandFilter,
        TypeFilter,
        ("provider", OutletFilter),
        TopicFilter,
        clusters.OtherCoverageFilter,
    ]
    list_select_related = ()  # Not joined but prefetched: see ArticleChangeList.
    list_prefetch_related = ["provider"]
    list_per_page = 100
    # Counting stops at 10,000 rows (past that the list says "about N", the
    # planner's estimate on PostgreSQL), and deep pages skip rows as bare ids:
    # the exact COUNT(*) cost 116–470 ms a page at a million stories. No second,
    # unfiltered count for "N total" either.
    paginator = CappedQuerySetPaginator
    show_full_result_count = False
    date_hierarchy = "published_at"
    ordering = ["-published_at", "-id"]
    search_fields = ["title", "excerpt", "provider__name"]
    search_help_text = "Every word must appear in the title, excerpt, outlet or a topic."
    actions = [
        actions.publish_selected,
        actions.unpublish_selected,
        actions.hold_selected,
        actions.reject_selected,
        actions.set_quality,
        actions.schedule_selected,
        editorial.pin_to_home,
        clusters.group_selected,
        clusters.split_selected,
    ]
    autocomplete_fields = ["provider", "topics"]
    inlines = [ArticleImageInline, RelatedLinkInline, editorial.CorrectionInline]
    readonly_fields = ["web_url", "decided_by", "rule_hits_shown", *SOURCE_FIELDS]
    fieldsets = [
        (
            "Editorial",
            {"fields": ["review_state", "quality", "title", "excerpt", "topics", "loaded_version"]},
        ),
        ("Schedule", {"fields": ["publish_at", "unpublish_at"]}),
        ("Review", {"fields": ["decided_by", "rule_hits_shown"]}),
        ("Story", {"fields": ["slug", "provider", "published_at", "type", "category", "heat"]}),
        ("Body", {"classes": ["collapse"], "fields": ["body"]}),
        (
            "Addresses",
            {
                "classes": ["collapse"],
                "fields": ["web_url", "original_url", "amp_web_url", "cdn_amp_web_url"],
            },
        ),
        ("Source (read-only)", {"classes": ["collapse"], "fields": SOURCE_FIELDS}),
    ]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        # Titles and addresses are TextFields (real ones run long) but read as lines.
        if db_field.name in TEXT_LINES:
            kwargs["widget"] = forms.Textarea(attrs={"rows": TEXT_LINES[db_field.name]})
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_urls(self):
        return queue.urls(self) + versions.urls(self) + super().get_urls()

    def save_model(self, request, obj, form, change):
        # Every editor's save is a decision: rules leave the story alone from now on.
        if not isinstance(form, self.get_changelist_form(request)):
            record_editor_change(obj, form.changed_data)
            # The form's topics and inlines are written after the row: its one version
            # is recorded once they are (save_related), not by simple-history's
            # signal nor by the topics' (history.topics_changed).
            obj.skip_history_when_saving = True
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if form.instance.__dict__.pop("skip_history_when_saving", None):  # not a list edit
            versions.record_form_version(request, form, formsets, change)
        if not change:
            # Every story is in a cluster: one added here joins its coverage (or starts
            # a cluster of one) now, as an imported one does, not at the next import.
            cluster_new_stories(article_ids=[form.instance.pk])
        elif any(formset.has_changed() for formset in formsets):
            # Its related items are part of its words; the row's own fields were
            # followed when it was saved (providers.signals).
            cluster_rewritten([form.instance.pk])

    def list_edit_also_saves(self, obj, changed):
        return record_editor_change(obj, changed)

    def history_view(self, request, object_id, extra_context=None):
        hits = RuleHit.objects.filter(article_id=object_id).select_related("rule")
        context = {"rule_hits": hits, **(extra_context or {})}
        return super().history_view(request, object_id, context)

    @admin.display(description="rule hits")
    def rule_hits_shown(self, article):
        hits = article.rule_hits.select_related("rule") if article.pk else []
        return rule_hits_html(hits)

    def get_changelist(self, request, **kwargs):
        return ArticleChangeList

    def get_readonly_fields(self, request, obj=None):
        # A story's address is its identity: set once, when it is added.
        fields = super().get_readonly_fields(request, obj)
        return fields if obj else [name for name in fields if name != "web_url"]

    def get_search_results(self, request, queryset, search_term):
        # The one search behind the site, the API and this list; it never
        # duplicates rows (topics are matched through EXISTS).
        # The list refuses a search too long with its reason (ArticleChangeList);
        # other callers (the related-story picker) simply find nothing.
        if search_too_long(search_term):
            return queryset.none(), False
        return search_articles(queryset, search_term), False

    @admin.display(description="title", ordering="title")
    def title_short(self, article):
        title = article.title
        # What truncatechars returns for a title that fits (its NFC form), without its
        # Truncator (a tenth of a page's rows' time).
        if len(title) <= TITLE_SHOWN and unicodedata.is_normalized("NFC", title):
            return title
        return truncatechars(title, TITLE_SHOWN)
