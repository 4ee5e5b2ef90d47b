"""newsroom.precompiled: a fixed-shape query compiled once, then run with new values.

Each use is compared with the ORM's own answer for the same values (models with
select_related, annotations and prefetches; values() and values_list() rows;
counts; slices), on whichever database the run uses (CI runs SQLite and
PostgreSQL).
"""

import copy
import datetime as dt
import pickle
import threading

import pytest
from django.db import connection, connections
from django.db.models import Count, OuterRef, Subquery
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article
from articles.tests.factories import ArticleFactory, TopicFactory
from articles.tests.public_support import full_story
from newsroom import precompiled
from newsroom.precompiled import (
    NotFixedShape,
    precompiled_count,
    precompiled_rows,
    precompiled_sql,
    shape_of,
)

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2025, 6, 1, 12, tzinfo=dt.UTC)


def cards(now, topic=None):
    """A list like the site's: public rule at ``now``, outlet, topics, images, an annotation."""
    stories = Article.objects.published(now).for_list()
    if topic is not None:
        stories = stories.filter(topics=topic)
    same_outlet = Article.objects.filter(provider=OuterRef("provider"))
    same_outlet = same_outlet.order_by().values("provider")
    counted = same_outlet.annotate(n=Count("pk")).values("n")
    return stories.annotate(outlet_stories=Subquery(counted)).order_by("-published_at", "-pk")


def described(stories):
    """What a page reads of each story: fields, outlet, annotation, topics and images."""
    return [
        (
            story.pk,
            story.title,
            story.published_at,
            story.quality,
            story.provider.name,
            story.outlet_stories,
            [topic.slug for topic in story.topics.all()],
            [image.position for image in story.images.all()],
        )
        for story in stories
    ]


@pytest.fixture(autouse=True)
def fresh_shapes():
    precompiled.forget()
    yield
    precompiled.forget()


@pytest.fixture
def stories():
    science, sport = TopicFactory(), TopicFactory()
    made = [
        full_story(topics=[science, sport] if n % 2 else [sport], quality=None if n == 3 else n)
        for n in range(7)
    ]
    ArticleFactory(publish_at=NOW + dt.timedelta(hours=1))  # embargoed until an hour after NOW
    ArticleFactory(published=False)
    return made, science, sport


class TestSameRowsAsTheORM:
    def test_models_with_related_annotations_and_prefetches(self, stories):
        _, science, _ = stories
        for params in ({"now": NOW}, {"now": NOW, "topic": science.pk}):
            expected = described(cards(**params))
            assert described(precompiled_rows("cards", cards, params)) == expected

    def test_prefetches_from_kept_sql_as_django_caches_them(self, stories):
        got = precompiled_rows("cards", cards, {"now": NOW})
        names = {key[0] for key in precompiled._kept}
        assert {"cards:prefetch:topics", "cards:prefetch:images"} <= names
        expected = {story.pk: list(Article.objects.get(pk=story.pk).topics.all()) for story in got}
        with CaptureQueriesContext(connection) as queries:
            for story in got:
                for image in story.images.all():
                    assert image.article is story  # the reverse relation is set, as Django does
                assert story.topics.all()._prefetch_done
                assert list(story.topics.all()) == expected[story.pk]
        assert not queries

    def test_a_kept_prefetch_queries_on_as_djangos_does(self, stories):
        """Past its rows, ``.all()`` is Django's queryset: filtered to its story, same class."""
        _, science, sport = stories
        got = precompiled_rows("cards", cards, {"now": NOW})
        by_django = {story.pk: story for story in cards(NOW)}
        for story in got:
            django_story = by_django[story.pk]
            for name in ("topics", "images"):
                kept, django = getattr(story, name).all(), getattr(django_story, name).all()
                assert type(kept) is not type(django)  # rows only, no queryset made yet
                assert len(kept) == len(django) and bool(kept) == bool(django)
                assert list(kept[:1]) == list(django[:1])
                assert list(kept.order_by("-pk")) == list(django.order_by("-pk"))
                assert type(kept) is type(django) and kept.db == django.db
                assert str(kept.query) == str(django.query)
                assert list(kept) == list(django)  # its rows kept, with no query
            science_only = story.topics.all().filter(slug=science.slug)
            assert list(science_only) == list(django_story.topics.filter(slug=science.slug))
            assert story.topics.exclude(pk=sport.pk).count() == (science in story.topics.all())
            assert pickle.loads(pickle.dumps(story)).topics.all()[:] == list(story.topics.all())
            copied = copy.deepcopy(story)
            assert list(copied.images.all()) == list(story.images.all())

    def test_deferred_fields_are_deferred_as_django_defers_them(self, stories):
        """A story loaded with ``only()``: the same loaded values, deferred fields and state."""

        def shown(now):
            return cards(now).only("slug", "title", "published_at", "provider__name")

        def state(story):
            # (the prefetch caches differ in kind, not rows: test_a_kept_prefetch_queries_on...)
            skipped = {"_state", "_prefetched_objects_cache"}
            values = {name: value for name, value in vars(story).items() if name not in skipped}
            kept = vars(story._state)
            return values, story.get_deferred_fields(), kept["adding"], kept["db"]

        expected = [state(story) for story in shown(NOW)]
        assert expected and expected[0][1]  # some fields are deferred
        assert [state(story) for story in precompiled_rows("only", shown, {"now": NOW})] == (
            expected
        )
        got = precompiled_rows("only", shown, {"now": NOW})
        assert got[0].excerpt == Article.objects.get(pk=got[0].pk).excerpt  # loaded when read

    def test_slices(self, stories):
        expected = described(cards(NOW))
        for start, stop in ((0, 3), (2, 5), (6, 20), (20, 40)):
            got = precompiled_rows("cards", cards, {"now": NOW}, start, stop)
            assert described(got) == expected[start:stop]
        assert precompiled_rows("cards", cards, {"now": NOW}, 3, 3) == []

    def test_the_time_is_a_value_not_part_of_the_sql(self, stories):
        before = precompiled_rows("cards", cards, {"now": NOW})
        after = precompiled_rows("cards", cards, {"now": NOW + dt.timedelta(hours=2)})
        assert len(after) == len(before) + 1  # the embargo lifted
        assert described(after) == described(cards(NOW + dt.timedelta(hours=2)))

    def test_values_rows_flat_rows_counts_and_sql(self, stories):
        def titles(now):
            return Article.objects.published(now).order_by("pk").values_list("pk", "title")

        def ids(now):
            return Article.objects.published(now).order_by("pk").values_list("pk", flat=True)

        def dicts(now):
            return Article.objects.published(now).order_by("pk").values("pk", "quality")

        assert precompiled_rows("titles", titles, {"now": NOW}) == list(titles(NOW))
        assert precompiled_rows("ids", ids, {"now": NOW}) == list(ids(NOW))
        assert precompiled_rows("dicts", dicts, {"now": NOW}) == list(dicts(NOW))
        capped = {"now": NOW}
        assert precompiled_count("count", lambda now: ids(now)[:3], capped) == 3
        assert precompiled_count("all", ids, capped) == ids(NOW).count() == 7
        sql, params = precompiled_sql("ids", ids, {"now": NOW})
        assert (sql, tuple(params)) == ids(NOW).query.sql_with_params()

    def test_a_list_of_values_is_as_long_as_its_shape(self, stories):
        made, _, _ = stories

        def chosen(now, ids):
            return Article.objects.published(now).filter(pk__in=ids).order_by("pk")

        for ids in ([made[0].pk, made[4].pk], [made[1].pk, made[2].pk, made[5].pk]):
            got = precompiled_rows("chosen", chosen, {"now": NOW, "ids": ids})
            assert [story.pk for story in got] == sorted(ids)

    def test_switched_off_it_is_the_orm(self, stories, settings):
        settings.NEWSROOM_PRECOMPILED_SQL = False
        assert described(precompiled_rows("cards", cards, {"now": NOW}, 1, 4)) == described(
            cards(NOW)[1:4]
        )
        assert not precompiled._kept


