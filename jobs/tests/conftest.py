"""Fixtures for the jobs tests."""

import pytest
from django.contrib.auth.models import Permission, User

from .support import WorkerDatabase


@pytest.fixture
def staff_client(client, db):
    """Staff with no permission on jobs at all."""
    user = User.objects.create_user("staff", password="a-long-test-password", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_article"))
    client.force_login(user)
    return client


@pytest.fixture
def worker_database(transactional_db, tmp_path):
    return WorkerDatabase(tmp_path)


from articles.tests.conftest import chromium  # noqa: E402, F401  (the shared browser fixture)
