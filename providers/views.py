from django.views.generic import DetailView

from .models import Provider


class ProviderDetailView(DetailView):
    model = Provider
    slug_field = "domain"
    slug_url_kwarg = "domain"
