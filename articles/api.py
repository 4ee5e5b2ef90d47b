"""The JSON API, in the original site's paged shape so its clients only change the base URL.

``{"page": N, "value": [item, ...], "nextPage": N + 1 or null}``, 20 items a page; a
page past the end is a 404. Items carry every key the original did, null where we
have no data.
"""

from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404

from . import seed_format
from .clusters.public import one_per_cluster
from .filters import filter_or_400
from .jsonerrors import json_errors
from .models import Article, Topic

PAGE_SIZE = 20
LAST_PAGE = (2**63 - 1) // PAGE_SIZE
"""No later page can hold a row: its offset would not fit a database's 64-bit integers."""


@json_errors
def news(request, topic_slug=None, page=None):
    """A page of published stories, narrowed by an optional topic and the list filters."""
    page = _page_number(page if page is not None else request.GET.get("page", "1"))
    queryset = filter_or_400(request, Article.objects.published().for_list()).qs
    if topic_slug is not None:
        topic = get_object_or_404(Topic.objects.public(), slug=topic_slug)
        queryset = queryset.filter(topics=topic)
    if request.GET.get("collapse") == "clusters":  # opt-in: one item per story by default
        queryset = one_per_cluster(queryset)
    start = (page - 1) * PAGE_SIZE
    # One row beyond the page tells whether a next page exists, without a COUNT.
    rows = list(queryset[start : start + PAGE_SIZE + 1])
    if not rows and page > 1:
        raise Http404("No such page.")
    has_next = len(rows) > PAGE_SIZE
    return JsonResponse(
        {
            "page": page,
            "value": [article_to_dict(article) for article in rows[:PAGE_SIZE]],
            "nextPage": page + 1 if has_next else None,
        },
        json_dumps_params={"ensure_ascii": False},
    )


def _page_number(value):
    try:
        page = int(value)
    except (TypeError, ValueError):
        raise Http404("Page is not a number.") from None
    if page < 1:
        raise Http404("Pages start at 1.")
    if page > LAST_PAGE:
        raise Http404("No such page.")
    return page


def article_to_dict(article):
    """A story in the original API's item shape; the keys and their order are seed_format's."""
    extra = article.extra or {}
    shown = {key.name: key for key in seed_format.NEWS if key.api}
    item = {}
    for name in seed_format.API_ITEM_KEYS:
        if name in _BUILT:
            item[name] = _BUILT[name](article)
        elif name in shown:
            item[name] = _plain_value(article, shown[name])
        else:
            item[name] = extra.get(name)
    return item


def _plain_value(article, key):
    value = getattr(article, key.field)
    if key.kind == seed_format.TIMESTAMP and value is not None:
        return seed_format.format_timestamp(value)
    return value


def _provider(article):
    provider = article.provider_data or {}
    return {
        "name": article.provider.name,
        "domain": article.provider.domain,
        "images": [source_image_to_dict(image) for image in provider.get("images") or []],
        "publishers": provider.get("publishers"),
        "authors": provider.get("authors"),
    }


_BUILT = {
    "path": lambda article: article.source_file or None,
    "content": lambda article: article.body,
    "categories": lambda article: [article.category] if article.category else [],
    "images": lambda article: [image_to_dict(image) for image in article.images.all()],
    "provider": _provider,
    "topics": lambda article: [topic.name for topic in article.topics.all()],
}
"""Item keys the API builds itself rather than reading one field or ``extra``."""


def image_to_dict(image):
    return {key.name: getattr(image, key.field) for key in seed_format.IMAGE}


def source_image_to_dict(image):
    image = image if isinstance(image, dict) else {}
    return {key.name: image.get(key.name) for key in seed_format.IMAGE}
