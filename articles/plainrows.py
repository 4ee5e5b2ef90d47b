"""A page of stories' related rows as plain values, grouped by story, one query each.

The API and the feeds build from plain rows (``values_list``) rather than model
instances and prefetches, which cost more than the queries themselves
(docs/performance.md, "Feeds and the API from plain rows").
"""

from collections import defaultdict

from .models import Article, Correction


def grouped(rows, *, flat=False):
    """``(story id, *values)`` rows as {story id: [values, ...]}, in the rows' order.

    ``flat``: each row holds one value, kept bare rather than in a tuple.
    """
    groups = defaultdict(list)
    for story, *values in rows:
        groups[story].append(values[0] if flat else tuple(values))
    return groups


def topic_names(ids):
    """The stories' topic names, each story's in its file's order (as topics_in_given_order)."""
    links = Article.topics.through.objects.filter(article_id__in=ids).order_by("id")
    return grouped(links.values_list("article_id", "topic__name"), flat=True)


def corrections(ids):
    """The stories' corrections as ``(text, created_at)``, oldest first."""
    rows = Correction.objects.filter(article_id__in=ids).order_by("created_at", "id")
    return grouped(rows.values_list("article_id", "text", "created_at"))
