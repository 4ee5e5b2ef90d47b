"""A story's pictures: which image a story shows, and its ``<img>`` (local thumbnails or remote).

Local thumbnails when we have a copy (``srcset`` 1x/2x, real ``width``/``height``),
the remote URL when we do not, and nothing for a URL that is not http(s). Works
from the objects alone: no query and no storage lookup (thumbnail names follow
from the stored file's content hash).
"""

from collections.abc import Mapping

from images.files import digest_of, save_once
from images.pictures import Picture, local_srcset, scaled
from images.processing import width_thumbnail, width_thumbnail_size
from newsroom.http_urls import http_url, valid_http_url

# Story images are shown at these widths; the pictures pair them as 1x/2x.
STORY_WIDTHS = (320, 640, 1280)
CSS_CLASS = "story-image"
TOPIC_CSS_CLASS = "topic-picture"


EAGER_CARDS = 2
"""How many cards are above the fold on a phone or a laptop: their pictures load eagerly."""


def card_loading(position):
    """``loading`` for the picture of the list's ``position``-th card (from 1)."""
    return "eager" if position and position <= EAGER_CARDS else "lazy"


def card_priority(position):
    """``fetchpriority`` of the ``position``-th card: high for the first, else the browser's."""
    return "high" if position == 1 else ""


def story_thumbnail_name(digest, width):
    return f"images/thumbs/{digest[:2]}/{digest}-{width}.webp"


def write_story_thumbnails(picture, digest):
    """Write the width thumbnails of ``picture`` (a normalized image) under its hash.

    Every size is checked first, so an image WebP cannot hold leaves no file behind.
    """
    for width in STORY_WIDTHS:
        width_thumbnail_size(picture, width)
    for width in STORY_WIDTHS:
        save_once(story_thumbnail_name(digest, width), lambda w=width: width_thumbnail(picture, w))


def story_picture(image, width=640, alt=None):
    """The picture of an ``ArticleImage`` (or a source image mapping) shown ``width`` px wide."""
    if image is None:
        return None
    alt = alt if alt is not None else (_get(image, "title") or "")
    digest = _local_digest(image)
    if digest:
        names = {size: story_thumbnail_name(digest, size) for size in STORY_WIDTHS}
        src, srcset = local_srcset(names, width, original_width=image.local_width)
        shown_width, shown_height = scaled(image.local_width, image.local_height, width)
        return Picture(src, shown_width, shown_height, srcset, alt, CSS_CLASS)
    url = valid_http_url(_get(image, "url"))
    if not url:
        return None
    shown_width, shown_height = scaled(_get(image, "width"), _get(image, "height"), width)
    return Picture(url, shown_width, shown_height, alt=alt, css_class=CSS_CLASS)


def topic_picture(topic, size=64, alt=""):
    """A topic's square picture ``size`` px wide: the first http(s) image its taxonomy file lists.

    Topic files give bare URLs (``images: [url, …]``) without sizes, so the square box
    is the page's; ``cache_images`` copies no topic picture, so it is always remote.
    """
    images = (topic.extra or {}).get("images") if topic else None
    for image in images if isinstance(images, list) else []:
        url = valid_http_url(_get(image, "url") if isinstance(image, Mapping) else image)
        if url:
            return Picture(url, size, size, alt=alt, css_class=TOPIC_CSS_CLASS)
    return None


def has_picture(image):
    """Whether ``story_picture(image)`` shows anything: a local copy or an http(s) URL."""
    return bool(_local_digest(image) or http_url(_get(image, "url")))


def lead_image(images):
    """The image that stands for a story (cards, ``og:image``): the first that has a picture."""
    return next((image for image in images if has_picture(image)), None)


def _local_digest(image):
    local = getattr(image, "local_file", None)
    digest = digest_of(local.name) if local else None
    if digest and image.local_width and image.local_height:
        return digest
    return None


def _get(image, key):
    if isinstance(image, Mapping):
        return image.get(key)
    return getattr(image, key, None)
