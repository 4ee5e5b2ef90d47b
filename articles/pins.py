"""Featured slots: stories an editor pins to the top of the home page or a topic page.

A pin names its place (no topic: the home page; a topic: that topic's page), its
position (lower first) and optionally when it expires. Expiry, the story's own
public rule and, for a topic's pin, the story still carrying the topic are all
checked when the page's query is built, so an expired pin, a pinned story the
public may not see or one no longer in the topic simply does not show; no job
removes them. The pin's admin form refuses a topic the story is not in.
"""

from django.db import models
from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils import timezone


def in_its_place():
    """The condition "the pin's story is in the pin's topic" (always true on the home page)."""
    from .models import Article

    carries = Article.topics.through.objects.filter(
        article_id=OuterRef("article_id"), topic_id=OuterRef("topic_id")
    )
    return Q(topic__isnull=True) | Q(Exists(carries))


class PinQuerySet(models.QuerySet):
    def active(self, now=None):
        """Pins that have not expired at ``now``."""
        now = now or timezone.now()
        return self.filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))

    def showing(self, now=None):
        """Pins readers see at ``now`` (given a public story): unexpired, in their place."""
        return self.active(now).filter(in_its_place())


class Pin(models.Model):
    article = models.ForeignKey("articles.Article", on_delete=models.CASCADE, related_name="pins")
    topic = models.ForeignKey(
        "articles.Topic",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="pins",
        help_text="The topic page the story is featured on; empty for the home page.",
    )
    position = models.PositiveIntegerField(
        default=0, help_text="Featured stories show in this order, lowest first."
    )
    expires_at = models.DateTimeField(
        null=True, blank=True, help_text="The story stops being featured at this time."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PinQuerySet.as_manager()

    class Meta:
        ordering = ["topic_id", "position", "id"]
        indexes = [models.Index(fields=["topic", "position", "id"], name="pin_place_order_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["article"], condition=Q(topic__isnull=True), name="pin_once_on_home"
            ),
            models.UniqueConstraint(
                fields=["article", "topic"],
                condition=Q(topic__isnull=False),
                name="pin_once_per_topic",
            ),
        ]

    def __str__(self):
        return f"{self.article} on {self.place_name}"

    def is_active(self, now=None):
        """The rule of ``Pin.objects.active()`` for this one pin."""
        return self.expires_at is None or self.expires_at > (now or timezone.now())

    @property
    def place_name(self):
        return self.topic.name if self.topic_id else "the home page"


def featured(stories, topic=None, now=None):
    """``stories`` (already public-only) pinned to the home page or ``topic``, in pin order."""
    place = {"topic": topic} if topic is not None else {"topic__isnull": True}  # or its id
    pins = Pin.objects.showing(now).filter(**place)
    position = pins.filter(article=OuterRef("pk")).order_by("position", "id").values("position")
    # Driven by the pins (a handful), not by a pass over every public story.
    return (
        stories.filter(pk__in=pins.values("article"))
        .annotate(pin_position=Subquery(position[:1]))
        .order_by("pin_position", "pk")
    )
