"""The JSON API, in the original site's paged shape so its clients only change the base URL.

``{"page": N, "value": [item, ...], "nextPage": N + 1 or null}``, 30 items a page as
the original's; a page past the end is a 404. Items carry every key the original did,
as the original wrote them where the story's file gives the data (docs/api.md lists
what differs and why), null where we have no data.
"""

from pathlib import PurePosixPath
from zoneinfo import ZoneInfo

from django.db.models import Prefetch
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404

from . import seed_format
from .clusters.public import one_per_cluster
from .filters import filter_or_400
from .jsonerrors import json_errors
from .models import Article, Pin, Topic
from .paging import page_rows

PAGE_SIZE = 30
"""The original's page size (a full page in ../shared/corpus/api/ holds 30 items)."""
LAST_PAGE = (2**63 - 1) // PAGE_SIZE
"""No later page can hold a row: its offset would not fit a database's 64-bit integers."""
ORIGINAL_TIME_ZONE = ZoneInfo("America/Los_Angeles")
"""The original API wrote every time in its site's zone (``-07:00``/``-08:00``)."""
ORIGINAL_FOLDER = "_news"
"""The original's ``path`` names a story's file inside its site's news folder."""


@json_errors
def news(request, topic_slug=None, page=None):
    """A page of published stories, narrowed by an optional topic and the list filters."""
    page = _page_number(page if page is not None else request.GET.get("page", "1"))
    stories = Article.objects.published().for_list().with_corrections()
    pins = Pin.objects.showing().select_related("topic")
    stories = stories.prefetch_related(Prefetch("pins", queryset=pins))
    queryset = filter_or_400(request, stories).qs
    topic = None
    if topic_slug is not None:
        topic = get_object_or_404(Topic.objects.public(), slug=topic_slug)
        queryset = queryset.filter(topics=topic)
    if request.GET.get("collapse") == "clusters":  # opt-in: one item per story by default
        queryset = one_per_cluster(queryset)
    start = (page - 1) * PAGE_SIZE
    # One row beyond the page tells whether a next page exists, without a COUNT.
    rows = page_rows(queryset, start, start + PAGE_SIZE + 1)
    if not rows and page > 1:
        raise Http404("No such page.")
    has_next = len(rows) > PAGE_SIZE
    return JsonResponse(
        {
            "page": page,
            "value": [article_to_dict(article, topic) for article in rows[:PAGE_SIZE]],
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


def article_to_dict(article, topic=None):
    """A story in the original API's item shape; the keys and their order are seed_format's.

    ``topic`` is the topic the list is about (None: the whole list, the home page's):
    ``highlight`` says whether the story is featured there.
    """
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
    pins = article.pins.all()  # those showing now (the prefetch's Pin.objects.showing())
    if pins:
        item["featuredContent"] = [pin_to_dict(pin) for pin in pins]
        item["highlight"] = any(pin.topic_id == getattr(topic, "pk", None) for pin in pins) or None
    for name in seed_format.API_ADDED_KEYS:
        item[name] = _ADDED[name](article)
    return item


def _corrections(article):
    return [
        {"text": correction.text, "dateTime": original_timestamp(correction.created_at)}
        for correction in article.corrections.all()
    ]


def pin_to_dict(pin):
    """Where the story is featured: the home page or a topic's page, its position, its expiry."""
    return {
        "place": "topic" if pin.topic_id else "home",
        "topic": pin.topic.name if pin.topic_id else None,
        "position": pin.position,
        "expiresDateTime": original_timestamp(pin.expires_at) if pin.expires_at else None,
    }


def _plain_value(article, key):
    value = getattr(article, key.field)
    if key.kind == seed_format.TIMESTAMP and value is not None:
        return original_timestamp(value)
    return value


def original_timestamp(value):
    """The instant as the original wrote it: its site's local time with the offset.

    Fractions of a second only when there are some (no instant is rounded); a time
    without a zone (one kept in ``extra``) stays as it is.
    """
    if value.tzinfo is None:
        return value.isoformat()
    return value.astimezone(ORIGINAL_TIME_ZONE).isoformat()


def _path(article):
    if not article.source_file:
        return None
    return f"{ORIGINAL_FOLDER}/{PurePosixPath(article.source_file).name}"


def _images(article):
    """The story's images; null, as the original's, when its file had no ``images``."""
    images = [image_to_dict(image) for image in article.images.all()]
    if not images and article.source_file and "images" not in (article.source_keys or ()):
        return None
    return images


def _provider(article):
    """The provider as the story's file gave it (name included); the outlet's where it lacks."""
    provider = article.provider_data or {}
    images = provider.get("images")
    return {
        "name": provider.get("name") or article.provider.name,
        "domain": article.provider.domain,
        "images": None if images is None else [source_image_to_dict(i) for i in images],
        "publishers": provider.get("publishers"),
        "authors": provider.get("authors"),
    }


_BUILT = {
    "path": _path,
    "content": lambda article: article.body,
    "categories": lambda article: [article.category] if article.category else [],
    "images": _images,
    "provider": _provider,
    # for_list() gives a story's topics in its file's order.
    "topics": lambda article: [topic.name for topic in article.topics.all()],
}
"""Item keys the API builds itself rather than reading one field or ``extra``."""

_ADDED = {"corrections": _corrections}
"""How the keys the original lacked are built (``seed_format.API_ADDED_KEYS``)."""


def image_to_dict(image):
    return {key.name: getattr(image, key.field) for key in seed_format.IMAGE}


def source_image_to_dict(image):
    """An image kept as the file gave it; a flag the file left out is false, as the original's."""
    image = image if isinstance(image, dict) else {}
    return {
        key.name: image.get(key.name, False if key.kind == seed_format.BOOL else None)
        for key in seed_format.IMAGE
    }
