"""An outlet's page: its logo, description and its published stories."""

from django.views.generic import ListView

from articles.clusters.scorecards import public_scorecard
from articles.listing import FilteredArticleListMixin, FixedFilter

from .models import Provider


class ProviderDetailView(FilteredArticleListMixin, ListView):
    template_name = "providers/provider_detail.html"
    fixed_filter = FixedFilter(
        name="provider", model=Provider, field="domain", stories="provider", case_insensitive=True
    )

    def get_context_data(self, **kwargs):
        card = public_scorecard(self.fixed_object)
        return super().get_context_data(scorecard=card, **kwargs)
