"""Stories' versions (articles/history.py), with a first version of every stored story,
so each has a version to compare with, revert to and load the story form at."""

import articles.validators
import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


def first_versions(apps, schema_editor):
    from articles.history import CREATED, record_versions

    models = (apps.get_model("articles", "Article"), apps.get_model("articles", "HistoricalArticle"))
    record_versions(
        None,
        source="history begins",
        reason="The story as it was when history began.",
        kind=CREATED,
        models=models,
        using=schema_editor.connection.alias,
    )


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0012_schedules_corrections_pins'),
        ('providers', '0003_outlet_domain_and_name_checked'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='HistoricalArticle',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('history_source', models.CharField(blank=True, default='', help_text='Who made the change when no editor did: "import" or "rule: NAME".', max_length=200)),
                ('slug', models.SlugField(blank=True, db_index=False, help_text='Its address. Leave empty to make one from the title.', max_length=255)),
                ('title', models.TextField()),
                ('excerpt', models.TextField(blank=True)),
                ('body', models.TextField(blank=True, help_text='Markdown shown below the excerpt.')),
                ('category', models.CharField(blank=True, max_length=100)),
                ('type', models.CharField(blank=True, max_length=100)),
                ('published_at', models.DateTimeField(help_text="The story's publication time at its outlet.")),
                ('publish_at', models.DateTimeField(blank=True, help_text='Embargo: a published story stays off the public site until this time.', null=True)),
                ('unpublish_at', models.DateTimeField(blank=True, help_text='A published story leaves the public site at this time.', null=True)),
                ('web_url', models.TextField(help_text="The story's address: its identity.")),
                ('original_url', models.TextField(blank=True, null=True)),
                ('amp_web_url', models.TextField(blank=True, null=True)),
                ('cdn_amp_web_url', models.TextField(blank=True, null=True)),
                ('quality', models.IntegerField(blank=True, help_text='Editorial score; higher ranks first when readers sort by quality.', null=True, validators=[articles.validators.IntRange(0, 2147483647)])),
                ('heat', models.IntegerField(blank=True, help_text='Popularity score from the source.', null=True, validators=[articles.validators.IntRange(-2147483648, 2147483647)])),
                ('published', models.BooleanField(default=False, help_text='Only published stories are visible on the public site.')),
                ('review_state', models.CharField(choices=[('waiting', 'Waiting'), ('published', 'Published'), ('held', 'Held'), ('rejected', 'Rejected')], default='waiting', help_text='Waiting: nobody has decided yet. Held and rejected stories are never public.', max_length=10)),
                ('decided_by', models.CharField(blank=True, choices=[('', 'Nobody yet'), ('source', 'Source file'), ('rule', 'Rule'), ('editor', 'Editor')], default='', editable=False, max_length=10)),
                ('cluster_pinned', models.BooleanField(default=False, editable=False, help_text='An editor put the story in its cluster: re-clustering never moves it.')),
                ('history_change_reason', models.TextField(null=True)),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('provider', models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='providers.provider')),
            ],
            options={
                'verbose_name': 'historical article',
                'verbose_name_plural': 'historical articles',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.RunPython(first_versions, migrations.RunPython.noop),
    ]
