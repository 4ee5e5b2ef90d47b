"""Editors manage rules (and may delete one: hits go with it) and read rule hits."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

PERMISSIONS = {
    "rule": ["view", "add", "change", "delete"],
    "rulehit": ["view"],
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
        raise RuntimeError(f"missing permissions for rules: {codenames}")
    group.permissions.add(*found)


class Migration(migrations.Migration):
    dependencies = [("articles", "0009_starter_rules"), ("articles", "0002_editors_group")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
