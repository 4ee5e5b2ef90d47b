from django.db import migrations, models


def sign_and_cluster_stories(apps, schema_editor):
    """Every story's signature afresh (now with its wordings), and a cluster for every
    story that has none: of one, or with its other outlets' versions.

    Runs today's clustering code on this migration's models: a later migration that
    adds a signature field must move this call after it (as this one did from 0005).
    """
    from articles.clusters.assign import cluster_new_stories, refresh_signatures

    Article = apps.get_model("articles", "Article")
    refresh_signatures(list(Article.objects.order_by("pk").values_list("pk", flat=True)), apps)
    cluster_new_stories(apps)


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
