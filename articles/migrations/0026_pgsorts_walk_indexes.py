"""The public sorts' indexes with every column a list's page of ids needs (PostgreSQL).

A filtered, sorted list's ids are found by a walk of the sort's index
(``articles.keptlists.paged_rows``). With the public rule's schedule, the cluster
(one card per cluster), and the filters' columns (outlet, type, quality, heat)
beside the sort's keys, that walk reads only the index: a story the filters drop
costs an index entry, not a read of the story (a topic page sorted by quality
read 50,000 stories for 20: 280–450 ms at a million; docs/performance.md).
``INCLUDE`` columns, which SQLite has not; there the lists keep their plans.
``CONCURRENTLY`` and ``IF NOT EXISTS`` keep it safe on a live database.
"""

from django.db import migrations

SCHEDULE = "publish_at, unpublish_at, cluster_id, provider_id, type"
INDEXES = {
    "article_walk_newest_idx": f"(published, published_at DESC, id DESC) "
    f"INCLUDE ({SCHEDULE}, quality, heat)",
    "article_walk_quality_idx": "(published, quality DESC NULLS LAST, published_at DESC, id DESC) "
    f"INCLUDE ({SCHEDULE}, heat)",
    "article_walk_heat_idx": "(published, heat DESC NULLS LAST, published_at DESC, id DESC) "
    f"INCLUDE ({SCHEDULE}, quality)",
    # A type and a minimum quality as one range: filters that together match few or no
    # stories (every video unscored) were found by reading every video (150 ms a count).
    "article_walk_type_quality_idx": "(published, type, quality DESC NULLS LAST, "
    "published_at DESC, id DESC) INCLUDE (publish_at, unpublish_at, cluster_id, provider_id, heat)",
}
"""Each public sort's order (``filters.ArticleFilter.SORTS``) led by the public flag, and
the type's stories by quality."""


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, columns in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {name} ON articles_article {columns}"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {name}")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("articles", "0025_clustercost_story_bands"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
