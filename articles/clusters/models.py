"""What clustering stores per story so a new story finds its matches by index lookup."""

import datetime as dt

from django.db import models


class StorySignature(models.Model):
    """The features the matching rule compares, computed once per version of a story."""

    article = models.OneToOneField(
        "articles.Article", on_delete=models.CASCADE, related_name="signature"
    )
    published_at = models.DateTimeField()
    data_hash = models.CharField(max_length=64, blank=True)
    words = models.JSONField(default=list)
    addresses = models.JSONField(default=list)
    links = models.JSONField(default=list)
    wordings = models.JSONField(default=list)
    """Word lists of the related items that are this same story (``matching``)."""

    def __str__(self):
        return f"signature of {self.article_id}"


class StoryKey(models.Model):
    """One LSH band key (or address / related-link key) of a story.

    Stories sharing a key are candidates; the index on (key, published_epoch) makes
    the look-up for a new story a range scan within the time window, whatever the
    archive's size.

    Some forty of these rows per story are most of what clustering writes at import,
    so a row is kept small: no id of its own (the key is unique per story), the time
    as an integer. On SQLite the table is also ``WITHOUT ROWID`` (migration 0019),
    stored in its primary key's order: one B-tree fewer to write per row (a later
    migration that remakes the table would quietly drop that, costing speed only).
    """

    pk = models.CompositePrimaryKey("article", "key")
    article = models.ForeignKey(
        "articles.Article",
        on_delete=models.CASCADE,
        related_name="cluster_keys",
        db_index=False,  # the primary key starts with it
    )
    key = models.BigIntegerField()
    """A 64-bit integer: the band or the kind of key in its top bits (``signatures``)."""
    published_epoch = models.BigIntegerField()
    """The story's ``published_at`` in whole seconds since 1970 (``epoch_seconds``)."""

    class Meta:
        indexes = [
            models.Index(fields=["key", "published_epoch"], name="story_key_window_idx"),
        ]

    def __str__(self):
        return str(self.key)


_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def epoch_seconds(moment):
    """Whole seconds since 1970, rounded down: two times at most a window of whole
    seconds apart stay at most that apart, so the index's range scan misses none."""
    return (moment - _EPOCH) // dt.timedelta(seconds=1)
