"""Shared pieces of the public-site tests (imported by test_public_*, test_api*, test_feeds*)."""

from articles.tests.factories import ArticleFactory, ArticleImageFactory

NAV_QUERIES = 1
"""Every public page's topic navigation: the public taxonomy, one query (articles/taxonomy.py)."""


def full_story(**kwargs):
    """A published story with topics and an image: every prefetch of a list has work to do."""
    topics = kwargs.pop("topics", None)
    article = ArticleFactory(topics=topics, **kwargs)
    ArticleImageFactory(article=article, position=0)
    return article
