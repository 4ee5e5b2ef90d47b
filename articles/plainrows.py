"""A page of stories' rows as plain values: the stories, then their relations, one query each.

The API and the feeds build from plain rows (``values_list``) rather than model
instances and prefetches, which cost more than the queries themselves
(docs/performance.md, "Feeds and the API from plain rows"). Each query here has a
fixed shape, so its SQL is built and compiled once per process
(``newsroom.precompiled``); a relation query of the page's ids is kept per number
of ids, as the module keys a list's length.
"""

from collections import defaultdict, namedtuple
from operator import itemgetter

from newsroom.precompiled import precompiled_rows

from . import paging
from .models import Article, ArticleImage, Correction, Pin


def grouped(rows, *, flat=False):
    """``(story id, *values)`` rows as {story id: [values, ...]}, in the rows' order.

    ``flat``: each row holds one value, kept bare rather than in a tuple.
    """
    groups = defaultdict(list)
    for story, *values in rows:
        groups[story].append(values[0] if flat else tuple(values))
    return groups


def _related(key, build, ids, **params):
    """The rows of a relation query for ``ids``; none (and no query) for no ids, as ``__in=[]``."""
    if not ids:
        return []
    return precompiled_rows(f"plain:{key}", build, {"ids": ids, **params})


def topic_names(ids):
    """The stories' topic names, each story's in its file's order (as topics_in_given_order)."""
    return grouped(_related("topics", _topic_links, ids), flat=True)


def _topic_links(ids):
    links = Article.topics.through.objects.filter(article_id__in=ids).order_by("id")
    return links.values_list("article_id", "topic__name")


def corrections(ids):
    """The stories' corrections as ``(text, created_at)``, oldest first."""
    return grouped(_related("corrections", _corrections, ids))


def _corrections(ids):
    rows = Correction.objects.filter(article_id__in=ids).order_by("created_at", "id")
    return rows.values_list("article_id", "text", "created_at")


def images(ids, fields):
    """The stories' images as tuples of ``fields``, by position (``fields`` fixed per caller)."""

    def build(ids):
        rows = ArticleImage.objects.filter(article_id__in=ids).order_by("position")
        return rows.values_list("article_id", *fields)

    return grouped(_related(f"images:{','.join(fields)}", build, ids))


def pins(ids, now):
    """The pins showing at ``now`` of the stories: ``(topic id, topic name, position, expiry)``."""
    return grouped(_related("pins", _pins, ids, now=now))


def _pins(ids, now):
    pins = Pin.objects.showing(now).filter(article_id__in=ids)
    return pins.values_list("article_id", "topic_id", "topic__name", "position", "expires_at")


def story_rows(key, build, params, columns, start, stop):
    """Rows ``start:stop`` of ``build(**params)``, a ``values_list(*columns)``, as named tuples.

    Deep in the list the skipped rows cost only their id (``paging.kept_page_rows``).
    """
    rows = paging.kept_page_rows(key, build, params, start, stop, pk=itemgetter(0))
    make = _row_class(columns)._make
    return [make(row) for row in rows]


_row_classes = {}


def _row_class(columns):
    """A named tuple class per column list, as ``values_list(named=True)`` makes."""
    found = _row_classes.get(columns)
    if found is None:
        found = _row_classes.setdefault(columns, namedtuple("Row", columns))
    return found
