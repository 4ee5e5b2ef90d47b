"""Login throttling: after ``LOGIN_FAILURE_LIMIT`` refused logins a user name is locked.

Counts are kept per user name (case-folded), not per client address: behind the
proxy every request comes from the proxy's address, and the forwarded address is
whatever the client wrote. The lock ends ``LOGIN_LOCKOUT_SECONDS`` after the
failure that set it, or when an operator runs ``manage.py unlock_login``.

They live in the ``LOGIN_THROTTLE_CACHE`` cache, which every app server and
management command must share (Redis, or a database table): a per-process cache
would give each worker its own count and leave the operator nothing to unlock.
"""

import hashlib
import math

from django.conf import settings
from django.core.cache import caches


def _cache():
    return caches[settings.LOGIN_THROTTLE_CACHE]


def _key(username):
    # Hashed: any user name becomes a valid cache key of fixed length.
    return "login-failures:" + hashlib.sha256(username.casefold().encode()).hexdigest()


def failures(username):
    """Refused logins for ``username`` within the lockout window."""
    return _cache().get(_key(username), 0)


def is_locked(username):
    return failures(username) >= settings.LOGIN_FAILURE_LIMIT


def record_failure(username):
    """Count one refused login; return whether ``username`` is now locked.

    Each failure keeps the count for another lockout period (``set`` with a
    timeout rather than ``incr``, which the database cache would not give one).
    """
    count = failures(username) + 1
    _cache().set(_key(username), count, settings.LOGIN_LOCKOUT_SECONDS)
    return count >= settings.LOGIN_FAILURE_LIMIT


def reset(username):
    """Forget ``username``'s failures (a login succeeded, or an operator unlocked it).

    Returns whether it was locked.
    """
    was_locked = is_locked(username)
    _cache().delete(_key(username))
    return was_locked


def lockout_duration():
    """How long a lock lasts, in words: "15 minutes"."""
    minutes = math.ceil(settings.LOGIN_LOCKOUT_SECONDS / 60)
    return f"{minutes} minute" if minutes == 1 else f"{minutes} minutes"
