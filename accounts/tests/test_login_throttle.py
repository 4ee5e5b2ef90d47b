"""The admin login locks a user name after repeated failures, says so, and can be unlocked."""

import datetime as dt
import io
import uuid

import pytest
from django.contrib.auth.models import User
from django.core.cache.backends import db as db_cache
from django.core.cache.backends.db import DatabaseCache
from django.core.cache.backends.redis import RedisCache
from django.core.management import call_command
from django.urls import reverse

from accounts import throttle
from articles.tests.cache_support import REDIS_URL, redis_or_skip

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("limit_of_three", "throttle_cache")]

LOGIN = reverse("admin:login")
PASSWORD = "a-long-test-password"
LOCKED = "Too many failed logins for this account: it is locked for 15 minutes."


@pytest.fixture
def limit_of_three(settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    settings.LOGIN_LOCKOUT_SECONDS = 15 * 60


@pytest.fixture(params=["database", "redis"])
def throttle_cache(request, settings):
    """The counts in the database table (the default), or in a private corner of Redis."""
    if request.param == "redis":
        redis_or_skip()
        settings.CACHES = {
            **settings.CACHES,
            settings.LOGIN_THROTTLE_CACHE: {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": REDIS_URL,
                "KEY_PREFIX": f"test-{uuid.uuid4().hex}",  # tests share the server, not keys
            },
        }
    return request.param


@pytest.fixture
def staff():
    return User.objects.create_user("ada", password=PASSWORD, is_staff=True)


def log_in(client, password, username="ada"):
    return client.post(LOGIN, {"username": username, "password": password, "next": "/admin/"})


def logged_in(client):
    return "_auth_user_id" in client.session


def fail(client, times, username="ada"):
    return [log_in(client, "wrong", username) for _ in range(times)][-1]


class TestLockout:
    def test_failures_below_the_limit_only_say_wrong_password(self, client, staff):
        response = fail(client, 2)
        assert response.status_code == 200
        assert "Please enter the correct username and password" in response.text
        assert LOCKED not in response.text
        assert throttle.failures("ada") == 2

    def test_the_last_allowed_failure_locks_and_says_so(self, client, staff):
        response = fail(client, 3)
        assert LOCKED in response.text
        assert throttle.is_locked("ada")

    def test_locked_refuses_the_right_password(self, client, staff):
        """Once locked, even the right password is refused, with the reason."""
        fail(client, 3)
        response = log_in(client, PASSWORD)
        assert response.status_code == 200
        assert LOCKED in response.text
        assert "ask an administrator to unlock it" in response.text
        assert not logged_in(client)

    def test_the_lock_is_per_user_name(self, client, staff):
        """Another user still logs in; case does not make a new name to guess under."""
        User.objects.create_user("grace", password=PASSWORD, is_staff=True)
        fail(client, 3, username="ADA")
        assert throttle.is_locked("ada")
        assert log_in(client, PASSWORD, username="grace").status_code == 302
        assert logged_in(client)

    def test_unknown_names_lock_too(self, client):
        """Whether an account exists does not show in how the login answers."""
        assert LOCKED in fail(client, 3, username="nobody").text

    def test_a_success_resets_the_count(self, client, staff):
        fail(client, 2)
        assert log_in(client, PASSWORD).status_code == 302
        assert throttle.failures("ada") == 0
        client.logout()
        assert LOCKED not in fail(client, 2).text

    def test_the_lock_runs_out(self, client, staff, monkeypatch):
        """The lock lasts LOGIN_LOCKOUT_SECONDS (900) after the failure that set it."""
        if not isinstance(throttle._cache(), DatabaseCache):
            pytest.skip("moves the database cache's clock")
        fail(client, 3)
        now = db_cache.tz_now()
        monkeypatch.setattr(db_cache, "tz_now", lambda: now + dt.timedelta(seconds=850))
        assert LOCKED in log_in(client, PASSWORD).text
        monkeypatch.setattr(db_cache, "tz_now", lambda: now + dt.timedelta(seconds=901))
        assert log_in(client, PASSWORD).status_code == 302


class TestSharedCounts:
    def test_every_process_sees_the_same_counts(self):
        """Not the per-process default cache: workers and unlock_login must share the counts."""
        assert isinstance(throttle._cache(), DatabaseCache | RedisCache)


class TestUnlockCommand:
    def unlock(self, *usernames):
        out = io.StringIO()
        call_command("unlock_login", *usernames, stdout=out)
        return out.getvalue()

    def test_unlock_lets_the_right_password_in(self, client, staff):
        fail(client, 3)
        assert self.unlock("ada", "grace") == (
            "ada: unlocked\ngrace: was not locked (its failure count is cleared)\n"
        )
        assert log_in(client, PASSWORD).status_code == 302
        assert logged_in(client)
