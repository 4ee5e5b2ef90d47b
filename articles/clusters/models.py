"""What clustering stores per story so a new story finds its matches by index lookup."""

import datetime as dt

from django.db import models

from .signatures import BANDS


class StorySignature(models.Model):
    """The features the matching rule compares, computed once per version of a story."""

    article = models.OneToOneField(
        "articles.Article", on_delete=models.CASCADE, related_name="signature"
    )
    published_at = models.DateTimeField()
    data_hash = models.CharField(max_length=64, blank=True)
    features = models.TextField()
    """Its words, addresses, related links and wordings (the word lists of the related
    items that are this same story), as ``signatures.stored_form`` writes them."""

    def __str__(self):
        return f"signature of {self.article_id}"


def band_column(band):
    """The column of ``StoryBands`` that holds band ``band``'s keys."""
    return f"band_{band:02d}"


BAND_COLUMNS = [band_column(band) for band in range(BANDS)]


class _StoryRows(models.Model):
    """What each key row holds besides its keys: the story and its time."""

    article = models.ForeignKey(
        "articles.Article",
        on_delete=models.CASCADE,
        related_name="%(class)s_rows",
        db_index=False,  # the primary key starts with it
    )
    published_epoch = models.BigIntegerField()
    """The story's ``published_at`` in whole seconds since 1970 (``epoch_seconds``)."""

    class Meta:
        abstract = True


class StoryBands(_StoryRows):
    """The LSH band keys of one wording of a story (``wording`` 0: its own words).

    Stories sharing a key of one band are candidates; each band's index on (key,
    published_epoch) makes the look-up for a new story a range scan within the time
    window, whatever the archive's size. One row holds all a wording's bands: the
    keys are most of what clustering writes at import, and one row of 32 keys writes
    in well under half the time of 32 rows of one (docs/performance.md, "Cost at
    import"), as a row's own cost (its statement step, the table's B-tree) is most of
    it. On SQLite the table is ``WITHOUT ROWID`` (migration 0025), stored in its
    primary key's order, so deleting a story's rows is a range of that B-tree.
    """

    pk = models.CompositePrimaryKey("article", "wording")
    wording = models.PositiveSmallIntegerField()
    """0 for the story's own words, then its other wordings (``signatures.wordings_of``)."""
    for _column in BAND_COLUMNS:
        vars()[_column] = models.BigIntegerField()
    del _column

    class Meta:
        verbose_name_plural = "story bands"
        indexes = [
            models.Index(fields=[column, "published_epoch"], name=f"story_{column}_idx")
            for column in BAND_COLUMNS
        ]

    def __str__(self):
        return f"bands of {self.article_id}, wording {self.wording}"


class StoryKey(_StoryRows):
    """One address or related-link key of a story (its band keys: ``StoryBands``).

    Stories sharing a key are candidates; the index on (key, published_epoch) makes
    the look-up for a new story a range scan within the time window, whatever the
    archive's size.

    A row is kept small: no id of its own (the key is unique per story), the time as
    an integer. On SQLite the table is also ``WITHOUT ROWID`` (migration 0019),
    stored in its primary key's order: one B-tree fewer to write per row (a later
    migration that remakes the table would quietly drop that, costing speed only).
    """

    pk = models.CompositePrimaryKey("article", "key")
    key = models.BigIntegerField()
    """A 64-bit integer: the kind of key in its top bits (``signatures``)."""

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
