from django.contrib import admin
from django.db.models import OuterRef

from articles.admin.counts import annotated_column, row_count
from articles.admin.listquery import PlainListErrors
from articles.models import Article
from articles.validators import normalise_domain

from . import scorecard_columns
from .forms import ProviderLogoForm
from .models import Provider


class ProviderForm(ProviderLogoForm):
    """Logo uploads checked and thumbnailed by Pillow; the domain stored lower-case."""

    def clean_domain(self):
        # The model lower-cases on save, but its constraint is validated first.
        return normalise_domain(self.cleaned_data["domain"])


@admin.register(Provider)
class ProviderAdmin(PlainListErrors, admin.ModelAdmin):
    form = ProviderForm
    list_display = [
        "name",
        "domain",
        "story_count",
        "published_count",
        *scorecard_columns.COLUMNS,
    ]
    search_fields = ["name", "domain"]
    readonly_fields = ["source_file", "extra", "created_at", "updated_at"]
    # Computed (not stored), so kept out of readonly_fields' "Source" section above.
    scorecard = scorecard_columns.scorecard_panel
    fieldsets = [
        (None, {"fields": ["name", "domain", "description", "logo"]}),
        ("Scorecard", {"fields": ["scorecard"]}),
        (
            "Source",
            {"classes": ["collapse"], "fields": ["source_images", *readonly_fields]},
        ),
    ]

    def get_queryset(self, request):
        stories = Article.objects.filter(provider=OuterRef("pk"))
        return (
            super()
            .get_queryset(request)
            .annotate(
                story_count=row_count(stories),
                published_count=row_count(stories.published()),
                **scorecard_columns.annotations(),
            )
        )

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "scorecard"]

    story_count = annotated_column("story_count", "stories")
    published_count = annotated_column("published_count", "published")
