"""What an ``<img>`` says, worked out from sizes and names alone (no query, no storage lookup).

Apps decide which picture to show (``articles.pictures`` for stories,
``providers.logos`` for outlets); the arithmetic they share lives here: pairing
thumbnail sizes as 1x/2x, scaling a remote image's declared size, and choosing
among a source's remote images.
"""

from dataclasses import dataclass, replace

from django.core.files.storage import default_storage
from django.utils.safestring import SafeString

from newsroom.formrender import escaped
from newsroom.http_urls import valid_http_url


@dataclass(frozen=True)
class Picture:
    src: str
    width: int | None = None
    height: int | None = None
    srcset: str = ""
    alt: str = ""
    css_class: str = ""


def local_srcset(names, shown, original_width=None):
    """``(src, srcset)`` for local thumbnails ``{size: name}`` shown ``shown`` px wide.

    The 1x candidate is the smallest size at least ``shown``; a 2x one is added
    when a larger size exists and helps (the original is wider than the 1x one).
    """
    one = at_least(names, shown)
    two = at_least(names, 2 * shown)
    src = default_storage.url(names[one])
    srcset = f"{src} 1x"
    if two != one and (original_width is None or original_width > one):
        srcset += f", {default_storage.url(names[two])} 2x"
    return src, srcset


def remote_srcset(images, shown):
    """``(src, srcset)`` from remote images ``[{"url": …, "width": …}]`` (URLs already checked),
    written as valid URLs."""
    one = remote_at_least(images, shown)
    two = remote_at_least(images, 2 * shown)
    one_url, two_url = valid_http_url(one["url"]), valid_http_url(two["url"])
    srcset = ""
    # A comma would break srcset's own syntax (whitespace is percent-encoded by now).
    if two is not one and "," not in one_url + two_url:
        srcset = f"{one_url} 1x, {two_url} 2x"
    return one_url, srcset


def at_least(sizes, wanted):
    """The smallest of ``sizes`` that is at least ``wanted``, else the largest."""
    return next((size for size in sorted(sizes) if size >= wanted), max(sizes))


def remote_at_least(images, wanted):
    ordered = sorted(images, key=declared_width)
    return next((image for image in ordered if declared_width(image) >= wanted), ordered[-1])


def declared_width(image):
    value = image.get("width")
    return value if isinstance(value, int) else 0


def scaled(width, height, shown):
    """``(width, height)`` for showing an image ``shown`` px wide, never enlarged."""
    if not (isinstance(width, int) and isinstance(height, int) and width > 0 and height > 0):
        return None, None
    if width <= shown:
        return width, height
    return shown, max(1, round(height * shown / width))


BOX_RATIO = (16, 9)
"""The box a picture of unknown size is shown in (cards and figures crop or fit to it)."""
BOXED_CLASS = "picture--boxed"


def boxed(picture, shown):
    """``picture`` with ``width``/``height`` from the fixed box when its own size is unknown.

    A remote image whose size the source did not give would otherwise move the
    page when it arrives; its class tells the CSS to hold it in the same box.
    """
    if picture is None or picture.width:
        return picture
    across, down = BOX_RATIO
    css_class = f"{picture.css_class} {BOXED_CLASS}".strip()
    return replace(picture, width=shown, height=round(shown * down / across), css_class=css_class)


def monogram(name):
    """The letter that stands in for a logo or a topic's picture: the name's first letter or
    digit, capitalised (shown behind the picture while it loads or if it fails)."""
    return next((character.upper() for character in name or "" if character.isalnum()), "")


def with_class(picture, css_class):
    """``picture`` with the page's own class for the ``<img>``, where it gives one."""
    return replace(picture, css_class=css_class) if picture and css_class else picture


def img_html(picture, loading="lazy", priority=None, frame=None, placeholder=""):
    """The one ``<img>`` every page writes for a picture (nothing for None), framed or not.

    ``frame``: classes of a box round it with ``placeholder`` behind (a logo's initial,
    an outlet's name). Drawn here rather than by a template: a list page writes one a
    card, and a template's render cost as much as the rest of the card.
    """
    if not picture:
        return SafeString("\n")
    srcset = f' srcset="{escaped(picture.srcset)}"' if picture.srcset else ""
    size = ""
    if picture.width:
        size = f' width="{escaped(picture.width)}" height="{escaped(picture.height)}"'
    fetch = f' fetchpriority="{escaped(priority)}"' if priority else ""
    img = (
        f'<img src="{escaped(picture.src)}"{srcset}{size} alt="{escaped(picture.alt)}"'
        f' class="{escaped(picture.css_class)}" loading="{escaped(loading or "lazy")}"{fetch}'
        ' decoding="async">'
    )
    if frame:
        img = (
            f'<span class="picture-frame {escaped(frame)}"><span class="picture-frame__placeholder"'
            f' aria-hidden="true">{escaped(placeholder)}</span>{img}</span>'
        )
    return SafeString(f"{img}\n")  # every value is escaped
