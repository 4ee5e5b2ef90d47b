"""Migration 0023: the topic links indexed by (topic, story), read without parallel workers.

A topic page's capped count starts from the topic's links; at a million stories it
was a bitmap heap scan of the links table under a parallel plan (docs/performance.md,
"Filtered lists from kept SQL, and the topic links' index"). Which index a test
table of a few rows is read by depends on its statistics, so these read the index
and the table's setting themselves.
"""

import pytest
from django.db import connection

from articles.models import Article

pytestmark = pytest.mark.django_db

LINKS = Article.topics.through._meta.db_table


def test_the_topic_links_are_indexed_by_topic_then_story():
    """On each database: a topic's story ids from the index alone."""
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, LINKS)
    index = found.get("article_topics_topic_article_idx")
    assert index and index["index"] and index["columns"] == ["topic_id", "article_id"], found


@pytest.mark.postgres
def test_the_topic_links_are_read_without_parallel_workers():
    """Starting workers cost a topic page more than reading its thousand links."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT reloptions FROM pg_class WHERE relname = %s", [LINKS])
        (options,) = cursor.fetchone()
    assert "parallel_workers=0" in (options or []), options
