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

A page is kept no longer than until the next time the site changes by itself
(an embargo lifting or falling, a pin expiring: the function named by
``PAGE_CACHE_NEXT_CHANGE`` says when, in one query made only when a page is
stored), so no page outlives the state it shows and its ETag changes with it.

The cache is off unless ``PAGE_CACHE_SECONDS`` is above zero (settings switch it on
where ``REDIS_URL`` names a shared cache: a per-process memory cache could not be
emptied across workers).
"""

import hashlib
import math

from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.module_loading import import_string

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
    topics and outlets are public, the topic navigation). Like a page, it is kept no
    longer than until the next scheduled change (``storage_seconds``). None when the
    page cache is off: callers then ask the database, since a per-process copy could
    not be retired.
    """
    if not enabled():
        return None
    store = _cache()
    key = f"pagecache:{_generation(store)}:value:{name}"
    value = store.get(key)
    if value is None:
        computed_at = timezone.now()
        value = compute()
        seconds = storage_seconds(computed_at)
        if seconds > 0:
            store.set(key, value, timeout=seconds)
    return value


def kept_or_computed(name, compute):
    """``compute()``'s kept value, or with the page cache off ``compute()`` now."""
    value = kept_for_generation(name, compute)
    return compute() if value is None else value


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


def storage_seconds(rendered_at):
    """How long a page rendered at ``rendered_at`` may be kept from now.

    The setting, cut short by the first scheduled change after the page was
    rendered (a change while it rendered counts too). Rounded down, so an entry
    is gone before the change rather than a moment after; 0 means "do not store".
    """
    seconds = settings.PAGE_CACHE_SECONDS
    next_change_path = getattr(settings, "PAGE_CACHE_NEXT_CHANGE", None)
    if not next_change_path:
        return seconds
    next_change = import_string(next_change_path)(rendered_at)
    if next_change is None:
        return seconds
    left = (next_change - timezone.now()).total_seconds()
    return max(0, min(seconds, math.floor(left)))


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
        rendered_at = timezone.now()
        response = self.get_response(request)
        if _response_is_cacheable(response):
            seconds = storage_seconds(rendered_at)
            if seconds > 0:
                store.set(key, _stored(response), timeout=seconds)
            response["X-Page-Cache"] = "miss"
        return response
