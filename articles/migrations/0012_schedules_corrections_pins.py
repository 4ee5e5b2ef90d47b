"""Schedules and embargoes on stories, public corrections and featured slots.

Editors add, change and delete corrections and pins (a correction is the public
record of an error: deleting one that was wrong is part of the job).
"""

from django.contrib.auth.management import create_permissions
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


PERMISSIONS = {
    "correction": ["view", "add", "change", "delete"],
    "pin": ["view", "add", "change", "delete"],
}


def grant(apps, schema_editor):
    app_config = apps.get_app_config("articles")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Editors")
    codenames = [f"{action}_{model}" for model, actions in PERMISSIONS.items() for action in actions]
    found = Permission.objects.filter(content_type__app_label="articles", codename__in=codenames)
    if found.count() != len(codenames):
        raise RuntimeError(f"missing permissions for corrections and pins: {codenames}")
    group.permissions.add(*found)


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0011_article_updated_idx'),
        ('providers', '0003_outlet_domain_and_name_checked'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Correction',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('text', models.TextField(help_text='What was wrong and what is right; shown to readers as is.')),
                ('created_at', models.DateTimeField(db_index=True, default=django.utils.timezone.now, help_text="Shown to readers as the correction's time.")),
            ],
            options={
                'ordering': ['article', 'created_at', 'id'],
            },
        ),
        migrations.CreateModel(
            name='Pin',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('position', models.PositiveIntegerField(default=0, help_text='Featured stories show in this order, lowest first.')),
                ('expires_at', models.DateTimeField(blank=True, help_text='The story stops being featured at this time.', null=True)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
            ],
            options={
                'ordering': ['topic_id', 'position', 'id'],
            },
        ),
        migrations.AddField(
            model_name='article',
            name='publish_at',
            field=models.DateTimeField(blank=True, help_text='Embargo: a published story stays off the public site until this time.', null=True),
        ),
        migrations.AddField(
            model_name='article',
            name='unpublish_at',
            field=models.DateTimeField(blank=True, help_text='A published story leaves the public site at this time.', null=True),
        ),
        migrations.AddIndex(
            model_name='article',
            index=models.Index(condition=models.Q(('publish_at__isnull', False)), fields=['publish_at'], name='article_publish_at_idx'),
        ),
        migrations.AddIndex(
            model_name='article',
            index=models.Index(condition=models.Q(('unpublish_at__isnull', False)), fields=['unpublish_at'], name='article_unpublish_at_idx'),
        ),
        migrations.AddConstraint(
            model_name='article',
            constraint=models.CheckConstraint(condition=models.Q(('publish_at__isnull', True), ('unpublish_at__isnull', True), ('unpublish_at__gt', models.F('publish_at')), _connector='OR'), name='article_unpublish_after_publish'),
        ),
        migrations.AddField(
            model_name='correction',
            name='article',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='corrections', to='articles.article'),
        ),
        migrations.AddField(
            model_name='correction',
            name='editor',
            field=models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='corrections', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='pin',
            name='article',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='pins', to='articles.article'),
        ),
        migrations.AddField(
            model_name='pin',
            name='topic',
            field=models.ForeignKey(blank=True, help_text='The topic page the story is featured on; empty for the home page.', null=True, on_delete=django.db.models.deletion.CASCADE, related_name='pins', to='articles.topic'),
        ),
        migrations.AddIndex(
            model_name='correction',
            index=models.Index(fields=['article', 'created_at'], name='correction_article_idx'),
        ),
        migrations.AddIndex(
            model_name='pin',
            index=models.Index(fields=['topic', 'position', 'id'], name='pin_place_order_idx'),
        ),
        migrations.AddConstraint(
            model_name='pin',
            constraint=models.UniqueConstraint(condition=models.Q(('topic__isnull', True)), fields=('article',), name='pin_once_on_home'),
        ),
        migrations.AddConstraint(
            model_name='pin',
            constraint=models.UniqueConstraint(condition=models.Q(('topic__isnull', False)), fields=('article', 'topic'), name='pin_once_per_topic'),
        ),
        migrations.RunPython(grant, migrations.RunPython.noop),
    ]
