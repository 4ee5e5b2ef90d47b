"""Sitemap sections: the home page, every published story, topics and outlets."""

from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse

from providers.models import Provider

from .models import Article, Topic


def latest_change():
    """When a published story last changed (``article_updated_idx`` makes it one index probe)."""
    return Article.objects.published().aggregate(latest=Max("updated_at"))["latest"]


class HomeSitemap(Sitemap):
    changefreq = "hourly"
    priority = 1.0

    def items(self):
        return ["articles:list"]

    def location(self, item):
        return reverse(item)

    def lastmod(self, item):
        return latest_change()


class ArticleSitemap(Sitemap):
    changefreq = "weekly"
    limit = 10_000

    def items(self):
        stories = Article.objects.published().only("slug", "updated_at")
        return stories.order_by("-published_at", "-id")

    def lastmod(self, item):
        return item.updated_at

    def get_latest_lastmod(self):
        # The default walks every item; the database answers in one query.
        return latest_change()


class TopicSitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        return Topic.objects.public().only("slug").order_by("slug")


class ProviderSitemap(Sitemap):
    changefreq = "daily"
    limit = 10_000

    def items(self):
        return Provider.objects.public().only("domain").order_by("domain")


SITEMAPS = {
    "home": HomeSitemap,
    "articles": ArticleSitemap,
    "topics": TopicSitemap,
    "providers": ProviderSitemap,
}
