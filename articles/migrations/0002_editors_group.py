"""The Editors group: change stories (with their images and related links), add and
change providers and topics, delete none of stories, providers or topics.

Images and related links are parts of a story, edited through its inlines, so
editors may add, change and remove those.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Editors"
PERMISSIONS = {
    ("articles", "article"): ["view", "change"],
    ("articles", "articleimage"): ["view", "add", "change", "delete"],
    ("articles", "relatedlink"): ["view", "add", "change", "delete"],
    ("articles", "topic"): ["view", "add", "change"],
    ("providers", "provider"): ["view", "add", "change"],
}


def create_editors(apps, schema_editor):
    # post_migrate (which normally creates permissions) has not run yet on a
    # fresh database: create them now, the way it would.
    for label in ("articles", "providers"):
        app_config = apps.get_app_config(label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP)
    for (app_label, model), actions in PERMISSIONS.items():
        codenames = [f"{action}_{model}" for action in actions]
        permissions = Permission.objects.filter(
            content_type__app_label=app_label, codename__in=codenames
        )
        if permissions.count() != len(codenames):
            raise RuntimeError(f"missing permissions for {app_label}.{model}: {codenames}")
        group.permissions.add(*permissions)


def remove_editors(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0001_initial"),
        ("providers", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_editors, remove_editors)]
