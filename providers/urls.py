from django.urls import path

from . import views

app_name = "providers"

urlpatterns = [
    # path, not str: a domain stored before domains were checked (one with a
    # slash) still has an address, so the pages linking its outlet never fail.
    path("<path:domain>/", views.ProviderDetailView.as_view(), name="detail"),
]
