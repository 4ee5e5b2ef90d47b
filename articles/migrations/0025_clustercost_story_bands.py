"""One row of 32 band keys per wording of a story (``StoryBands``) instead of 32 rows,
and a story's signature in one compact text column instead of four JSON columns.

``StoryKey`` keeps the address and related-link keys. Every stored story is signed
again by today's code, which writes its signature, key and band rows, and every story
without a cluster gets one (moved here from 0019, whose models have no band table).
"""

import django.db.models.deletion
from django.db import migrations, models


def without_rowid(apps, schema_editor):
    """On SQLite, the band table stored in its primary key's order (it is empty here)."""
    from articles.clusters.tables import remake_without_rowid

    remake_without_rowid(schema_editor, apps.get_model("articles", "StoryBands")._meta.db_table)


def sign_and_cluster_stories(apps, schema_editor):
    """Every story's signature, keys and bands afresh (its band keys leave
    ``StoryKey``), and a cluster for every story that has none.

    It runs today's clustering code on this migration's models, so a later
    migration that changes the signature, key or band tables must move this call
    after it.
    """
    from articles.clusters.assign import cluster_new_stories, refresh_signatures

    Article = apps.get_model("articles", "Article")
    refresh_signatures(list(Article.objects.order_by("pk").values_list("pk", flat=True)), apps)
    cluster_new_stories(apps)


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0024_filtered_topic_links_index'),
    ]

    operations = [
        migrations.CreateModel(
            name='StoryBands',
            fields=[
                ('pk', models.CompositePrimaryKey('article', 'wording', blank=True, editable=False, primary_key=True, serialize=False)),
                ('wording', models.PositiveSmallIntegerField()),
                ('published_epoch', models.BigIntegerField()),
                ('band_00', models.BigIntegerField()),
                ('band_01', models.BigIntegerField()),
                ('band_02', models.BigIntegerField()),
                ('band_03', models.BigIntegerField()),
                ('band_04', models.BigIntegerField()),
                ('band_05', models.BigIntegerField()),
                ('band_06', models.BigIntegerField()),
                ('band_07', models.BigIntegerField()),
                ('band_08', models.BigIntegerField()),
                ('band_09', models.BigIntegerField()),
                ('band_10', models.BigIntegerField()),
                ('band_11', models.BigIntegerField()),
                ('band_12', models.BigIntegerField()),
                ('band_13', models.BigIntegerField()),
                ('band_14', models.BigIntegerField()),
                ('band_15', models.BigIntegerField()),
                ('band_16', models.BigIntegerField()),
                ('band_17', models.BigIntegerField()),
                ('band_18', models.BigIntegerField()),
                ('band_19', models.BigIntegerField()),
                ('band_20', models.BigIntegerField()),
                ('band_21', models.BigIntegerField()),
                ('band_22', models.BigIntegerField()),
                ('band_23', models.BigIntegerField()),
                ('band_24', models.BigIntegerField()),
                ('band_25', models.BigIntegerField()),
                ('band_26', models.BigIntegerField()),
                ('band_27', models.BigIntegerField()),
                ('band_28', models.BigIntegerField()),
                ('band_29', models.BigIntegerField()),
                ('band_30', models.BigIntegerField()),
                ('band_31', models.BigIntegerField()),
                ('article', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='%(class)s_rows', to='articles.article')),
            ],
            options={
                'verbose_name_plural': 'story bands',
                'indexes': [models.Index(fields=['band_00', 'published_epoch'], name='story_band_00_idx'), models.Index(fields=['band_01', 'published_epoch'], name='story_band_01_idx'), models.Index(fields=['band_02', 'published_epoch'], name='story_band_02_idx'), models.Index(fields=['band_03', 'published_epoch'], name='story_band_03_idx'), models.Index(fields=['band_04', 'published_epoch'], name='story_band_04_idx'), models.Index(fields=['band_05', 'published_epoch'], name='story_band_05_idx'), models.Index(fields=['band_06', 'published_epoch'], name='story_band_06_idx'), models.Index(fields=['band_07', 'published_epoch'], name='story_band_07_idx'), models.Index(fields=['band_08', 'published_epoch'], name='story_band_08_idx'), models.Index(fields=['band_09', 'published_epoch'], name='story_band_09_idx'), models.Index(fields=['band_10', 'published_epoch'], name='story_band_10_idx'), models.Index(fields=['band_11', 'published_epoch'], name='story_band_11_idx'), models.Index(fields=['band_12', 'published_epoch'], name='story_band_12_idx'), models.Index(fields=['band_13', 'published_epoch'], name='story_band_13_idx'), models.Index(fields=['band_14', 'published_epoch'], name='story_band_14_idx'), models.Index(fields=['band_15', 'published_epoch'], name='story_band_15_idx'), models.Index(fields=['band_16', 'published_epoch'], name='story_band_16_idx'), models.Index(fields=['band_17', 'published_epoch'], name='story_band_17_idx'), models.Index(fields=['band_18', 'published_epoch'], name='story_band_18_idx'), models.Index(fields=['band_19', 'published_epoch'], name='story_band_19_idx'), models.Index(fields=['band_20', 'published_epoch'], name='story_band_20_idx'), models.Index(fields=['band_21', 'published_epoch'], name='story_band_21_idx'), models.Index(fields=['band_22', 'published_epoch'], name='story_band_22_idx'), models.Index(fields=['band_23', 'published_epoch'], name='story_band_23_idx'), models.Index(fields=['band_24', 'published_epoch'], name='story_band_24_idx'), models.Index(fields=['band_25', 'published_epoch'], name='story_band_25_idx'), models.Index(fields=['band_26', 'published_epoch'], name='story_band_26_idx'), models.Index(fields=['band_27', 'published_epoch'], name='story_band_27_idx'), models.Index(fields=['band_28', 'published_epoch'], name='story_band_28_idx'), models.Index(fields=['band_29', 'published_epoch'], name='story_band_29_idx'), models.Index(fields=['band_30', 'published_epoch'], name='story_band_30_idx'), models.Index(fields=['band_31', 'published_epoch'], name='story_band_31_idx')],
            },
        ),
        migrations.RunPython(without_rowid, migrations.RunPython.noop),
        # No SQL: the reverse accessor's name only (both key tables share one base).
        migrations.AlterField(
            model_name="storykey",
            name="article",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="%(class)s_rows",
                to="articles.article",
            ),
        ),
        # The signature's four JSON columns as one compact text; the rows are derived
        # data, written again below.
        *(
            migrations.RemoveField(model_name="storysignature", name=name)
            for name in ("words", "addresses", "links", "wordings")
        ),
        migrations.AddField(
            model_name="storysignature",
            name="features",
            field=models.TextField(default=""),
            preserve_default=False,
        ),
        # Backwards: `cluster_stories` writes the band keys into StoryKey again.
        migrations.RunPython(sign_and_cluster_stories, migrations.RunPython.noop),
    ]
