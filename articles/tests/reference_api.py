"""The API as it was built before plain rows (model instances, prefetches): the reference.

``test_feeds_api_bytes`` asserts that ``articles.api`` answers every URL with the
same bytes as this rendering. Only the parts the plain-row version rewrote are
kept here; what both share unchanged (page numbers, times, source images) is
imported.
"""

from pathlib import PurePosixPath

from django.db.models import Prefetch
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404

from articles import seed_format
from articles.api import (
    ORIGINAL_FOLDER,
    PAGE_SIZE,
    _page_number,
    original_timestamp,
    source_image_to_dict,
)
from articles.clusters.public import one_per_cluster
from articles.filters import filter_or_400
from articles.jsonerrors import json_errors
from articles.models import Article, Pin, Topic
from articles.paging import page_rows


@json_errors
def news(request, topic_slug=None, page=None):
    page = _page_number(page if page is not None else request.GET.get("page", "1"))
    stories = Article.objects.published().for_list().with_corrections()
    pins = Pin.objects.showing().select_related("topic")
    stories = stories.prefetch_related(Prefetch("pins", queryset=pins))
    queryset = filter_or_400(request, stories).qs
    topic = None
    if topic_slug is not None:
        topic = get_object_or_404(Topic.objects.public(), slug=topic_slug)
        queryset = queryset.filter(topics=topic)
    if request.GET.get("collapse") == "clusters":
        queryset = one_per_cluster(queryset)
    start = (page - 1) * PAGE_SIZE
    rows = page_rows(queryset, start, start + PAGE_SIZE + 1)
    if not rows and page > 1:
        raise Http404("No such page.")
    return JsonResponse(
        {
            "page": page,
            "value": [article_to_dict(article, topic) for article in rows[:PAGE_SIZE]],
            "nextPage": page + 1 if len(rows) > PAGE_SIZE else None,
        },
        json_dumps_params={"ensure_ascii": False},
    )


def article_to_dict(article, topic=None):
    extra = article.extra or {}
    shown = {key.name: key for key in seed_format.NEWS if key.api}
    item = {}
    for name in seed_format.API_ITEM_KEYS:
        if name in _BUILT:
            item[name] = _BUILT[name](article)
        elif name in shown:
            value = getattr(article, shown[name].field)
            if shown[name].kind == seed_format.TIMESTAMP and value is not None:
                value = original_timestamp(value)
            item[name] = value
        else:
            item[name] = extra.get(name)
    pins = article.pins.all()
    if pins:
        item["featuredContent"] = [
            {
                "place": "topic" if pin.topic_id else "home",
                "topic": pin.topic.name if pin.topic_id else None,
                "position": pin.position,
                "expiresDateTime": original_timestamp(pin.expires_at) if pin.expires_at else None,
            }
            for pin in pins
        ]
        item["highlight"] = any(pin.topic_id == getattr(topic, "pk", None) for pin in pins) or None
    item["corrections"] = [
        {"text": correction.text, "dateTime": original_timestamp(correction.created_at)}
        for correction in article.corrections.all()
    ]
    return item


def _images(article):
    images = [
        {key.name: getattr(image, key.field) for key in seed_format.IMAGE}
        for image in article.images.all()
    ]
    if not images and article.source_file and "images" not in (article.source_keys or ()):
        return None
    return images


def _provider(article):
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
    "path": lambda article: (
        f"{ORIGINAL_FOLDER}/{PurePosixPath(article.source_file).name}"
        if article.source_file
        else None
    ),
    "content": lambda article: article.body,
    "categories": lambda article: [article.category] if article.category else [],
    "images": _images,
    "provider": _provider,
    "topics": lambda article: [topic.name for topic in article.topics.all()],
}
