"""Fixtures shared by the articles tests."""

import uuid

import pytest

from .browser import CHROMIUM, CHROMIUM_ARGS, OfflineBrowser
from .cache_support import REDIS_URL, redis_or_skip


@pytest.fixture
def chromium(monkeypatch, live_server):
    """A launched chromium whose every page reaches the live server only (``OfflineBrowser``).

    Playwright's sync API runs an event loop in this thread, and Django refuses
    database access from such a thread unless told it is deliberate."""
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield OfflineBrowser(browser, live_server.url)
        browser.close()


@pytest.fixture
def demo(db):
    """The demo's data (fixtures/) plus a story, outlet and topic made of long unbroken words."""
    from .demo_site import import_demo

    return import_demo()


@pytest.fixture(params=["memory", "redis"])
def page_cache(request, settings):
    """Switch the page cache on, over a fresh memory cache or a private corner of Redis."""
    if request.param == "redis":
        redis_or_skip()
        backend = {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": f"test-{uuid.uuid4().hex}",  # tests share the server, not keys
        }
    else:
        backend = {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": uuid.uuid4().hex,
        }
    settings.CACHES = {**settings.CACHES, "default": backend}  # the login throttle keeps its own
    settings.PAGE_CACHE_SECONDS = 300
    return request.param
