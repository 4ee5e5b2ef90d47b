"""Canonical forms of story URLs: one story under tracking, AMP, CDN and ``www.`` forms.

Pure functions (no Django), so the importer's workers and the migrations can use them.
"""

import functools
import re
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit

TRACKING_PARAMETERS = {
    "fbclid",
    "gclid",
    "dclid",
    "msclkid",
    "mc_cid",
    "mc_eid",
    "igshid",
    "ref",
    "ref_src",
    "referrer",
    "source",
    "cmpid",
    "ncid",
    "amp",
    "outputtype",
    "guccounter",
    "guce_referrer",
    "guce_referrer_sig",
    "smid",
    "sr_share",
    "__twitter_impression",
}
"""Query parameters that say where a reader came from, not which story it is."""

TRACKING_PREFIXES = ("utm_", "at_", "pk_", "mtm_", "hsa_")

AMP_CACHE = re.compile(r"^(?:[a-z0-9-]+)\.cdn\.ampproject\.org$")
AMP_CACHE_PATH = re.compile(r"^/(?:[a-z]/)+(?:s/)?(?P<rest>.+)$")
AMP_SUFFIXES = (".amp.html", ".amp.htm", ".amp")
AMP_PATH_SEGMENTS = {"amp", "amphtml"}


@functools.lru_cache(maxsize=65536)
def canonical_url(url):
    """The story's address without scheme, ``www.``, tracking, AMP or CDN decoration.

    Returns ``""`` for anything that is not an http(s) URL with a host.
    Cached: a pure function of the string, and related lists name the same few
    reports again and again.
    """
    if not url:
        return ""
    try:
        parts = urlsplit(url.strip())
        host = (parts.hostname or "").lower()
    except ValueError:
        return ""
    if parts.scheme.lower() not in ("http", "https") or not host:
        return ""
    path = parts.path
    query = parts.query
    if AMP_CACHE.match(host):
        # https://www-example-com.cdn.ampproject.org/c/s/www.example.com/story → the story
        match = AMP_CACHE_PATH.match(path)
        if match:
            return canonical_url("https://" + match["rest"] + (f"?{query}" if query else ""))
    host = host.removeprefix("www.").removeprefix("amp.").removeprefix("m.")
    path = _without_amp(unquote(path) if "%" in path else path)
    kept = [
        (name, value)
        for name, value in (parse_qsl(query, keep_blank_values=True) if query else ())
        if name.lower() not in TRACKING_PARAMETERS
        and not name.lower().startswith(TRACKING_PREFIXES)
    ]
    canonical = host + (path.rstrip("/") or "")
    if kept:
        canonical += "?" + urlencode(sorted(kept))
    return canonical


def _without_amp(path):
    for suffix in AMP_SUFFIXES:
        if path.lower().endswith(suffix):
            path = path[: -len(suffix)] + (".html" if suffix.endswith((".html", ".htm")) else "")
            break
    segments = [segment for segment in path.split("/") if segment.lower() not in AMP_PATH_SEGMENTS]
    return "/".join(segments)


def canonical_addresses(*urls):
    """The distinct canonical forms of a story's URLs (web, original, AMP, CDN AMP)."""
    return sorted({form for form in map(canonical_url, urls) if form})
