"""An outlet's page: its logo, description and its published stories."""

from django.shortcuts import get_object_or_404
from django.views.generic import ListView

from articles.clusters.scorecards import public_scorecard
from articles.filters import public_articles
from articles.views import FilteredArticleListMixin

from .models import Provider


class ProviderDetailView(FilteredArticleListMixin, ListView):
    template_name = "providers/provider_detail.html"

    def get(self, request, *args, **kwargs):
        self.provider = get_object_or_404(Provider, domain=kwargs["domain"].lower())
        return super().get(request, *args, **kwargs)

    def get_fixed_filters(self):
        return {"provider": self.provider.domain}

    def get_base_queryset(self):
        return public_articles().filter(provider=self.provider)

    def get_context_data(self, **kwargs):
        card = public_scorecard(self.provider)
        return super().get_context_data(provider=self.provider, scorecard=card, **kwargs)
