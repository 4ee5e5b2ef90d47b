"""Filtered, sorted lists find their page's ids from a sort's index alone (PostgreSQL).

``keptlists.paged_rows`` and migration 0026: at a million stories a topic sorted by
quality read 50,000 stories for 20 (its stories sort late), videos by heat 38,000.
The plans are read with sorting and table scans priced out of the planner's reach,
so a test table of a few rows gives the plan a large one does; the pages themselves
are compared with the ORM's in ``test_precompiled_pages.py``.
"""

import re

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from articles import keptlists, paging

from .factories import ArticleFactory, TopicFactory

# VACUUM runs outside a transaction: these tests commit (and flush after).
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]


def vacuumed():
    """Mark the stories' pages all-visible, as a settled table's are: until then an
    index-only scan reads the table as well, and costs the planner no less than any
    other index (it picked one by its statistics: failures under xdist). The indexes
    are rebuilt first: the rows of earlier tests, rolled back, leave their pages in
    them, and an index grown by them priced its walk out of the plan
    (``test_the_heat_sort_walks_its_index`` failed after any other test file)."""
    with connection.cursor() as cursor:
        for table in ("articles_article", "articles_article_topics", "articles_cluster"):
            cursor.execute(f"REINDEX TABLE {table}")
            cursor.execute(f"VACUUM ANALYZE {table}")


@pytest.fixture
def stories():
    science = TopicFactory(name="Science", slug="science")
    for n in range(6):
        ArticleFactory(topics=[science], quality=n * 10, heat=n, type="video" if n % 2 else "")
    ArticleFactory(quality=99)
    vacuumed()


def paged_statement(client, path):
    """The statement that read the page's rows by the ids of its subquery."""
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    found = [q["sql"] for q in queries if "LIMIT 21 OFFSET 0)" in q["sql"]]
    assert len(found) == 1, [q["sql"][:200] for q in queries]
    return found[0]


def plan(sql):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute(f"EXPLAIN {sql}")
        return "\n".join(row[0] for row in cursor.fetchall())


def test_each_sorts_index_holds_what_a_page_of_ids_reads():
    """The schedule, the cluster and every kept filter's column beside the sort's keys."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE indexname LIKE 'article_walk_%%'"
        )
        found = dict(cursor.fetchall())
    sorts = {f"article_walk_{s}_idx" for s in ("newest", "quality", "heat", "type_quality")}
    assert set(found) == sorts, found
    wanted = {"publish_at", "unpublish_at", "cluster_id", "provider_id", "type", "quality", "heat"}
    for definition in found.values():
        columns = set(re.findall(r"\b[a-z_]+\b", definition.partition("USING btree")[2]))
        assert wanted | {"published", "published_at", "id"} <= columns, definition


@pytest.fixture
def long_lists(monkeypatch):
    """Every list of the fixture counts as long: past ``paging.CAP``."""
    monkeypatch.setattr(paging, "CAP", 1)


@pytest.fixture
def deep(monkeypatch):
    """Every page is a deep page (``paging.DEEP_OFFSET``)."""
    monkeypatch.setattr(paging, "DEEP_OFFSET", 0)


@pytest.mark.parametrize(
    ("path", "index"),
    [
        ("/topics/science/?sort=quality", "article_walk_quality_idx"),
        ("/?type=video&sort=heat", "article_walk_heat_idx"),
        ("/?topic=science&min_quality=10", "article_walk_newest_idx"),
        ("/?type=video&min_quality=10&sort=quality", "article_walk_type_quality_idx"),
    ],
)
def test_a_long_list_walks_its_sorts_index_alone(client, stories, long_lists, path, index):
    """Past ``paging.CAP`` stories the ids come from an index-only walk, a topic from a hash
    in a walk by score (``keptlists.HASHED_TOPICS_FOR``)."""
    shown = plan(paged_statement(client, path))
    assert f"Index Only Scan using {index}" in shown, shown
    assert ("hashed SubPlan" in shown) == ("topic" in path and "sort=" in path), shown


UNINDEXED = re.compile(r'ORDER BY COALESCE\(("\w+")\."quality", \1\."quality"\) DESC')
"""The order no index serves (``search.order_matches``): the list found first, then sorted."""


def test_a_short_list_is_found_first_then_sorted(client, stories, monkeypatch):
    """Up to ``paging.CAP`` stories no walk can beat reading them: their order is one no
    index serves, and the walk's when the list is long."""
    assert UNINDEXED.search(paged_statement(client, "/topics/science/?sort=quality"))
    monkeypatch.setattr(paging, "CAP", 1)
    assert not UNINDEXED.search(paged_statement(client, "/topics/science/?sort=quality"))


