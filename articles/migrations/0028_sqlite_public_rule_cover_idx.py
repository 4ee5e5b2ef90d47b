"""A story's public-rule columns beside its id, for SQLite's capped counts (SQLite only).

A topic page's capped count joins the topic's link rows to their stories by id; each
story's public rule (flag, schedule), cluster and one-per-cluster keys were read from
the story's row, a page of the table per story (titles, excerpts and bodies live
there): 0.8 ms of CPU for a topic of 500 among 20,000 stories. With these columns in
an index led by the id, SQLite reads them from the index alone: 0.3 ms
(docs/performance.md, "Cold pages in process"). The home page's capped count reads
it too (0.4 → 0.3 ms). PostgreSQL keeps the plans and indexes it has (the million-
story lists' own: ``0026_pgsorts_walk_indexes``), so nothing is created there.
"""

from django.db import migrations

NAME = "article_public_rule_cover_idx"
COLUMNS = "(id, published, publish_at, unpublish_at, cluster_id, quality, published_at)"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {NAME} ON articles_article {COLUMNS}")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {NAME}")


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0027_cluster_delete_protected"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
