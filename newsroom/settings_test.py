"""Settings for the test run: pytest-django loads this module (pyproject.toml).

The production settings, plus what only a test run needs. Per-test isolation
(media and static folders in a temporary directory) is a fixture in conftest.py.
"""

import os

# settings.py refuses to start without a secret outside debug; a secret from the
# caller's environment still wins.
os.environ.setdefault("DJANGO_SECRET_KEY", "newsroom-test-run-only-not-a-secret")

from newsroom.settings import *  # noqa: E402, F403
from newsroom.settings import DATABASES, STORAGES  # noqa: E402

# Tests never run collectstatic, so no manifest of hashed names exists.
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"
# A connection closed after each request, as before any pooling: live-server threads
# and transactional tests must not hold the test database open.
DATABASES["default"]["CONN_MAX_AGE"] = 0
# Hashing passwords slowly is the point in production and only costs time here.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
