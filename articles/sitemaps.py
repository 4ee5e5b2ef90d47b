"""Sitemap sections: the home page, every published story, topics and outlets."""

from django.contrib.sitemaps import Sitemap

from newsroom.pagecache import kept_or_computed
from newsroom.reversing import quick_reverse
from providers.models import Provider

from .models import Article, Topic
from .schedules import last_public_change


def latest_change():
    """When the public stories last changed, an embargo lifting or falling included.

    The sitemaps' ``Last-Modified`` comes from it: a story that went public or
    left by its schedule moves it, so a conditional GET is never answered 304
    for the state before (articles/schedules.py).
    """
    return last_public_change()


class HomeSitemap(Sitemap):
    changefreq = "hourly"
    priority = 1.0

    def items(self):
        return ["articles:list"]

    def location(self, item):
        return quick_reverse(item)

    def lastmod(self, item):
        return latest_change()


class CountKeptPerGeneration:
    """A section's item count, which its page count needs, kept per page-cache generation.

    The sitemap framework counts the section for the index and again for each of
    its pages: an exact count of 800,000 public stories is ~400 ms at a million,
    on every page a crawler asks for. An estimate would list pages that do not
    exist or leave real ones out; a count kept until public content changes (or
    the next scheduled change) is exact and made once.
    """

    @property
    def paginator(self):
        paginator = super().paginator
        # count is a cached_property: set, this copy need not count again.
        paginator.count = kept_or_computed(
            f"sitemap-count:{type(self).__name__}", lambda: paginator.count
        )
        return paginator


class ArticleSitemap(CountKeptPerGeneration, Sitemap):
    changefreq = "weekly"
    limit = 10_000

    def items(self):
        stories = Article.objects.published().only("slug", "updated_at", "publish_at")
        return stories.order_by("-published_at", "-id")

    def lastmod(self, item):
        # A story whose embargo lifted changed for readers then, not at its last save.
        return max(filter(None, (item.updated_at, item.publish_at)))

    def get_urls(self, *args, **kwargs):
        urls = super().get_urls(*args, **kwargs)
        # The items' times miss a story that left by its schedule since.
        if getattr(self, "latest_lastmod", None) is not None:
            self.latest_lastmod = max(self.latest_lastmod, latest_change())
        return urls

    def get_latest_lastmod(self):
        # The default walks every item; the database answers in one query.
        return latest_change()


class TopicSitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        return Topic.objects.public().only("slug").order_by("slug")


class ProviderSitemap(CountKeptPerGeneration, Sitemap):
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
