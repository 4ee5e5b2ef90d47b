import django.db.models.deletion
from django.db import migrations, models


def without_rowid(apps, schema_editor):
    """On SQLite, the key table stored in its primary key's order (it is empty here)."""
    from articles.clusters.tables import remake_without_rowid

    remake_without_rowid(schema_editor, apps.get_model("articles", "StoryKey")._meta.db_table)


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
        # The keys are written again by 0025, which signs every story with today's code.
    ]