IDS = ('SELECT "articles_article"."id" AS "pk" FROM "articles_article"', "ORDER BY")
"""How the statement finding a deep page's ids (``paging.kept_page_rows``) begins, what it holds."""
FENCED = ('SELECT "articles_article"."id" AS "pk" FROM (SELECT', " OFFSET 0) ")
"""The same for the ids found outside a fence (``keptlists.fenced_ids``)."""
ROWS = ('SELECT "articles_article"."id", "articles_article"."slug"', '"articles_article"."id" IN (')
"""The same for the statement reading the rows of those ids."""


def the_statement(client, path, kind=FENCED):
    """The one statement of ``kind`` (:data:`IDS`, :data:`FENCED`, :data:`ROWS`) at ``path``."""
    begins, holds = kind
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    found = [q["sql"] for q in queries if q["sql"].startswith(begins) and holds in q["sql"]]
    assert len(found) == 1, [q["sql"][:200] for q in queries]
    return found[0]


def fenced_parts(sql):
    """The fenced subquery of a :data:`FENCED` statement, and what is outside it."""
    inner, _, outer = sql.partition(FENCED[1])
    return inner, outer


@pytest.mark.parametrize("path", ["/topics/science/", "/?topic=science&min_quality=10"])
def test_a_deep_page_tests_a_topic_against_a_hash_in_any_sort(
    client, stories, long_lists, deep, path
):
    """A deep page passes thousands of the topic's stories first: newest first too, the walk
    tests them against the links' hash, not a probe of the links per story."""
    shown = plan(the_statement(client, path))
    assert "Index Only Scan using article_walk_newest_idx" in shown, shown
    assert "hashed SubPlan" in shown, shown


def test_a_deep_page_probes_the_clusters_outside_the_filters_fence(
    client, stories, long_lists, deep, monkeypatch
):
    """On a deep page of a list up to ``keptlists.FENCED_UP_TO`` the filters' stories come
    from a subquery the planner keeps whole (a Subquery Scan), and each one's cluster is
    probed by key outside it: no join to the clusters, which PostgreSQL hashed whole
    (1,000,000 rows, spilled to disk) for a list it expected long, and no probe inside
    the walk, which it charged to every story walked. A longer list keeps the join and
    the walk, and so do the first pages."""
    path = "/?type=video&sort=heat"
    inner, outer = fenced_parts(the_statement(client, path))
    assert "articles_cluster" not in inner, inner
    assert 'FROM "articles_cluster"' in outer and 'JOIN "articles_cluster"' not in outer, outer
    shown = plan(the_statement(client, path))
    assert "Subquery Scan on articles_article" in shown, shown
    assert "Index Only Scan using article_walk_heat_idx" in shown, shown
    monkeypatch.setattr(keptlists, "FENCED_UP_TO", 0)  # a list longer than that
    assert 'JOIN "articles_cluster"' in the_statement(client, path, IDS)
    monkeypatch.setattr(paging, "DEEP_OFFSET", 200)
    assert 'JOIN "articles_cluster"' in paged_statement(client, path)


def test_the_fence_holds_only_what_the_test_and_the_sort_read(client, stories, long_lists, deep):
    """With every column of a story in the fence PostgreSQL priced sorting the list as a
    sort spilled to disk, and walked the sort's index past 320,000 entries rather than
    sort 4,643 stories (``keptlists.FENCED_COLUMNS``)."""
    inner, _ = fenced_parts(the_statement(client, "/?topic=science&min_quality=10&sort=heat"))
    selected = inner.removeprefix(FENCED[0]).partition(' FROM "articles_article"')[0]
    columns = set(re.findall(r'"articles_article"\."(\w+)"', selected))
    assert columns == set(keptlists.FENCED_COLUMNS), selected


@pytest.mark.parametrize("path", ["/topics/science/?sort=heat", "/?topic=science&min_quality=10"])
def test_a_deep_pages_rows_are_read_by_id_with_the_topic_joined(
    client, stories, long_lists, deep, path
):
    """The walk's hash of the topic's links (25,000 at a million stories, 2–3 ms), and with
    a minimum quality an intersection with the quality index (24–30 ms), cost more than
    probing the links and the clusters for the page's 21 ids."""
    assert "hashed SubPlan" in plan(the_statement(client, path))
    rows = the_statement(client, path, ROWS)
    assert 'INNER JOIN "articles_article_topics"' in rows, rows
    assert '"articles_article_topics" "U0"' not in rows, rows  # no IN (links) subquery
    assert 'JOIN "articles_cluster"' not in rows and 'FROM "articles_cluster"' in rows, rows
    assert "hashed SubPlan" not in plan(rows)
