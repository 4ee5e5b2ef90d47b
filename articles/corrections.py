"""Public corrections of stories: what an editor set right, and when.

A correction is part of the story: saving or deleting one bumps the story's
``updated_at`` (so sitemaps and feeds see the change) and retires the page cache
(articles/page_signals.py). Readers see a story's corrections on its page, in its
JSON-LD (schema.org ``CorrectionComment``), in its feed entries, in the API item
and on ``/corrections/``; only corrections of public stories are ever shown.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone


class CorrectionQuerySet(models.QuerySet):
    def public(self, now=None):
        """Corrections of stories the public may see, the latest first."""
        from .models import public_condition

        public = self.filter(public_condition(now, through="article__"))
        return public.order_by("-created_at", "-id")


class Correction(models.Model):
    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="corrections"
    )
    text = models.TextField(help_text="What was wrong and what is right; shown to readers as is.")
    created_at = models.DateTimeField(
        default=timezone.now, db_index=True, help_text="Shown to readers as the correction's time."
    )
    editor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="corrections",
        editable=False,
    )

    objects = CorrectionQuerySet.as_manager()

    class Meta:
        ordering = ["article", "created_at", "id"]
        indexes = [models.Index(fields=["article", "created_at"], name="correction_article_idx")]

    def __str__(self):
        return self.text[:80]

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        story_changed(self.article_id)

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        story_changed(self.article_id)
        return result


def story_changed(article_id):
    """The story's page shows its corrections: it changed now (``update()``: no auto_now)."""
    from .models import Article

    Article.objects.filter(pk=article_id).update(updated_at=timezone.now())
