"""Shared pieces of the public-site tests (imported by test_public_*, test_api*, test_feeds*)."""

import re

from articles.tests.factories import ArticleFactory, ArticleImageFactory

NAV_QUERIES = 1
"""Every public page's topic navigation: the public taxonomy, one query (articles/taxonomy.py)."""


def full_story(**kwargs):
    """A published story with topics and an image: every prefetch of a list has work to do."""
    topics = kwargs.pop("topics", None)
    article = ArticleFactory(topics=topics, **kwargs)
    ArticleImageFactory(article=article, position=0)
    return article


def images_of(html):
    """Every ``<img>`` of the page's body as a dict of its attributes."""
    body = html.split("<body>", 1)[1]
    return [dict(re.findall(r'(\w+)="([^"]*)"', tag)) for tag in re.findall(r"<img [^>]*>", body)]


def image_urls(image):
    """The addresses an ``<img>`` (from ``images_of``) may load: its ``src`` and ``srcset``'s."""
    candidates = image.get("srcset", "").split(", ")
    return {image["src"], *(candidate.rsplit(" ", 1)[0] for candidate in candidates if candidate)}
