from django.contrib import admin

from articles.admin.listquery import PlainListErrors
from articles.validators import normalise_domain

from . import figures, scorecard_columns
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
    list_display = ["name", "domain", *scorecard_columns.COLUMNS, scorecard_columns.counted]
    # The stored figures (providers.figures), one join: nothing is counted per request.
    list_select_related = ["figures"]
    search_fields = ["name", "domain"]
    actions = ["recount_figures"]
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
        return super().get_queryset(request).select_related("figures")

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "scorecard"]

    @admin.action(description="Recount the selected outlets' figures", permissions=["change"])
    def recount_figures(self, request, queryset):
        ids = list(queryset.values_list("pk", flat=True))
        figures.request_recount(ids)
        self.message_user(request, f"{len(ids)} outlets will be recounted in the background.")
