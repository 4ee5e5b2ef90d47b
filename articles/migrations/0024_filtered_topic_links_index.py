"""The topic links by topic, with the story's id: a topic page's stories from the index alone.

Django's link table (``Article.topics``) has a unique index on (article, topic) and
one on topic alone. A topic page's capped count starts from the topic's links; at a
million stories that was a bitmap heap scan of the links table under a parallel
plan (20–45 ms of the page's 35–45 ms of SQL). With (topic, article) it is an
index-only scan. On PostgreSQL the table also gets ``parallel_workers = 0``: a
page reads at most a thousand links of one topic, and starting two workers cost
more than the scan (the count's median 26 → 15 ms at load 4; docs/performance.md).
The link table is Django's own, with no ``Meta`` to declare the index in, hence
SQL; ``IF NOT EXISTS`` and ``CONCURRENTLY`` (PostgreSQL, outside a transaction)
keep it safe to run on a live database.
"""

from django.db import migrations

NAME = "article_topics_topic_article_idx"


def _links_table(apps):
    return apps.get_model("articles", "Article")._meta.get_field("topics").remote_field.through


def create(apps, schema_editor):
    table = schema_editor.quote_name(_links_table(apps)._meta.db_table)
    concurrently = " CONCURRENTLY" if schema_editor.connection.vendor == "postgresql" else ""
    schema_editor.execute(
        f"CREATE INDEX{concurrently} IF NOT EXISTS {NAME} ON {table} (topic_id, article_id)"
    )
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE {table} SET (parallel_workers = 0)")


def drop(apps, schema_editor):
    table = schema_editor.quote_name(_links_table(apps)._meta.db_table)
    concurrently = " CONCURRENTLY" if schema_editor.connection.vendor == "postgresql" else ""
    schema_editor.execute(f"DROP INDEX{concurrently} IF EXISTS {NAME}")
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE {table} RESET (parallel_workers)")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("articles", "0023_sitemaps_public_id_idx"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
