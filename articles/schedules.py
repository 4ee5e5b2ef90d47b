"""When what the public sees next changes by itself: an embargo lifts or falls, a pin expires.

The public rule compares ``publish_at``/``unpublish_at`` (and a pin's
``expires_at``) with the current time, so no job runs at those times and nothing
retires the page cache then. Instead the cache asks :func:`next_public_change`
before it stores a page, and keeps the page no longer than that
(``newsroom/pagecache.py``, setting ``PAGE_CACHE_NEXT_CHANGE``); the sitemaps'
``Last-Modified`` counts the changes that already happened
(:func:`last_public_change`), so a conditional GET never gets a stale 304.
"""

from django.db.models import DateTimeField, Subquery
from django.utils import timezone

from .models import Article
from .pins import Pin


def _edge(queryset, field):
    """The first value of ``field`` in ``queryset`` in that order ("-field": the last)."""
    name = field.removeprefix("-")
    return Subquery(queryset.order_by(field).values(name)[:1], output_field=DateTimeField())


def _earliest_and_latest(**edges):
    """The edges' values read off one row: one query, each edge an index probe."""
    row = Article.objects.order_by().annotate(**edges).values(*edges)[:1]
    return [value for found in row for value in found.values() if value is not None]


def next_public_change(now=None):
    """The earliest future time at which a public page may change by itself, or None.

    One query of three index probes (``article_publish_at_idx``,
    ``article_unpublish_at_idx``, the pins' table, small by nature). Only
    published stories count: a waiting story's schedule changes nothing until an
    editor publishes it, and that retires the cache anyway.
    """
    now = now or timezone.now()
    stories = Article.objects.released()
    times = _earliest_and_latest(
        lifts=_edge(stories.filter(publish_at__gt=now), "publish_at"),
        falls=_edge(stories.filter(unpublish_at__gt=now), "unpublish_at"),
        expires=_edge(Pin.objects.filter(expires_at__gt=now), "expires_at"),
    )
    return min(times, default=None)


def last_public_change(now=None):
    """When the public stories last changed: an edit of one, or an embargo lifting or falling.

    One query of three index probes (``article_updated_idx`` and the two above).
    """
    now = now or timezone.now()
    stories = Article.objects.released()
    times = _earliest_and_latest(
        edited=_edge(Article.objects.published(now), "-updated_at"),
        lifted=_edge(stories.filter(publish_at__lte=now), "-publish_at"),
        fell=_edge(stories.filter(unpublish_at__lte=now), "-unpublish_at"),
    )
    return max(times, default=None)
