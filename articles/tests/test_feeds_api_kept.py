"""The API's and feeds' lists from SQL kept compiled (``newsroom.precompiled``).

Each page is rendered with ``NEWSROOM_PRECOMPILED_SQL`` off (every query built by
the ORM, the reference), then kept twice: compiled, then only run. The bytes and
the query count are the reference's, and the run builds no ORM query at all but
the filter form's topic look-up (``articles.keptlists``).
"""

import pytest
from django.db import connection
from django.db.models.sql.compiler import SQLCompiler
from django.test.utils import CaptureQueriesContext

from articles import paging
from articles.tests.test_feeds_api_bytes import varied_stories  # noqa: F401  # a fixture
from newsroom import precompiled

pytestmark = pytest.mark.django_db

KEPT_PATHS = {
    # path: the ORM compiles a run still makes: a topic filter's form field looks the topic
    # up (its query and its public rule's subquery)
    "/api/news/": 0,
    "/api/news/?page=2": 0,
    "/api/news/?page=9": 0,
    "/api/news/page/2/index.json": 0,
    "/api/news/zeta/": 0,
    "/api/news/ethics/?page=2": 0,
    "/api/news/?collapse=clusters": 0,
    "/api/news/zeta/?collapse=clusters&page=2": 0,
    "/api/news/?topic=&sort=": 0,
    "/api/news/?sort=heat&page=2": 0,
    "/api/news/?type=video&sort=quality": 0,
    "/api/news/?min_quality=3&sort=heat&page=2": 0,
    "/api/news/?min_quality=6.5&sort=heat": 0,  # 6 counts, as the ORM truncates
    "/api/news/?topic=zeta&sort=quality": 2,
    "/api/news/ethics/?topic=zeta&collapse=clusters": 2,
    "/feeds/rss/": 0,
    "/feeds/atom/": 0,
    "/feeds/json/": 0,
    "/feeds/rss/?q=&topic=": 0,
    "/feeds/rss/?topic=zeta&sort=quality": 2,
    "/feeds/json/?type=video&sort=heat": 0,
}


def rendered(client, path):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    return response.status_code, response.content, len(queries)


@pytest.fixture
def compiles(monkeypatch):
    """How many ORM queries were compiled (``SQLCompiler.as_sql`` calls) since the last read."""
    calls = []
    as_sql = SQLCompiler.as_sql

    def counted(self, *args, **kwargs):
        calls.append(self.query.model)
        return as_sql(self, *args, **kwargs)

    monkeypatch.setattr(SQLCompiler, "as_sql", counted)

    def read():
        count = len(calls)
        calls.clear()
        return count

    return read


@pytest.mark.parametrize(("path", "form_queries"), KEPT_PATHS.items())
def test_kept_as_the_orm_made_it(
    client,
    settings,
    varied_stories,  # noqa: F811
    monkeypatch,
    compiles,
    path,
    form_queries,
):
    monkeypatch.setattr(paging, "DEEP_OFFSET", 10)  # page 2 on is read ids first
    precompiled.forget()
    settings.NEWSROOM_PRECOMPILED_SQL = False
    expected = rendered(client, path)
    settings.NEWSROOM_PRECOMPILED_SQL = True
    assert rendered(client, path) == expected  # compiled now
    compiles()
    assert rendered(client, path) == expected  # only run
    assert compiles() == form_queries


@pytest.mark.parametrize("path", ["/api/news/?q=story", "/feeds/rss/?provider=Wired"])
def test_other_filters_still_go_through_the_orm(client, varied_stories, compiles, path):  # noqa: F811
    client.get(path)
    compiles()
    client.get(path)
    assert compiles() > 1
