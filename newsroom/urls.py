"""Newsroom's URL map: the admin, then each app's public URLs."""

from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("providers/", include("providers.urls")),
    path("", include("articles.urls")),
]

# Uploaded and cached images in development; static() adds nothing unless DEBUG.
urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
