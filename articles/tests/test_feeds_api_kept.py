"""The API's and feeds' unfiltered pages from SQL kept compiled (``newsroom.precompiled``).

Each page is rendered with ``NEWSROOM_PRECOMPILED_SQL`` off (every query built by
the ORM, the reference), then kept twice: compiled, then only run. The bytes and
the query count are the reference's, and the run builds no ORM query at all.
"""

import pytest
from django.db import connection
from django.db.models.sql.compiler import SQLCompiler
from django.test.utils import CaptureQueriesContext

from articles import paging
from articles.tests.test_feeds_api_bytes import varied_stories  # noqa: F401  # a fixture
from newsroom import precompiled

pytestmark = pytest.mark.django_db

KEPT_PATHS = (
    "/api/news/",
    "/api/news/?page=2",
    "/api/news/?page=9",
    "/api/news/page/2/index.json",
    "/api/news/zeta/",
    "/api/news/ethics/?page=2",
    "/api/news/?collapse=clusters",
    "/api/news/zeta/?collapse=clusters&page=2",
    "/api/news/?topic=&sort=",
    "/feeds/rss/",
    "/feeds/atom/",
    "/feeds/json/",
    "/feeds/rss/?q=&topic=",
)


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


@pytest.mark.parametrize("path", KEPT_PATHS)
def test_kept_as_the_orm_made_it(client, settings, varied_stories, monkeypatch, compiles, path):  # noqa: F811
    monkeypatch.setattr(paging, "DEEP_OFFSET", 10)  # page 2 on is read ids first
    precompiled.forget()
    settings.NEWSROOM_PRECOMPILED_SQL = False
    expected = rendered(client, path)
    settings.NEWSROOM_PRECOMPILED_SQL = True
    assert rendered(client, path) == expected  # compiled now
    compiles()
    assert rendered(client, path) == expected  # only run
    assert compiles() == 0


def test_a_filter_still_goes_through_the_orm(client, varied_stories, compiles):  # noqa: F811
    client.get("/api/news/?sort=heat")
    compiles()
    client.get("/api/news/?sort=heat")
    assert compiles() > 0
