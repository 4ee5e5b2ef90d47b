from django.contrib import admin
from django.db.models import OuterRef

from ..models import Article, Topic
from .counts import row_count
from .filters import TopLevelFilter
from .listquery import PlainListErrors


@admin.register(Topic)
class TopicAdmin(PlainListErrors, admin.ModelAdmin):
    list_display = ["name", "parent", "slug", "story_count"]
    list_filter = [TopLevelFilter, ("parent", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["parent"]
    search_fields = ["name", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent"]
    readonly_fields = ["source_file", "extra", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "parent", "description", "keywords", "hashtags"]}),
        ("Source", {"classes": ["collapse"], "fields": readonly_fields}),
    ]

    def get_queryset(self, request):
        stories = Article.topics.through.objects.filter(topic_id=OuterRef("pk"))
        return super().get_queryset(request).annotate(story_count=row_count(stories))

    @admin.display(description="stories", ordering="story_count")
    def story_count(self, topic):
        return topic.story_count
