"""An outlet's page: its logo, description and its published stories."""

from django.views.generic import ListView

from articles.listing import FilteredArticleListMixin, FixedFilter

from .models import Provider


class ProviderDetailView(FilteredArticleListMixin, ListView):
    template_name = "providers/provider_detail.html"
    fixed_filter = FixedFilter(
        name="provider", model=Provider, field="domain", stories="provider", case_insensitive=True
    )
