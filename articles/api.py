"""The JSON API, in the original site's paged shape so its clients only change the base URL.

``{"page": N, "value": [item, ...], "nextPage": N + 1 or null}``, 20 items a page; a
page past the end is a 404. Items carry every key the original did, null where we
have no data.
"""

from datetime import UTC

from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404

from .clusters.public import one_per_cluster
from .filters import filter_or_400
from .jsonerrors import json_errors
from .models import Article, Topic

PAGE_SIZE = 20
LAST_PAGE = (2**63 - 1) // PAGE_SIZE
"""No later page can hold a row: its offset would not fit a database's 64-bit integers."""
IMAGE_KEYS = ("url", "width", "height", "title", "attribution", "isCached")


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
    extra = article.extra or {}
    provider = article.provider_data or {}
    return {
        "path": article.source_file or None,
        "title": article.title,
        "excerpt": article.excerpt,
        "sourceUrl": extra.get("sourceUrl"),
        "webUrl": article.web_url,
        "originalUrl": article.original_url,
        "featuredContent": extra.get("featuredContent"),
        "highlight": extra.get("highlight"),
        "heat": article.heat,
        "tags": extra.get("tags"),
        "images": [image_to_dict(image) for image in article.images.all()],
        "content": article.body,
        "type": article.type,
        "ampWebUrl": article.amp_web_url,
        "cdnAmpWebUrl": article.cdn_amp_web_url,
        "publishedDateTime": _timestamp(article.published_at),
        "updatedDateTime": extra.get("updatedDateTime"),
        "provider": {
            "name": article.provider.name,
            "domain": article.provider.domain,
            "images": [source_image_to_dict(image) for image in provider.get("images") or []],
            "publishers": provider.get("publishers"),
            "authors": provider.get("authors"),
        },
        "locale": extra.get("locale"),
        "categories": [article.category] if article.category else [],
        "topics": [topic.name for topic in article.topics.all()],
    }


def image_to_dict(image):
    return {
        "url": image.url,
        "width": image.width,
        "height": image.height,
        "title": image.title,
        "attribution": image.attribution,
        "isCached": image.is_cached,
    }


def source_image_to_dict(image):
    image = image if isinstance(image, dict) else {}
    return {key: image.get(key) for key in IMAGE_KEYS}


def _timestamp(value):
    """The seed files' form: ``2023-03-27T14:20:00Z`` (UTC)."""
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
