"""What an ``<img>`` for a story image or an outlet logo should say.

Local thumbnails when we have a copy (``srcset`` 1x/2x, real ``width``/``height``),
the remote URL when we do not, and nothing for a URL that is not http(s). Works
from the objects alone: no query and no storage lookup (thumbnail names follow
from the stored file's content hash).
"""

from collections.abc import Mapping
from dataclasses import dataclass

from django.core.files.storage import default_storage

from providers.logos import LOGO_SIZES, logo_thumbnail_names

from .files import STORY_WIDTHS, digest_of, story_thumbnail_name


@dataclass(frozen=True)
class Picture:
    src: str
    width: int | None = None
    height: int | None = None
    srcset: str = ""
    alt: str = ""
    css_class: str = ""


def is_http_url(url):
    return isinstance(url, str) and url.lower().startswith(("http://", "https://"))


def story_picture(image, width=640, alt=None):
    """The picture of an ``ArticleImage`` (or a source image mapping) shown ``width`` px wide."""
    if image is None:
        return None
    alt = alt if alt is not None else (_get(image, "title") or "")
    local = getattr(image, "local_file", None)
    digest = digest_of(local.name) if local else None
    if digest and image.local_width and image.local_height:
        return _local_story_picture(image, digest, width, alt)
    url = _get(image, "url")
    if not is_http_url(url):
        return None
    size = _scaled(_get(image, "width"), _get(image, "height"), width)
    return Picture(src=url, width=size[0], height=size[1], alt=alt, css_class="story-image")


def _local_story_picture(image, digest, width, alt):
    one = _at_least(STORY_WIDTHS, width)
    two = _at_least(STORY_WIDTHS, 2 * width)
    shown_width, shown_height = _scaled(image.local_width, image.local_height, width)
    src = default_storage.url(story_thumbnail_name(digest, one))
    srcset = f"{src} 1x"
    # A 2x thumbnail only helps if the original is wider than the 1x one.
    if two != one and image.local_width > one:
        srcset += f", {default_storage.url(story_thumbnail_name(digest, two))} 2x"
    return Picture(
        src=src,
        width=shown_width,
        height=shown_height,
        srcset=srcset,
        alt=alt,
        css_class="story-image",
    )


def logo_picture(provider, size=50, alt=None):
    """The square logo of an outlet shown ``size`` px wide: uploaded, copied, then remote."""
    if provider is None:
        return None
    alt = alt if alt is not None else provider.name
    for stored in (provider.logo, provider.cached_logo):
        if stored:
            names = logo_thumbnail_names(stored.name)
            if names:
                one = _at_least(LOGO_SIZES, size)
                two = _at_least(LOGO_SIZES, 2 * size)
                src = default_storage.url(names[one])
                srcset = f"{src} 1x"
                if two != one:
                    srcset += f", {default_storage.url(names[two])} 2x"
                return Picture(src, size, size, srcset, alt, "provider-logo")
            return Picture(stored.url, size, size, "", alt, "provider-logo")
    images = provider.remote_logo_images()
    if not images:
        return None
    one = _remote_at_least(images, size)
    two = _remote_at_least(images, 2 * size)
    srcset = ""
    # A URL with whitespace or a comma would break srcset's own syntax.
    if two is not one and not any(_breaks_srcset(i["url"]) for i in (one, two)):
        srcset = f"{one['url']} 1x, {two['url']} 2x"
    return Picture(one["url"], size, size, srcset, alt, "provider-logo")


def _breaks_srcset(url):
    return "," in url or any(character.isspace() for character in url)


def _at_least(sizes, wanted):
    """The smallest of ``sizes`` that is at least ``wanted``, else the largest."""
    return next((size for size in sorted(sizes) if size >= wanted), max(sizes))


def _remote_at_least(images, wanted):
    def width(image):
        value = image.get("width")
        return value if isinstance(value, int) else 0

    ordered = sorted(images, key=width)
    return next((image for image in ordered if width(image) >= wanted), ordered[-1])


def _scaled(width, height, shown):
    """``(width, height)`` for showing an image ``shown`` px wide, never enlarged."""
    if not (isinstance(width, int) and isinstance(height, int) and width > 0 and height > 0):
        return None, None
    if width <= shown:
        return width, height
    return shown, max(1, round(height * shown / width))


def _get(image, key):
    if isinstance(image, Mapping):
        return image.get(key)
    return getattr(image, key, None)
