"""The Redis the cache tests use: bin/with-redis (and bin/test) start one."""

import os

import pytest

REDIS_URL = os.environ.get("NEWSROOM_TEST_REDIS_URL")


def redis_or_skip():
    if REDIS_URL:
        return
    if os.environ.get("CI"):
        pytest.fail("CI must run the cache tests against Redis: run them under bin/with-redis")
    pytest.skip("needs Redis: run under bin/with-redis")
