from django.db import migrations, models

# Scores sort with unscored stories last (the public "quality" sort and the
# admin's). SQLite puts NULLs last in a descending sort and walks
# article_quality_idx for it; PostgreSQL puts them first, so only an index
# built NULLS LAST serves that order there (SQLite cannot declare one).
SCORED_FIRST = "article_quality_scored_first_idx"


def create_scored_first_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX {SCORED_FIRST} ON articles_article "
            "(quality DESC NULLS LAST, published_at DESC, id DESC)"
        )


def drop_scored_first_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {SCORED_FIRST}")


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0016_story_key_integers"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="article",
            index=models.Index(fields=["type"], name="article_type_idx"),
        ),
        migrations.RunPython(create_scored_first_index, drop_scored_first_index),
    ]
