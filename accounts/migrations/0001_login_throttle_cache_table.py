from django.core.management import call_command
from django.db import migrations


def create_cache_tables(apps, schema_editor):
    # What an operator would run by hand (`createcachetable`); here it makes
    # `migrate` enough. It creates the database cache tables the settings name
    # (the login throttle's, without REDIS_URL) and leaves existing ones alone.
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = []

    operations = [migrations.RunPython(create_cache_tables, migrations.RunPython.noop)]
