"""Versions keep the story's topics (articles/history.py). The newest version of each
story gets the story's topics as they are now, so the next change shows what it did
to them; older versions keep NULL ("not kept"), which compare and revert leave alone."""

from django.db import migrations, models


def topics_of_newest_versions(apps, schema_editor):
    from articles.history import topic_slugs_sql

    article, version = apps.get_model("articles", "Article"), apps.get_model(
        "articles", "HistoricalArticle"
    )
    db = schema_editor.connection
    quote = db.ops.quote_name
    table = quote(version._meta.db_table)
    story = f"{table}.{quote('id')}"
    schema_editor.execute(
        f"UPDATE {table} SET {quote('topic_slugs')} = {topic_slugs_sql(db, article, story)} "
        f"WHERE {quote('history_id')} IN "
        f"(SELECT MAX({quote('history_id')}) FROM {table} GROUP BY {quote('id')})"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0017_article_type_and_scored_first_idx"),
    ]

    operations = [
        migrations.AddField(
            model_name="historicalarticle",
            name="topic_slugs",
            field=models.TextField(
                blank=True,
                help_text="The story's topics, their slugs in the story's order, "
                "space-separated; empty for none, NULL in versions from before topics "
                "were kept.",
                null=True,
            ),
        ),
        migrations.RunPython(topics_of_newest_versions, migrations.RunPython.noop),
    ]
