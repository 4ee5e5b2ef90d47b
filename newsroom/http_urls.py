"""The one test of whether a stored URL may become a link or an image: absolute http(s).

The importer, links, pictures and the image downloader all ask ``http_url()``, so a
URL is either usable everywhere or nowhere (leading or trailing spaces included:
they are stripped, here and only here).
"""

from urllib.parse import urlsplit

from django.utils.encoding import iri_to_uri

HTTP_SCHEMES = ("http", "https")


def http_url(value):
    """``value`` stripped if it is an absolute http(s) URL with a host, else ``""``."""
    if not isinstance(value, str):
        return ""
    value = value.strip()
    try:
        parts = urlsplit(value)
    except ValueError:  # e.g. an unclosed IPv6 bracket, "http://[::1/x"
        return ""
    if parts.scheme.lower() in HTTP_SCHEMES and parts.netloc:
        return value
    return ""


def valid_http_url(value):
    """``http_url(value)`` written as a valid URL, for an ``href`` or a ``src``.

    A space or other character a URL cannot hold is percent-encoded
    (``iri_to_uri``); what is already encoded stays as it is.
    """
    return iri_to_uri(http_url(value))
