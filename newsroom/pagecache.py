"""A shared cache of what anonymous readers get, emptied whenever what it shows changes.

Django's own per-site cache (``UpdateCacheMiddleware``/``FetchFromCacheMiddleware``)
has no way to drop every page at once when a story is published, keeps a copy per
session cookie for signed-in staff, and tells browsers to keep pages for the whole
timeout, so a story taken down would stay visible in them. Here instead:

- only requests without a session cookie are served from or stored in the cache, so
  staff (always signed in) never get or fill a reader's copy;
- every key carries a *generation* kept in the cache itself; ``pages_changed()`` bumps
  it, which retires every stored page on every app server at once (Redis is the
  shared store in production, see docs/deploy.md);
- the full path with its query string is the key, so two filters or two pages never
  share an entry; responses keep their own headers (and so their ETag) but gain no
  ``max-age``: browsers revalidate, and a changed page is changed for them too.

The cache is off unless ``PAGE_CACHE_SECONDS`` is above zero (settings switch it on
where ``REDIS_URL`` names a shared cache: a per-process memory cache could not be
emptied across workers).
"""

import hashlib

from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponse
from django.utils.cache import get_conditional_response

GENERATION_KEY = "pagecache:generation"
# Paths whose answers depend on who asks, or that WhiteNoise/the media view serve.
UNCACHED_PREFIXES = ("/admin/", "/static/", "/media/", "/health")


def _cache():
    return caches[settings.PAGE_CACHE_ALIAS]


def enabled():
    return settings.PAGE_CACHE_SECONDS > 0


def pages_changed():
    """Retire every stored page: call after anything a public page shows has changed."""
    if not enabled():
        return
    store = _cache()
    try:
        store.incr(GENERATION_KEY)
    except ValueError:  # not there yet (or evicted): any new value retires the old keys
        store.add(GENERATION_KEY, 1, timeout=None)
        store.incr(GENERATION_KEY)


def kept_for_generation(name, compute):
    """``compute()``, kept in the shared cache until the next ``pages_changed()``.

    For what many pages ask and only a change of public content changes (which
    topics and outlets are public). None when the page cache is off: callers
    then ask the database, since a per-process copy could not be retired.
    """
    if not enabled():
        return None
    store = _cache()
    key = f"pagecache:{_generation(store)}:value:{name}"
    value = store.get(key)
    if value is None:
        value = compute()
        store.set(key, value, timeout=settings.PAGE_CACHE_SECONDS)
    return value


def _generation(store):
    generation = store.get(GENERATION_KEY)
    if generation is None:
        store.add(GENERATION_KEY, 0, timeout=None)
        generation = store.get(GENERATION_KEY, 0)
    return generation


def page_key(request, generation):
    path = request.get_full_path()
    digest = hashlib.sha256(f"{request.get_host()}|{path}".encode()).hexdigest()
    return f"pagecache:{generation}:{digest}"


def _request_is_cacheable(request):
    return (
        request.method == "GET"
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and not request.path.startswith(UNCACHED_PREFIXES)
    )


def _response_is_cacheable(response):
    cache_control = response.get("Cache-Control", "")
    # Only the session cookie may vary a public page, and anonymous requests carry none.
    varies_on = {
        name.strip().lower() for name in response.get("Vary", "").split(",") if name.strip()
    }
    return (
        response.status_code == 200
        and not response.streaming
        # A page that sets a cookie (a CSRF token's does, each time a page uses one)
        # belongs to the one reader it was made for.
        and not response.cookies
        and varies_on <= {"cookie"}
        and not any(word in cache_control for word in ("private", "no-store", "no-cache"))
    )


def _stored(response):
    return {"content": response.content, "headers": list(response.items())}


def _replayed(request, stored):
    response = HttpResponse(stored["content"])
    for name, value in stored["headers"]:
        response[name] = value
    response["X-Page-Cache"] = "hit"
    # The ETag/Last-Modified the page was stored with still describe it.
    return get_conditional_response(
        request,
        etag=response.get("ETag"),
        last_modified=None,
        response=response,
    )


class AnonymousPageCacheMiddleware:
    """Serve anonymous GETs from the shared cache; store what they were answered."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not (enabled() and _request_is_cacheable(request)):
            return self.get_response(request)
        store = _cache()
        generation = _generation(store)
        key = page_key(request, generation)
        stored = store.get(key)
        if stored is not None:
            return _replayed(request, stored)
        response = self.get_response(request)
        if _response_is_cacheable(response):
            store.set(key, _stored(response), timeout=settings.PAGE_CACHE_SECONDS)
            response["X-Page-Cache"] = "miss"
        return response
