"""An import runs with the objects alive at its start frozen out of the collector's
passes (articles/ingest/collector.py), and thaws them when it ends."""

import gc

import pytest

from articles.ingest.importer import import_paths
from articles.models import Article

from .helpers import news_text, write

pytestmark = pytest.mark.django_db


def collected(thing):
    """Whether the collector's passes walk ``thing`` (frozen objects are not listed)."""
    return any(candidate is thing for candidate in gc.get_objects())


class TestCollectorDuringImport:
    def test_objects_alive_before_are_frozen_for_the_run_and_thawed_after(self, tmp_path):
        write(tmp_path, "a.md", news_text("A title", "https://example.com/a"))
        write(tmp_path, "b.md", news_text("B title", "https://example.com/b"))
        older, seen = [[]], []
        import_paths([tmp_path], on_progress=lambda done, total: seen.append(collected(older)))
        assert seen and not any(seen)
        assert collected(older) and gc.get_freeze_count() == 0
        assert Article.objects.count() == 2

    def test_thawed_when_the_run_fails(self, tmp_path):
        write(tmp_path, "a.md", news_text("A title", "https://example.com/a"))

        def interrupted(done, total):
            raise KeyboardInterrupt

        with pytest.raises(KeyboardInterrupt):
            import_paths([tmp_path], on_progress=interrupted)
        assert gc.get_freeze_count() == 0
