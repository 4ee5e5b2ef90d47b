from django.db import migrations, models


def sign_and_cluster_stories(apps, schema_editor):
    """Moved to 0019_story_keys_without_rowid: the clustering code it calls is
    today's, and writes the key rows that migration makes."""


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0006_addresses_and_number_bounds"),
    ]

    operations = [
        migrations.AddField(
            model_name="storysignature",
            name="wordings",
            field=models.JSONField(default=list),
        ),
        migrations.RunPython(sign_and_cluster_stories, migrations.RunPython.noop),
    ]
