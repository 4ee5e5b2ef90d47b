"""Newsroom's URL map: the admin, the API, feeds, sitemap, then each app's public pages."""

from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from django.views.generic import TemplateView

from articles.sitemap_views import index as sitemap_index
from articles.sitemap_views import section as sitemap_section
from newsroom.health import health

urlpatterns = [
    path("admin/", admin.site.urls),
    path("health/", health, name="health"),
    path("api/", include("articles.api_urls")),
    path("sitemap.xml", sitemap_index, name="sitemap"),
    path(
        "sitemap-<section>.xml",
        sitemap_section,
        name="sitemap-section",
    ),
    path(
        "robots.txt",
        TemplateView.as_view(template_name="robots.txt", content_type="text/plain"),
        name="robots",
    ),
    path("providers/", include("providers.urls")),
    path("", include("articles.urls")),
]

# Uploaded and cached images in development; static() adds nothing unless DEBUG.
urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
