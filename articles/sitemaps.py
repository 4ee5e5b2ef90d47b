"""Sitemap sections: the home page, every published story, topics and outlets."""

from django.contrib.sitemaps import Sitemap
from django.db.models.functions import Coalesce, Greatest, TruncDate

from newsroom.pagecache import kept_or_computed
from newsroom.reversing import quick_reverse
from providers.models import Provider

from .models import Article, Topic
from .schedules import last_public_change
from .sitemap_pages import IdRangePaginator

LASTMOD_DAY = TruncDate(Greatest("updated_at", Coalesce("publish_at", "updated_at")))
"""A story's ``<lastmod>``, the day (in the current time zone, as the template's
``date`` filter shows it) of its last edit or of its embargo lifting, whichever is
later. (SQLite's ``MAX()`` of a NULL is NULL, hence the ``Coalesce``.)"""


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
    and made once. (The stories' sections are ranges of ids and need no count:
    ``sitemap_pages``.)
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
    """Every public story, in sections of ``limit`` ids (``sitemap_pages``).

    The framework would make a model instance, reverse a URL and render a template
    row for each story; here a section is one ranged read of two columns (the
    address's slug and the ``<lastmod>`` day, computed by the database), written as
    the framework's own template writes it (``sitemap_views``). 5,000 ids hold at
    most as many URLs (about 4,000 where four stories in five are public): 15 ms of
    CPU a section, against 50 ms for 10,000 (docs/performance.md).
    """

    changefreq = "weekly"
    limit = 5_000

    @property
    def paginator(self):
        return IdRangePaginator(
            Article.objects.published().values_list("slug", LASTMOD_DAY), self.limit
        )

    def get_latest_lastmod(self):
        # The default walks every item; the database answers in one query.
        return latest_change()

    def urls(self, page, addresses):
        """The ``<url>`` elements of ``page`` and the latest of their last changes.

        ``addresses(slugs)`` gives the stories' escaped absolute addresses. No row's
        last change is later than ``latest_change()``, which reads every public
        story's last edit and lifted embargo, and also counts a story that left by
        its schedule since: that is the page's ``Last-Modified``.
        """
        if not page.object_list:
            return [], None
        slugs, days = zip(*page.object_list, strict=True)
        tail = f"</lastmod><changefreq>{self.changefreq}</changefreq></url>"
        elements = [
            f"<url><loc>{address}</loc><lastmod>{day}{tail}"
            for address, day in zip(addresses(slugs), days, strict=True)
        ]
        return elements, latest_change()


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
