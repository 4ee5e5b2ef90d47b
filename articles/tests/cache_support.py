"""The caches the page-cache tests use: a private memory cache, or the Redis that
bin/with-redis (and bin/test) start."""

import os
import uuid

import pytest

REDIS_URL = os.environ.get("NEWSROOM_TEST_REDIS_URL")


def redis_or_skip():
    if REDIS_URL:
        return
    if os.environ.get("CI"):
        pytest.fail("CI must run the cache tests against Redis: run them under bin/with-redis")
    pytest.skip("needs Redis: run under bin/with-redis")


def memory_cache():
    """Settings of a fresh, private memory cache."""
    return {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": uuid.uuid4().hex,
    }


def redis_cache():
    """Settings of a private corner of the test Redis (tests share the server, not keys)."""
    redis_or_skip()
    return {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": f"test-{uuid.uuid4().hex}",
    }


def use_page_cache(settings, backend):
    """Switch the page cache on over ``backend`` (the login throttle keeps its own cache)."""
    settings.CACHES = {**settings.CACHES, "default": backend}
    settings.PAGE_CACHE_SECONDS = 300
