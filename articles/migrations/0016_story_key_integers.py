from django.db import migrations, models


def forget_keys(apps, schema_editor):
    """The text keys cannot become integers; they are written again below."""
    apps.get_model("articles", "StoryKey").objects.all().delete()


def rekey(apps, schema_editor):
    """Moved to 0019_story_keys_without_rowid (today's clustering code writes that
    migration's key rows; it signs and keys every story again)."""


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0014_coverage_from_clusters"),
    ]

    operations = [
        migrations.RunPython(forget_keys, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="storykey",
            name="key",
            field=models.BigIntegerField(),
        ),
        # Backwards: the integer keys go; `cluster_stories` writes the old ones again.
        migrations.RunPython(rekey, forget_keys),
    ]
