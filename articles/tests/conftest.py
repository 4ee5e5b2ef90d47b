"""Fixtures shared by the articles tests."""

import pytest

from .browser import CHROMIUM, CHROMIUM_ARGS, OfflineBrowser
from .cache_support import memory_cache, redis_cache, use_page_cache


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
    use_page_cache(settings, redis_cache() if request.param == "redis" else memory_cache())
    return request.param
