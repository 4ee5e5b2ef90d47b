"""Project-wide test fixtures: a private media folder per test, backend markers.

Settings for the whole run live in newsroom/settings_test.py.
"""

from pathlib import Path

import pytest
from django.db import connection

# ../shared/corpus beside the checkout, or beside a folder holding it (a git worktree).
CORPUS = next(
    (
        folder / "shared" / "corpus"
        for folder in Path(__file__).resolve().parents[1:]
        if (folder / "shared" / "corpus").is_dir()
    ),
    Path(__file__).resolve().parent.parent / "shared" / "corpus",
)

BACKEND_ONLY = {
    "postgres": ("postgresql", "needs PostgreSQL (run under bin/with-postgres)"),
    "sqlite": ("sqlite", "only meaningful on SQLite (this run uses PostgreSQL)"),
}


def pytest_collection_modifyitems(config, items):
    """Skip ``@pytest.mark.postgres`` tests off PostgreSQL and ``sqlite`` ones off SQLite;
    give every test that commits for real the data the migrations made."""
    for item in items:
        for marker, (vendor, reason) in BACKEND_ONLY.items():
            if item.get_closest_marker(marker) and connection.vendor != vendor:
                item.add_marker(pytest.mark.skip(reason=reason))
        if _commits_for_real(item):
            # One way for every such test: restore what migrations stored (content types,
            # permissions, the Editors group, starter rules) before it and empty the
            # tables after. Mixing in tests that flush without restoring leaves the
            # content types that the flush re-creates in the way of the next restore.
            # First, so it is the closest marker even where a test carries its own
            # ``django_db(transaction=True)``, which would otherwise win and not restore.
            item.add_marker(
                pytest.mark.django_db(transaction=True, serialized_rollback=True), append=False
            )


def _commits_for_real(item):
    marker = item.get_closest_marker("django_db")
    if marker is not None and marker.kwargs.get("transaction"):
        return True
    fixtures = getattr(item, "fixturenames", ())
    return "transactional_db" in fixtures or "live_server" in fixtures


@pytest.fixture(autouse=True)
def _isolated_files(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    # WhiteNoise warns when STATIC_ROOT is missing; tests never collect static files.
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STATIC_ROOT.mkdir()


@pytest.fixture
def corpus():
    """The real files of the seed format (../shared/corpus)."""
    if not CORPUS.is_dir():
        pytest.fail(f"the shared corpus is missing at {CORPUS}")
    return CORPUS


@pytest.fixture
def editor(db):
    """A member of the Editors group (staff, not a superuser)."""
    from articles.tests.admin_helpers import make_editor

    return make_editor()


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def memory_page_cache(settings):
    """The page cache on, over a fresh memory cache."""
    from articles.tests.cache_support import memory_cache, use_page_cache

    use_page_cache(settings, memory_cache())