class TestOncePerProcess:
    def test_built_once_then_only_run(self, stories):
        built = []

        def counting(now):
            built.append(now)
            return cards(now)

        precompiled_rows("cards", counting, {"now": NOW})
        compiled = len(built)
        with CaptureQueriesContext(connection) as queries:
            precompiled_rows("cards", counting, {"now": NOW + dt.timedelta(days=1)})
        assert len(built) == compiled  # not built again
        assert len(queries) == 3  # the list, its topics, its images

    def test_kept_per_database_vendor_and_length(self, stories):
        made, _, _ = stories

        def chosen(now, ids):
            return Article.objects.published(now).filter(pk__in=ids)

        shape_of("chosen", chosen, {"now": NOW, "ids": [1, 2]})
        shape_of("chosen", chosen, {"now": NOW, "ids": [1, 2, 3]})
        assert {key[1:] for key in precompiled._kept} == {
            ("default", connection.vendor, (("ids", 2), ("now", None))),
            ("default", connection.vendor, (("ids", 3), ("now", None))),
        }


class TestRefused:
    def test_a_time_the_query_reads_itself(self, stories):
        def own_clock(now):
            return Article.objects.published()  # its own timezone.now(), not ``now``

        with pytest.raises(NotFixedShape, match="no value does"):
            precompiled_rows("own-clock", own_clock, {"now": NOW})

    def test_sql_that_changes_with_a_value(self, stories):
        def by_quality(now, quality):
            stories = Article.objects.published(now)
            return stories.filter(quality__gt=quality) if quality % 2 else stories

        with pytest.raises(NotFixedShape, match="changes with 'quality'"):
            precompiled_rows("by-quality", by_quality, {"now": NOW, "quality": 1})

    def test_a_value_the_query_does_not_use(self, stories):
        with pytest.raises(NotFixedShape, match="'topic' is not in"):
            precompiled_rows("unused", lambda now, topic: cards(now), {"now": NOW, "topic": 1})

    def test_a_slice_of_a_sliced_query(self, stories):
        def first_three(now):
            return cards(now)[:3]

        precompiled_count("first-three", first_three, {"now": NOW})
        with pytest.raises(NotFixedShape, match="sliced already"):
            precompiled_rows("first-three", first_three, {"now": NOW}, 0, 2)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_threads_share_only_plain_data(stories):
    """Threads (gunicorn's gthread workers, the live server) each run on their own connection."""
    expected = {hours: described(cards(NOW + dt.timedelta(hours=hours))) for hours in (0, 2)}
    seen, failures, start = [], [], threading.Barrier(4)

    def reader(hours):
        try:
            start.wait()
            for _ in range(5):
                rows = precompiled_rows("cards", cards, {"now": NOW + dt.timedelta(hours=hours)})
                seen.append((hours, described(rows), id(connections["default"])))
        except Exception as error:  # noqa: BLE001  # reported below, with the thread's error
            failures.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=reader, args=(n % 2 * 2,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failures
    assert len(seen) == 20
    assert all(rows == expected[hours] for hours, rows, _ in seen)
    assert len({connection_id for *_, connection_id in seen}) == 4
    for shape in precompiled._kept.values():
        assert not any(hasattr(value, "connection") for value in vars(shape).values())
    assert timezone.is_aware(NOW)
