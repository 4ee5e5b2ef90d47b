"""Which stored URLs may become links: only http(s); internal ones only to published stories."""

from urllib.parse import urlsplit


def http_url(value):
    """``value`` stripped if it is an absolute http(s) URL, else ``""`` (never a link)."""
    if not isinstance(value, str):
        return ""
    value = value.strip()
    try:
        parts = urlsplit(value)
    except ValueError:
        return ""
    if parts.scheme.lower() in ("http", "https") and parts.netloc:
        return value
    return ""


def related_story_url(link):
    """Where a related story points: our page when we publish it, else its outlet's page.

    An unpublished copy must not leak through an internal link, so the reader is
    sent to the original address instead (or gets plain text when it is not http(s)).
    """
    target = link.target
    if target is not None and target.is_public():
        return target.get_absolute_url()
    return http_url(link.web_url) or http_url(link.original_url)


def first_http_image(images):
    """The first image (model or mapping) whose URL may be shown, or ``None``."""
    for image in images:
        url = image.get("url") if isinstance(image, dict) else image.url
        if http_url(url):
            return image
    return None
