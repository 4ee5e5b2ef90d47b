"""The JSON API, in the original site's paged shape so its clients only change the base URL.

``{"page": N, "value": [item, ...], "nextPage": N + 1 or null}``, 30 items a page as
the original's; a page past the end is a 404. Items carry every key the original did,
as the original wrote them where the story's file gives the data (docs/api.md lists
what differs and why), null where we have no data.

Items are built from plain rows: the page's stories in one ``values_list`` query (the
outlet joined), then one query per relation an item shows (topics, images,
corrections, pins) for the page's ids. Model instances and Django's prefetching cost
more than those queries (docs/performance.md, "Feeds and the API from plain rows").
Each of those queries is kept compiled where its shape is fixed (``articles.keptlists``,
``articles.plainrows``): the unfiltered list needs no filter form at all.
"""

from operator import attrgetter
from pathlib import PurePosixPath
from zoneinfo import ZoneInfo

from django.http import Http404, JsonResponse
from django.utils import timezone

from . import keptlists, plainrows, seed_format
from .clusters.public import one_per_cluster
from .filters import filter_or_400, sets_no_filter
from .jsonerrors import json_errors
from .models import Article, Topic, public_rows
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
    now = timezone.now()
    kept = ({}, "") if sets_no_filter(request.GET) else None
    if kept is None:  # a bad filter is a 400 before an unknown topic is a 404
        filters = filter_or_400(request, Article.objects.published(now))
        kept = keptlists.kept_values(filters.form.cleaned_data)
    topic = None if topic_slug is None else _public_topic(now, topic_slug)
    collapse = request.GET.get("collapse") == "clusters"  # opt-in: one item per story by default
    start = (page - 1) * PAGE_SIZE
    # One row beyond the page tells whether a next page exists, without a COUNT.
    stop = start + PAGE_SIZE + 1
    if kept is not None:
        values, sort = kept
        rows = keptlists.story_rows(
            "api:stories",
            STORY_COLUMNS,
            now,
            values,
            start,
            stop,
            sort=sort,
            collapse=collapse,
            topic=topic,
        )
    else:
        queryset = filters.qs
        if topic is not None:
            queryset = queryset.filter(topics=topic)
        if collapse:
            queryset = one_per_cluster(queryset, now=now)
        rows = page_rows(story_rows(queryset), start, stop)
    if not rows and page > 1:
        raise Http404("No such page.")
    return JsonResponse(
        {
            "page": page,
            "value": items(rows[:PAGE_SIZE], topic, now),
            "nextPage": page + 1 if len(rows) > PAGE_SIZE else None,
        },
        json_dumps_params={"ensure_ascii": False},
    )


def _public_topic(now, slug):
    """The id of the public topic ``slug`` (a 404 otherwise), from SQL kept compiled."""
    found = public_rows("api:topic", _public_topic_ids, {"now": now, "slug": slug}, 0, 2)
    if len(found) != 1:
        raise Http404("No Topic matches the given query.")
    return found[0]


def _public_topic_ids(now, slug):
    return Topic.objects.public(now).filter(slug=slug).values_list("pk", flat=True)


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


def story_rows(queryset):
    """``queryset`` as the rows :func:`items` reads: named tuples of ``STORY_COLUMNS``."""
    return queryset.values_list(*STORY_COLUMNS, named=True)


def items_of(queryset, topic=None):
    """The stories of ``queryset`` as API items, in its order."""
    return items(list(story_rows(queryset)), topic)


def items(rows, topic=None, now=None):
    """Rows of :func:`story_rows` in the original API's item shape; the keys are seed_format's.

    ``topic`` is the topic (or its id) the list is about (None: the whole list, the
    home page's): ``highlight`` says whether a story is featured there, by the pins
    showing at ``now``. One query per relation.
    """
    if not rows:
        return []
    ids = [row.pk for row in rows]
    groups = {
        "topics": plainrows.topic_names(ids),
        "images": plainrows.images(ids, IMAGE_FIELDS),
        "corrections": plainrows.corrections(ids),
        "pins": plainrows.pins(ids, now or timezone.now()),
    }
    topic_id = getattr(topic, "pk", topic)
    return [
        _item(row, {name: group.get(row.pk, ()) for name, group in groups.items()}, topic_id)
        for row in rows
    ]


