"""Cluster review in the admin: one page per story as several outlets reported it.

The logic lives in ``articles.clusters.editing``; this module only wires it in.
"""

from django import forms
from django.contrib import admin, messages
from django.db.models import Count, Exists, Min, OuterRef, Subquery
from django.urls import reverse
from django.utils.html import format_html

from newsroom.reversing import quick_reverse

from ..clusters import editing
from ..clusters.outlets import outlet_count
from ..models import Article, Cluster
from .counts import annotated_column, row_count
from .filters import BandFilter


def outlets_label(count):
    return f"{count} outlet" if count == 1 else f"{count or 0} outlets"


_other_stories = Exists(
    Article.objects.filter(cluster=OuterRef("cluster")).exclude(pk=OuterRef("pk"))
)


class OtherCoverageFilter(BandFilter):
    title = "other coverage"
    parameter_name = "coverage"
    bands = {
        "yes": ("Reported by other outlets too", _other_stories),
        "no": ("Only this story", ~_other_stories),
    }


@admin.display(description="coverage", ordering="coverage")
def coverage(article):
    """The story list's column: the cluster's outlet count (``Article.coverage``, see
    ``clusters.outlets``), linking to the cluster page."""
    if article.cluster_id is None:
        return "—"
    url = quick_reverse("admin:articles_cluster_change", article.cluster_id)
    return format_html('<a href="{}">{}</a>', url, outlets_label(article.coverage))


@admin.action(permissions=["change"], description="Put selected stories in one cluster")
def group_selected(modeladmin, request, queryset):
    """Into the largest of their clusters: selecting a story and one of another cluster's
    stories moves it there."""
    sizes = (
        Article.objects.filter(pk__in=queryset.values("pk"))
        .exclude(cluster=None)
        .values("cluster")
        .annotate(n=Count("pk"))
        .order_by("-n", "cluster")
    )
    first = sizes.first()
    if first is None:
        cluster, count = editing.split_off(queryset, request.user)
    else:
        cluster = Cluster.objects.get(pk=first["cluster"])
        count = editing.move_to(queryset, cluster, request.user)
    modeladmin.message_user(
        request, f"{count} stories are now in cluster {cluster.pk}.", messages.SUCCESS
    )


@admin.action(permissions=["change"], description="Split selected stories off into a new cluster")
def split_selected(modeladmin, request, queryset):
    cluster, count = editing.split_off(queryset, request.user)
    modeladmin.message_user(
        request, f"{count} stories split off into cluster {cluster.pk}.", messages.SUCCESS
    )


class ClusterStoryInline(admin.TabularInline):
    """The cluster's stories with outlet, time, quality and state (read-only here)."""

    model = Article
    fk_name = "cluster"
    fields = ["story", "provider", "published_at", "quality", "published"]
    readonly_fields = fields
    extra = 0
    max_num = 0
    can_delete = False
    show_change_link = False
    verbose_name = "story"
    verbose_name_plural = "stories in this cluster"

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("provider")
            .only("title", "published_at", "quality", "published", "cluster", "provider__name")
            .order_by("published_at", "pk")
        )

    @admin.display(description="story")
    def story(self, article):
        url = reverse("admin:articles_article_change", args=[article.pk])
        return format_html('<a href="{}">{}</a>', url, article.title)


class ClusterForm(forms.ModelForm):
    class Meta:
        model = Cluster
        fields = ["lead"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        lead = self.fields["lead"]
        lead.queryset = Article.objects.filter(cluster=self.instance).select_related("provider")
        lead.label_from_instance = lambda a: f"{a.title} — {a.provider.name}"
        lead.help_text = (
            "The version readers see first. Choosing one keeps it through re-clustering."
        )


@admin.register(Cluster)
class ClusterAdmin(admin.ModelAdmin):
    form = ClusterForm
    list_display = ["__str__", "lead_title", "outlets", "stories", "first_reported"]
    list_select_related = ["lead"]
    inlines = [ClusterStoryInline]
    actions = ["merge_selected", "publish_lead_only"]
    show_full_result_count = False
    readonly_fields = ["lead_chosen", "created_at", "updated_at"]

    def get_queryset(self, request):
        members = Article.objects.filter(cluster=OuterRef("pk"))
        first = members.order_by().values("cluster").annotate(t=Min("published_at")).values("t")
        return (
            super()
            .get_queryset(request)
            .annotate(
                outlet_count=outlet_count(OuterRef("pk")),
                story_count=row_count(members),
                first_at=Subquery(first),
            )
        )

    def has_add_permission(self, request):
        return False  # clusters come from clustering, merges and splits

    def has_delete_permission(self, request, obj=None):
        return False  # a cluster goes when its last story leaves

    @admin.display(description="lead story")
    def lead_title(self, cluster):
        return cluster.lead.title if cluster.lead else "—"

    @admin.display(description="outlets", ordering="outlet_count")
    def outlets(self, cluster):
        return outlets_label(cluster.outlet_count)

    stories = annotated_column("story_count", "stories")
    first_reported = annotated_column("first_at", "first reported")

    def save_model(self, request, obj, form, change):
        if "lead" in form.changed_data and obj.lead is not None:
            editing.choose_lead(obj, obj.lead, request.user)

    def save_related(self, request, form, formsets, change):
        pass  # the inline is read-only

    def construct_change_message(self, request, form, formsets, add=False):
        return [{"changed": {"fields": ["Lead"]}}] if "lead" in form.changed_data else []

    @admin.action(permissions=["change"], description="Merge selected clusters")
    def merge_selected(self, request, queryset):
        target = editing.merge(queryset, request.user)
        self.message_user(request, f"Merged into cluster {target.pk}.", messages.SUCCESS)

    @admin.action(permissions=["change"], description="Publish the lead, hold the copies")
    def publish_lead_only(self, request, queryset):
        published = held = 0
        for cluster in queryset:
            done, undone = editing.publish_lead_only(cluster, request.user)
            published, held = published + done, held + undone
        self.message_user(
            request, f"Published {published} leads, held {held} copies.", messages.SUCCESS
        )
