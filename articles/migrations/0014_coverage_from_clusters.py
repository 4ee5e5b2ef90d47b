"""Coverage becomes the outlets of the story's cluster (``articles.clusters.outlets``),
the number the admin's coverage column showed; it was the story plus its related list."""

from django.db import migrations, models


def cluster_outlets(apps, schema_editor):
    from articles.clusters import outlets

    outlets.refresh(None, apps)


class Migration(migrations.Migration):
    dependencies = [("articles", "0013_article_history")]

    operations = [
        migrations.AlterField(
            model_name="article",
            name="coverage",
            field=models.PositiveIntegerField(
                default=1,
                editable=False,
                help_text="Outlets that reported the story: those of its cluster's stories "
                "(articles.clusters.outlets keeps it).",
            ),
        ),
        migrations.RunPython(cluster_outlets, migrations.RunPython.noop),
    ]