def _item(row, related, topic_id):
    item = {name: read(row) for name, read in _READERS}
    item["images"] = _images(row, related["images"])
    item["topics"] = list(related["topics"])
    if pins := related["pins"]:  # those showing now (Pin.objects.showing())
        item["featuredContent"] = [pin_to_dict(*pin) for pin in pins]
        item["highlight"] = any(pin_topic == topic_id for pin_topic, *_ in pins) or None
    for name in seed_format.API_ADDED_KEYS:
        item[name] = _ADDED[name](related)
    return item


def _corrections(related):
    return [
        {"text": text, "dateTime": original_timestamp(created_at)}
        for text, created_at in related["corrections"]
    ]


def pin_to_dict(topic_id, topic_name, position, expires_at):
    """Where the story is featured: the home page or a topic's page, its position, its expiry."""
    return {
        "place": "topic" if topic_id else "home",
        "topic": topic_name if topic_id else None,
        "position": position,
        "expiresDateTime": original_timestamp(expires_at) if expires_at else None,
    }


def original_timestamp(value):
    """The instant as the original wrote it: its site's local time with the offset.

    Fractions of a second only when there are some (no instant is rounded); a time
    without a zone (one kept in ``extra``) stays as it is.
    """
    if value.tzinfo is None:
        return value.isoformat()
    return value.astimezone(ORIGINAL_TIME_ZONE).isoformat()


def _path(row):
    if not row.source_file:
        return None
    return f"{ORIGINAL_FOLDER}/{PurePosixPath(row.source_file).name}"


def _images(row, images):
    """The story's images; null, as the original's, when its file had no ``images``."""
    if not images and row.source_file and "images" not in (row.source_keys or ()):
        return None
    return [image_to_dict(image) for image in images]


def _provider(row):
    """The provider as the story's file gave it (name included); the outlet's where it lacks."""
    provider = row.provider_data or {}
    images = provider.get("images")
    return {
        "name": provider.get("name") or row.provider__name,
        "domain": row.provider__domain,
        "images": None if images is None else [source_image_to_dict(i) for i in images],
        "publishers": provider.get("publishers"),
        "authors": provider.get("authors"),
    }


def _plain(key):
    """The reader of a key that one field of the story keeps."""
    value_of = attrgetter(key.field)
    if key.kind != seed_format.TIMESTAMP:
        return value_of
    return lambda row: None if (value := value_of(row)) is None else original_timestamp(value)


def _reader(name):
    if name in _BUILT:
        return _BUILT[name]
    if name in _SHOWN:
        return _plain(_SHOWN[name])
    return lambda row: (row.extra or {}).get(name)


_BUILT = {
    "path": _path,
    "content": attrgetter("body"),
    "categories": lambda row: [row.category] if row.category else [],
    "provider": _provider,
    # Built from the story's related rows in _item; placed here to keep the key order.
    "images": lambda row: None,
    "topics": lambda row: None,
}
"""Item keys the API builds itself rather than reading one field or ``extra``."""

_SHOWN = {key.name: key for key in seed_format.NEWS if key.api and key.name not in _BUILT}

_READERS = tuple((name, _reader(name)) for name in seed_format.API_ITEM_KEYS)
"""How each item key is read from the story's row, in the item's order."""

_ADDED = {"corrections": _corrections}
"""How the keys the original lacked are built (``seed_format.API_ADDED_KEYS``)."""

STORY_COLUMNS = (
    "pk",
    *(key.field for key in _SHOWN.values()),
    "source_file",
    "source_keys",
    "body",
    "category",
    "extra",
    "provider_data",
    "provider__name",
    "provider__domain",
)
"""What an item reads of the story's row and its outlet's."""

IMAGE_NAMES = tuple(key.name for key in seed_format.IMAGE)
IMAGE_FIELDS = tuple(key.field for key in seed_format.IMAGE)


def image_to_dict(values):
    """An image's ``seed_format.IMAGE`` fields, in that order, under the API's names."""
    return dict(zip(IMAGE_NAMES, values, strict=True))


def source_image_to_dict(image):
    """An image kept as the file gave it; a flag the file left out is false, as the original's."""
    image = image if isinstance(image, dict) else {}
    return {
        key.name: image.get(key.name, False if key.kind == seed_format.BOOL else None)
        for key in seed_format.IMAGE
    }
