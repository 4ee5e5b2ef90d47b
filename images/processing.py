"""Pillow checks and resizing, shared by the image cache and logo uploads.

Nothing here touches the database or storage: bytes in, bytes (or facts) out.
"""

import io

from django.conf import settings
from PIL import Image, ImageOps, UnidentifiedImageError

# The formats we accept, as Pillow names them, with the extension we store them under.
FORMATS = {"JPEG": "jpg", "PNG": "png", "GIF": "gif", "WEBP": "webp"}

# Well under Pillow's own 89-megapixel warning: no story image or logo needs more,
# and decoding one that big costs hundreds of megabytes.
DEFAULT_MAX_PIXELS = 40_000_000

THUMBNAIL_QUALITY = 82
# The largest side a WebP file can have; Pillow raises a bare encoder error past it.
WEBP_MAX_SIDE = 16383
EXIF_ORIENTATION = 0x0112


class ImageRejected(ValueError):
    """The bytes are not an image we accept; the message says why, for people."""


def max_pixels():
    return getattr(settings, "IMAGE_MAX_PIXELS", DEFAULT_MAX_PIXELS)


def open_image(data):
    """Open and check ``data``; return the Pillow image, reopened and ready to load.

    ``verify()`` walks the file without decoding pixels and leaves the image
    unusable, hence the second open. The pixel count is checked from the header,
    before anything is decoded, so a decompression bomb costs nothing.
    """
    limit = max_pixels()
    try:
        with Image.open(io.BytesIO(data), formats=list(FORMATS)) as probe:
            _check_size(probe, limit)
            probe.verify()
        image = Image.open(io.BytesIO(data), formats=list(FORMATS))
    except ImageRejected:
        raise
    except Image.DecompressionBombError as error:
        raise ImageRejected(f"decompression bomb: {error}") from None
    except UnidentifiedImageError:
        raise ImageRejected("not an image in an accepted format (PNG, JPEG, WebP or GIF)") from None
    except Exception as error:  # Pillow raises many types for broken files.
        raise ImageRejected(f"broken image: {error}") from None
    _check_size(image, limit)
    return image


def decode(image):
    """Decode the pixels: a truncated or corrupt body only shows up here."""
    try:
        image.load()
    except Image.DecompressionBombError as error:
        raise ImageRejected(f"decompression bomb: {error}") from None
    except Exception as error:
        raise ImageRejected(f"broken image: {error}") from None


def _check_size(image, limit):
    width, height = image.size
    if width < 1 or height < 1:
        raise ImageRejected("the image has no pixels")
    if width * height > limit:
        raise ImageRejected(
            f"decompression bomb: {width}×{height} pixels is over the limit of {limit:,}"
        )


def upright_size(image):
    """``(width, height)`` as the image is shown: EXIF orientations 5–8 swap the sides."""
    width, height = image.size
    if image.getexif().get(EXIF_ORIENTATION) in {5, 6, 7, 8}:
        return height, width
    return width, height


def normalized(image, largest=None):
    """The first frame, upright (EXIF orientation applied), in RGB or RGBA.

    Converting drops every metadata block (EXIF, XMP, ICC, text chunks), which is
    what stripping metadata means here. ``largest`` lets a JPEG decode at a
    reduced scale when only smaller versions are wanted (much less memory).
    """
    image.seek(0)
    if largest and image.format == "JPEG":
        image.draft("RGB", (largest, largest))
    decode(image)
    upright = ImageOps.exif_transpose(image)
    mode = "RGBA" if has_alpha(upright) else "RGB"
    return upright.convert(mode)


def has_alpha(image):
    return image.mode in {"RGBA", "LA", "PA"} or (
        image.mode in {"P", "L", "RGB"} and "transparency" in image.info
    )


def encode(image, format="WEBP", **options):
    buffer = io.BytesIO()
    if format == "WEBP":
        options.setdefault("quality", THUMBNAIL_QUALITY)
        options.setdefault("method", 4)
    image.save(buffer, format=format, **options)
    return buffer.getvalue()


def width_thumbnail_size(image, width):
    """The ``(width, height)`` of ``image``'s thumbnail ``width`` px wide (never enlarged).

    Raises ``ImageRejected`` when WebP cannot hold it (a very tall, narrow image).
    """
    size = image.size
    if image.width > width:
        size = (width, max(1, round(image.height * width / image.width)))
    if max(size) > WEBP_MAX_SIDE:
        raise ImageRejected(
            f"a {size[0]}×{size[1]} thumbnail is over WebP's limit of {WEBP_MAX_SIDE} px a side"
        )
    return size


def width_thumbnail(image, width):
    """``image`` scaled to ``width`` pixels wide (never enlarged), as WebP bytes."""
    size = width_thumbnail_size(image, width)
    if size != image.size:
        image = image.resize(size, Image.Resampling.LANCZOS)
    return encode(image)


def square_thumbnail(image, size):
    """``image`` fitted into a ``size``×``size`` square, padded with transparency.

    Padding rather than cropping: a logo's lettering must never be cut off.
    """
    fitted = ImageOps.pad(
        image.convert("RGBA"),
        (size, size),
        method=Image.Resampling.LANCZOS,
        color=(0, 0, 0, 0),
    )
    return encode(fitted)
