"""The public stories' indexes (migration 0020) serve the queries they were made for.

At a million stories the heat sort sorted every public story (6–8 s) because no index
had heat with NULLs last; these tests read the plans, on each database, so an ORDER
BY and its index cannot drift apart (say a sort that puts NULLs first on one of them).
"""

import re

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from articles import paging
from articles.tests.factories import ArticleFactory, TopicFactory
from articles.tests.test_paged_lists import vacuumed

pytestmark = pytest.mark.django_db


@pytest.fixture
def stories():
    ArticleFactory(title="Hot", heat=500)
    ArticleFactory(title="Cool", heat=5)
    ArticleFactory(title="Unscored", heat=None)
    ArticleFactory(title="Draft", heat=900, published=False)


def executed(client, path, pattern):
    """The SQL (parameters filled in) of the one query of ``path`` matching ``pattern``."""
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    found = [q["sql"] for q in queries if re.search(pattern, q["sql"])]
    assert len(found) == 1, found
    return found[0]


def plan(sql):
    """The plan of ``sql``, with sorting and table scans priced out of the planner's
    reach where it allows it, so a tiny test table gives the plan a large one does."""
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_sort = off")
            cursor.execute(f"EXPLAIN {sql}")
        else:
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
        return "\n".join(str(row[-1]) for row in cursor.fetchall())


@pytest.mark.django_db(transaction=True)  # VACUUM, on PostgreSQL, outside a transaction
def test_the_heat_sort_walks_its_index(client, stories, monkeypatch):
    """/?sort=heat reads the page from article_public_heat_idx in order: nothing sorted.

    On PostgreSQL a sorted list longer than ``paging.CAP`` finds its page's ids by
    walking article_walk_heat_idx, from the index alone (``keptlists.paged_rows``);
    only the page's rows are sorted then.
    """
    monkeypatch.setattr(paging, "CAP", 1)  # these few stories are a long list
    sql = executed(client, "/?sort=heat", r'ORDER BY "articles_article"."heat" DESC')
    if connection.vendor == "postgresql":
        vacuumed()
    shown = plan(sql)
    if connection.vendor == "postgresql":
        assert "Index Only Scan using article_walk_heat_idx" in shown, shown
        return
    assert "article_public_heat_idx" in shown, shown
    assert not re.search(r"\bSort\b|TEMP B-TREE FOR ORDER BY", shown), shown


def test_the_heat_sort_lists_scored_stories_first(client, stories):
    """Unscored stories last, on every database (PostgreSQL sorts NULLs first in DESC)."""
    page = client.get("/?sort=heat").content.decode()
    positions = [page.index(title) for title in ("Hot", "Cool", "Unscored")]
    assert positions == sorted(positions) and "Draft" not in page


class TestThePublicRuleCover:
    """SQLite's capped counts read each story's public rule from one index (migration 0028)."""

    def test_a_topic_count_reads_no_story_row(self, client):
        """A topic's capped count finds its stories' flag, schedule and cluster in
        article_public_rule_cover_idx: no page of the stories' table per story."""
        topic = TopicFactory(slug="covered")
        for n in range(40):  # a topic among many stories, as the planner's figures say
            ArticleFactory(topics=[topic] if n % 10 == 0 else [])
        sql = executed(client, "/topics/covered/", r"^SELECT COUNT\(\*\)")
        if connection.vendor == "postgresql":
            return  # the index is SQLite's (below)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # SQLite's figures roll back with the test
        shown = plan(sql)
        assert re.search(
            r"SEARCH articles_article USING COVERING INDEX article_public_rule_cover_idx \(id=",
            shown,
        ), shown

    def test_postgres_has_no_such_index(self):
        """PostgreSQL's indexes and plans stay the million-story work's."""
        with connection.cursor() as cursor:
            names = set(connection.introspection.get_constraints(cursor, "articles_article"))
        assert ("article_public_rule_cover_idx" in names) == (connection.vendor == "sqlite")
