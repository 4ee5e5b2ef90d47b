"""The outlet card's index: an outlet's public stories with every column its figures read.

At a million stories the outlet page's scorecard read the outlet's 5,000 stories
from the table, one heap page each; with this index it reads them from the index
alone (articles/clusters/scorecards.py). Built without locking the stories'
table against writes on PostgreSQL (``CONCURRENTLY``, outside a transaction).
"""

from importlib import import_module

from django.db import migrations, models

AddIndexConcurrentlyOnPostgres = import_module(
    "articles.migrations.0020_public_story_indexes"
).AddIndexConcurrentlyOnPostgres


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("articles", "0021_story_keys_32_bands"),
        ("providers", "0003_outlet_domain_and_name_checked"),
    ]

    operations = [
        AddIndexConcurrentlyOnPostgres(
            model_name="article",
            index=models.Index(
                fields=[
                    "provider",
                    "published",
                    "published_at",
                    "id",
                    "quality",
                    "coverage",
                    "publish_at",
                    "unpublish_at",
                ],
                name="article_outlet_card_idx",
            ),
        ),
    ]
