"""Shared pieces of the public-site tests (imported by test_public_*, test_api*, test_feeds*)."""

import pytest

from articles.tests.factories import ArticleFactory, ArticleImageFactory


@pytest.fixture(autouse=True)
def plain_static_storage(settings):
    """Templates use {% static %}; the manifest storage needs collectstatic, tests do not."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def full_story(**kwargs):
    """A published story with topics and an image: every prefetch of a list has work to do."""
    topics = kwargs.pop("topics", None)
    article = ArticleFactory(topics=topics, **kwargs)
    ArticleImageFactory(article=article, position=0)
    return article
