"""32 LSH bands instead of 40: the key rows of bands 32-39 go.

The bands left are made from the same first 64 permutations, so every stored key of
bands 0-31 stays valid and nothing needs signing again (``clusters.signatures``).
"""

from django.db import migrations

FIRST_DROPPED_BAND = 32
LAST_DROPPED_BAND = 39
KIND_SHIFT = 58
"""As in ``clusters.signatures``: copied, a migration keeps the values it was written with."""


def _signed(value):
    return value - (1 << 64) if value >= 1 << 63 else value


def delete_dropped_bands(apps, schema_editor):
    """A band's keys are the integers whose top 6 bits are its number: bands 32-39 are
    one range of the (key, published_epoch) index."""
    StoryKey = apps.get_model("articles", "StoryKey")
    low = _signed(FIRST_DROPPED_BAND << KIND_SHIFT)
    high = _signed(((LAST_DROPPED_BAND + 1) << KIND_SHIFT) - 1)
    StoryKey.objects.filter(key__gte=low, key__lte=high).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0020_public_story_indexes"),
    ]

    operations = [
        # Going back: `manage.py cluster_stories` writes the 40 bands' keys again.
        migrations.RunPython(delete_dropped_bands, migrations.RunPython.noop),
    ]
