"""Sitemap sections: the home page, every published story, topics and outlets."""

from django.contrib.sitemaps import Sitemap
from django.utils import timezone

from newsroom.pagecache import kept_or_computed
from newsroom.reversing import quick_reverse
from providers.models import Provider

from .models import Article, Topic
from .schedules import last_public_change
from .sitemap_pages import KeyedPaginator


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

    The sitemap framework counts a section for the index and again for each of its
    pages; an estimate would list pages that do not exist or leave real ones out; a
    count kept until public content changes (or the next scheduled change) is exact
    and made once. (The stories' section keeps its pages' first keys instead:
    ``sitemap_pages.KeyedPaginator``.)
    """

    @property
    def paginator(self):
        paginator = super().paginator
        # count is a cached_property: set, this copy need not count again.
        paginator.count = kept_or_computed(
            f"sitemap-count:{type(self).__name__}", lambda: paginator.count
        )
        return paginator


class ArticleSitemap(Sitemap):
    """Every public story, newest first, in sections of 10,000 paged by key.

    The framework would make 10,000 model instances, reverse 10,000 URLs and render
    a template row for each (≈1 s a section at a million stories) after an OFFSET
    past the sections before; here a section is one ranged read of three columns,
    written as the framework's own template writes it (``sitemap_views``).
    """

    changefreq = "weekly"
    limit = 10_000
    ordering = ("-published_at", "-id")

    @property
    def paginator(self):
        public = Article.objects.published()
        rows = public.values_list("slug", "updated_at", "publish_at")
        return KeyedPaginator(
            rows, self.limit, queryset=public, ordering=self.ordering, name="articles"
        )

    def get_latest_lastmod(self):
        # The default walks every item; the database answers in one query.
        return latest_change()

    def urls(self, page, address):
        """The ``<url>`` elements of ``page`` and the latest of their last changes.

        ``address(slug)`` is the story's escaped absolute address. A story whose
        embargo lifted changed for readers then, not at its last save.
        """
        changefreq = f"<changefreq>{self.changefreq}</changefreq>"
        # The template's date filter shows the day in the current time zone; asked
        # once, not per row (``localtime`` looks it up each call).
        zone = timezone.get_current_timezone()
        elements, latest = [], None
        for slug, updated_at, publish_at in page:
            lastmod = max(filter(None, (updated_at, publish_at)))
            latest = lastmod if latest is None else max(latest, lastmod)
            day = lastmod.astimezone(zone).date().isoformat()
            elements.append(
                f"<url><loc>{address(slug)}</loc><lastmod>{day}</lastmod>{changefreq}</url>"
            )
        if latest is not None:
            # The rows' times miss a story that left by its schedule since.
            latest = max(latest, latest_change())
        return elements, latest


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
