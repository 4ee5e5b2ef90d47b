"""Project-wide test settings: fast password hashing and a private media folder."""

from pathlib import Path

import pytest

CORPUS = Path(__file__).resolve().parent.parent / "shared" / "corpus"


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
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
