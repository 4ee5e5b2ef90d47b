"""Provider logos: checking an upload, re-encoding it, and its square thumbnails.

An uploaded logo is stored re-encoded as PNG (metadata gone, at most
``MAX_LOGO_SIDE`` pixels on its longest side) under its content hash,
``providers/logos/<sha256>.png``. Its thumbnails are WebP squares with
deterministic names, ``providers/logos/thumbs/<sha256>-<size>.webp`` for each of
``LOGO_SIZES``, so pages find them from the logo's name alone. A logo copied from
the source by ``cache_images`` gets the same thumbnails, named by the hash of the
downloaded file.

``logo_picture()`` is the one rule for which logo a page shows, and
``logo_to_copy()`` the one rule for which source image ``cache_images`` copies.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from PIL import Image

from images.files import content_hash, digest_of, save_once
from images.pictures import Picture, local_srcset, remote_srcset
from images.processing import ImageRejected, encode, normalized, open_image, square_thumbnail
from newsroom.http_urls import http_url

# The source's logos are 50×50 and 400×400; 100 is the 2x of the 50px logo.
LOGO_SIZES = (50, 100, 400)
DEFAULT_MAX_LOGO_BYTES = 5 * 1024 * 1024
# Pages never show a logo larger than 400px; 1024 keeps room for a 2x version.
MAX_LOGO_SIDE = 1024
CSS_CLASS = "provider-logo"


@dataclass(frozen=True)
class CleanLogo:
    """An accepted upload: the re-encoded PNG, its hash and the decoded image."""

    data: bytes
    digest: str
    image: Image.Image

    @property
    def name(self):
        return f"{self.digest}.png"

    def as_file(self):
        return ContentFile(self.data, name=self.name)


def max_logo_bytes():
    return getattr(settings, "LOGO_MAX_BYTES", DEFAULT_MAX_LOGO_BYTES)


def clean_logo(data):
    """Check and re-encode an uploaded logo; raise ``ImageRejected`` with the reason."""
    limit = max_logo_bytes()
    if len(data) > limit:
        raise ImageRejected(
            f"the file is {len(data) / 1048576:.1f} MiB; the limit is {limit / 1048576:g} MiB"
        )
    with open_image(data) as image:
        picture = normalized(image)
    picture.thumbnail((MAX_LOGO_SIDE, MAX_LOGO_SIDE), Image.Resampling.LANCZOS)
    png = encode(picture, "PNG", optimize=True)
    return CleanLogo(data=png, digest=content_hash(png), image=picture)


def logo_thumbnail_name(digest, size):
    return f"providers/logos/thumbs/{digest}-{size}.webp"


def logo_thumbnail_names(stored_name):
    """``{size: name}`` of the thumbnails of a stored logo; empty for a foreign name."""
    digest = digest_of(stored_name)
    if digest is None:
        return {}
    return {size: logo_thumbnail_name(digest, size) for size in LOGO_SIZES}


def write_logo_thumbnails(picture, digest, storage=None):
    """Write the square thumbnails of ``picture`` (a normalized image); return their names."""
    names = {}
    for size in LOGO_SIZES:
        name = logo_thumbnail_name(digest, size)
        names[size] = save_once(name, lambda size=size: square_thumbnail(picture, size), storage)
    return names


def remote_images(images):
    """The entries of a source's ``images`` list with an http(s) URL (stripped), in order."""
    remote = []
    for image in images if isinstance(images, list) else []:
        url = http_url(image.get("url")) if isinstance(image, dict) else ""
        if url:
            remote.append({**image, "url": url})
    return remote


def logo_picture(provider, size=50, alt=None, story_images=None):
    """The square logo of an outlet shown ``size`` px wide.

    In order: the uploaded logo, our copy of the source's, the source's remote
    images, then ``story_images`` (the outlet's images as one story file gives them).
    """
    if provider is None:
        return None
    alt = alt if alt is not None else provider.name
    for stored in (provider.logo, provider.cached_logo):
        if stored:
            names = logo_thumbnail_names(stored.name)
            if names:
                src, srcset = local_srcset(names, size)
                return Picture(src, size, size, srcset, alt, CSS_CLASS)
            return Picture(stored.url, size, size, "", alt, CSS_CLASS)
    images = provider.remote_logo_images() or remote_images(story_images)
    if not images:
        return None
    src, srcset = remote_srcset(images, size)
    return Picture(src, size, size, srcset, alt, CSS_CLASS)


def logo_to_copy(provider):
    """The URL of the outlet's largest remote source image (by width × height), or None."""
    images = provider.remote_logo_images()
    if not images:
        return None
    return max(images, key=_declared_area)["url"]


def _declared_area(image):
    width, height = image.get("width"), image.get("height")
    if isinstance(width, int) and isinstance(height, int):
        return width * height
    return 0
