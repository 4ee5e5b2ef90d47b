"""Newsroom's URL map: the admin, then each app's public URLs."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("providers/", include("providers.urls")),
    path("", include("articles.urls")),
]
