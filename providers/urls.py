from django.urls import path

from . import views

app_name = "providers"

urlpatterns = [
    path("<str:domain>/", views.ProviderDetailView.as_view(), name="detail"),
]
