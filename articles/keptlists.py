"""The API's and feeds' story lists from SQL kept compiled, when their shape is fixed.

A list's SQL depends on which filters are set, not on their values, for the
filters in :data:`KEPT_FILTERS` (a topic, a type) and on the sort's value: the
list is kept per such combination (``newsroom.precompiled``), the filters still
applied by ``ArticleFilter``'s own filters, in its order. A search, an outlet, a
date or a quality filter changes the SQL with its value (or its rule is not a
plain parameter): those lists stay with the ORM.
"""

from django.http import QueryDict
from django_filters.constants import EMPTY_VALUES

from . import plainrows
from .clusters.public import one_per_cluster
from .filters import ArticleFilter
from .models import Article

KEPT_FILTERS = {"topic": lambda topic: topic.pk, "type": str}
"""The filters a kept list may have set, and how each value becomes a parameter."""


def kept_values(cleaned):
    """The set filters of ``cleaned`` (a form's values) and the sort, or None if not kept."""
    values = {name: value for name, value in cleaned.items() if value not in EMPTY_VALUES}
    sort = values.pop("sort", "")
    if any(name not in KEPT_FILTERS for name in values):
        return None
    return {name: KEPT_FILTERS[name](value) for name, value in values.items()}, sort


def story_rows(key, columns, now, filters, start, stop, *, sort="", collapse=False, topic=None):
    """Rows ``start:stop`` of the published list at ``now`` narrowed by ``filters``.

    ``filters``: parameters from :func:`kept_values`; ``topic``: the id of the topic
    whose page this is (the API's ``/news/<topic>/``), applied after the filters;
    ``collapse``: one story per cluster, last. Named tuples of ``columns``.
    """
    params = {"now": now, **filters}
    if topic is not None:
        params["page_topic"] = topic
    build = _builder(columns, sort, collapse)
    key = f"{key}:{sort}:{'clusters' if collapse else 'all'}"
    return plainrows.story_rows(key, build, params, columns, start, stop)


def _builder(columns, sort, collapse):
    def build(now, page_topic=None, **values):
        stories = Article.objects.published(now)
        filterset = ArticleFilter(QueryDict(), queryset=stories)
        filterset.is_valid()  # the sort reads the (empty) search's cleaned value
        values["sort"] = sort
        for name, applied in filterset.filters.items():  # in the filters' own order
            if name in values:
                stories = applied.filter(stories, values[name])
        if page_topic is not None:
            stories = stories.filter(topics=page_topic)
        if collapse:
            stories = one_per_cluster(stories, now=now)
        return stories.values_list(*columns)

    return build
