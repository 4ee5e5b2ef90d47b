import django.db.models.deletion
from django.db import migrations, models


def without_rowid(apps, schema_editor):
    """On SQLite, the key table stored in its primary key's order (no rowid B-tree
    beside it): the table is empty here, so it is simply made again."""
    if schema_editor.connection.vendor != "sqlite":
        return
    table = apps.get_model("articles", "StoryKey")._meta.db_table
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT type, sql FROM sqlite_master WHERE tbl_name = %s AND sql IS NOT NULL "
            "ORDER BY type = 'index'",
            [table],
        )
        (_, create_table), *indexes = cursor.fetchall()
    schema_editor.execute(f"DROP TABLE {schema_editor.quote_name(table)}")
    schema_editor.execute(f"{create_table} WITHOUT ROWID")
    for _, create_index in indexes:
        schema_editor.execute(create_index)


def sign_and_cluster_stories(apps, schema_editor):
    """Every story's signature and keys afresh, and a cluster for every story that has
    none: of one, or with its other outlets' versions.

    Moved here from 0007 and 0016: it runs today's clustering code on this
    migration's models, so a later migration that changes the signature or key
    tables must move this call after it.
    """
    from articles.clusters.assign import cluster_new_stories, refresh_signatures

    Article = apps.get_model("articles", "Article")
    refresh_signatures(list(Article.objects.order_by("pk").values_list("pk", flat=True)), apps)
    cluster_new_stories(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0018_version_topics"),
    ]

    operations = [
        # The keys are derived data: the table goes and comes back in the new shape.
        migrations.DeleteModel(name="StoryKey"),
        migrations.CreateModel(
            name="StoryKey",
            fields=[
                (
                    "pk",
                    models.CompositePrimaryKey(
                        "article",
                        "key",
                        blank=True,
                        editable=False,
                        primary_key=True,
                        serialize=False,
                    ),
                ),
                ("key", models.BigIntegerField()),
                ("published_epoch", models.BigIntegerField()),
                (
                    "article",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="cluster_keys",
                        to="articles.article",
                    ),
                ),
            ],
            options={
                "indexes": [
                    models.Index(fields=["key", "published_epoch"], name="story_key_window_idx")
                ],
            },
        ),
        migrations.RunPython(without_rowid, migrations.RunPython.noop),
        # Backwards: `cluster_stories` writes the keys again.
        migrations.RunPython(sign_and_cluster_stories, migrations.RunPython.noop),
    ]
