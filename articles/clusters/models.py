"""What clustering stores per story so a new story finds its matches by index lookup."""

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

    Stories sharing a key are candidates; the index on (key, published_at) makes the
    look-up for a new story a range scan within the time window, whatever the archive's size.
    """

    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="cluster_keys"
    )
    key = models.BigIntegerField()
    """A 64-bit integer: the band or the kind of key in its top bits (``signatures``)."""
    published_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["key", "published_at"], name="story_key_window_idx")]

    def __str__(self):
        return self.key
