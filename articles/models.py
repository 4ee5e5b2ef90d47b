from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import ExpressionWrapper, F, OuterRef, Prefetch, Q, Subquery
from django.db.models.expressions import RawSQL
from django.db.models.lookups import IsNull
from django.utils import timezone
from simple_history.models import HistoricalRecords

from images.files import content_hash, original_name
from newsroom import pagecache
from newsroom.precompiled import precompiled_rows
from newsroom.reversing import quick_reverse

from . import validators
from .identity import url_hash
from .indexes import public_stories_index
from .review_states import (
    DecidedBy,
    ReviewState,
    consistent_state,
    ranked_quality,
    shown_state,
    sync_instance,
    sync_update,
)
from .slugs import free_slug, story_slug_base, topic_slug_base

SLUG_HELP = "Its address. Leave empty to make one from the {}."


class TopicQuerySet(models.QuerySet):
    def public(self, now=None):
        """Topics the public may see: defined by a taxonomy file, or carried by a public story."""
        rule = ~Q(source_file="") | carries_public_story(now, topics=OuterRef("pk"))
        return public_by_rule(self, rule)


class Topic(models.Model):
    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(
        max_length=200, unique=True, blank=True, help_text=SLUG_HELP.format("name")
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children",
        help_text="The broader topic; its page lists this one as a subtopic.",
    )
    description = models.TextField(blank=True)
    keywords = models.JSONField(default=list, blank=True)
    hashtags = models.JSONField(default=list, blank=True)
    extra = models.JSONField(
        default=dict, blank=True, help_text="Keys of the topic file the model does not know."
    )
    source_file = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TopicQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.fill_slug()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return quick_reverse("articles:topic", self.slug)

    def clean(self):
        self.fill_slug()

    def fill_slug(self):
        """Give a topic without an address one (see articles/slugs.py); keep any it has."""
        if not self.slug:
            self.slug = free_slug(Topic, topic_slug_base(self.name), exclude_pk=self.pk)


# What the public may see, stated once: the queryset filter below and
# Article.is_public() read the same fields, so a rule is added here and in
# is_public(), nowhere else. Held and rejected stories are never public: a
# constraint ties ``published`` to the published review state (review_states.py).
# Schedules and embargoes (publish_at / unpublish_at) are compared with the time
# the query is built, taken from Python (``timezone.now()``) rather than the
# database's clock: SQLite and PostgreSQL then compare the same instant with the
# same operator, is_public() and the page cache's expiry (articles/schedules.py)
# read that same clock, and no job has to run for a schedule to take effect.
PUBLIC_FIELDS = ("published", "publish_at", "unpublish_at")
"""The fields :meth:`Article.is_public` reads: a query that loads a story only to
link it (``.only(...)``) loads these."""

SCORECARD_INDEX = [
    *("provider", "published", "published_at"),  # the outlet's public stories, by time
    *("id", "quality", "coverage", "publish_at", "unpublish_at"),
]
"""The outlet card's index: what it filters on, then what its figures read. Not
``cluster``: the outlet page's count of stories would read this index too, then
join every cluster (scorecards.figure_aggregates reads a story's cluster by id)."""


def public_condition(now=None, through=""):
    """The public rule as a filter on stories, at ``now`` (the current time by default).

    ``through`` reaches the story from another model (``"article__"``)."""
    now = now or timezone.now()
    return (
        Q(**{f"{through}published": True})
        & (Q(**{f"{through}publish_at__isnull": True}) | Q(**{f"{through}publish_at__lte": now}))
        & (Q(**{f"{through}unpublish_at__isnull": True}) | Q(**{f"{through}unpublish_at__gt": now}))
    )


def carries_public_story(now=None, **link):
    """The condition "some public story has ``link``" (say ``topics=OuterRef("pk")``).

    For the topics and outlets the public may see. Written as "the first such
    story's id is not null", a scalar subquery with ``LIMIT 1``, rather than
    ``EXISTS``: PostgreSQL plans an ``EXISTS`` inside an ``OR`` as a hashed subplan
    over every story (0.9–1.5 s a page at 250,000 stories), while a scalar
    subquery runs once per topic or outlet and stops at its first public story.
    """
    first = Article.objects.published(now).filter(**link).order_by().values("pk")[:1]
    return Q(IsNull(Subquery(first), False))


def public_by_rule(queryset, rule):
    """``queryset`` narrowed to the rows ``rule`` (a public-visibility condition) admits.

    With the shared page cache on, the ids the rule admits are kept until public
    content next changes (``newsroom.pagecache``), so the rule runs once per
    change instead of on every page: where many stories carry a topic and none
    is public, proving it reads all of them.
    """
    model = queryset.model
    ids = pagecache.kept_for_generation(
        f"public-ids:{model._meta.label_lower}",
        lambda: list(model._base_manager.filter(rule).values_list("pk", flat=True)),
    )
    if ids is None:
        return queryset.filter(rule)
    return queryset.filter(pk__in=ids)


def public_rows(key, build, params, start=None, stop=None):
    """The rows of a query that goes through :func:`public_by_rule`, kept compiled if it may be.

    With the page cache on, the rule's kept ids would be compiled into the SQL
    and outlive their generation: the ORM runs it then (the pages themselves
    are kept). ``newsroom.precompiled.precompiled_rows`` otherwise.
    """
    if pagecache.enabled():
        queryset = build(**params)
        return list(queryset[start:stop] if stop is not None else queryset)
    return precompiled_rows(key, build, params, start, stop)


def public_flag():
    """The public rule as a true/false column, for grouping stories by it."""
    return ExpressionWrapper(public_condition(), output_field=models.BooleanField())


def topics_in_given_order():
    """A story's topics in the order its file (or editor) gave them, not by name.

    The importer links a story's topics in its file's order, so the link rows'
    ids keep that order; the link table is joined by the prefetch this serves.
    """
    link_id = RawSQL(f'"{Article.topics.through._meta.db_table}"."id"', ())
    return Topic.objects.only("name", "slug").order_by(link_id.asc())


class ArticleQuerySet(models.QuerySet):
    def published(self, now=None):
        """What the public may see: the one gate for every page, feed, API and sitemap."""
        return self.filter(public_condition(now))

    def unpublished(self, now=None):
        return self.exclude(public_condition(now))

    def released(self):
        """Stories editors have published, whatever their schedule says about now.

        Their ``publish_at``/``unpublish_at`` are the times the public site changes
        by itself (articles/schedules.py)."""
        return self.filter(published=True)

    def update(self, **values):
        # The published flag and the editorial state always agree (review_states.py).
        return super().update(**sync_update(values))

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        for article in objs:
            sync_instance(article)
        return super().bulk_create(objs, *args, **kwargs)

    def for_list(self):
        """What a list of stories shows (outlet, topics, pictures), in a fixed number of queries."""
        return self.select_related("provider").prefetch_related(
            Prefetch("topics", queryset=topics_in_given_order()),
            Prefetch("images", queryset=ArticleImage.objects.order_by("position")),
        )

    def with_corrections(self):
        """The stories' corrections, oldest first (``article.corrections.all()``), in one query."""
        return self.prefetch_related(
            Prefetch("corrections", queryset=Correction.objects.order_by("created_at", "id"))
        )

    def for_detail(self):
        """What a story page shows: the list's shape, its corrections, the related stories."""
        related = RelatedLink.objects.select_related("target").only(
            *RELATED_LINK_FIELDS, "target__slug", *(f"target__{f}" for f in PUBLIC_FIELDS)
        )
        return (
            self.for_list()
            .with_corrections()
            .prefetch_related(Prefetch("related_links", queryset=related.order_by("position")))
        )


RELATED_LINK_FIELDS = (
    "article_id",
    "position",
    "title",
    "excerpt",
    "web_url",
    "original_url",
    "published_at",
    "provider",
    "target_id",
)
"""What a story page shows of each related story."""


class VersionSource(models.Model):
    """What a story's version records beside the editor: who acted when no editor did."""

    history_source = models.CharField(
        max_length=200,
        blank=True,
        default="",
        help_text='Who made the change when no editor did: "import" or "rule: NAME".',
    )
    # The story's topics as the version found them (articles/history.py): a column
    # of the version rather than simple-history's m2m_fields, whose table of links
    # per version the bulk INSERT ... SELECT could not fill in the same statement.
    topic_slugs = models.TextField(
        null=True,
        blank=True,
        help_text="The story's topics, their slugs in the story's order, space-separated; "
        "empty for none, NULL in versions from before topics were kept.",
    )

    class Meta:
        abstract = True


HISTORY_EXCLUDED_FIELDS = [
    # Derived by the database or from other fields: kept up to date, never edited.
    "web_url_hash",
    "search_vector",
    "coverage",
    # Machine clustering moves stories between clusters at every import; an
    # editor's cluster decision shows as ``cluster_pinned`` and the version's reason.
    "cluster",
    # The source's raw text and the import's bookkeeping: the file holds them, the
    # editor never edits them, and copying them would double the import's writes.
    "secured",
    "extra",
    "provider_data",
    "source_keys",
    "source_file",
    "content_hash",
    "data_hash",
    "imported_at",
    "imported_published",
    "imported_quality",
    # The version's own time (history_date) says when.
    "created_at",
    "updated_at",
]
"""Article fields a version does not copy (see articles/history.py)."""


class Article(models.Model):
    slug = models.SlugField(
        max_length=255, unique=True, blank=True, help_text=SLUG_HELP.format("title")
    )
    title = models.TextField()
    excerpt = models.TextField(blank=True)
    body = models.TextField(blank=True, help_text="Markdown shown below the excerpt.")
    category = models.CharField(max_length=100, blank=True)
    type = models.CharField(max_length=100, blank=True)
    published_at = models.DateTimeField(help_text="The story's publication time at its outlet.")
    web_url = models.TextField(help_text="The story's address: its identity.")
    web_url_hash = models.CharField(max_length=64, unique=True, editable=False)
    original_url = models.TextField(null=True, blank=True)
    amp_web_url = models.TextField(null=True, blank=True)
    cdn_amp_web_url = models.TextField(null=True, blank=True)
    quality = models.IntegerField(
        null=True,
        blank=True,
        validators=[validators.QUALITY],
        help_text="Editorial score; higher ranks first when readers sort by quality.",
    )
    heat = models.IntegerField(
        null=True,
        blank=True,
        validators=[validators.HEAT],
        help_text="Popularity score from the source.",
    )
    published = models.BooleanField(
        default=False, help_text="Only published stories are visible on the public site."
    )
    publish_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="Embargo: a published story stays off the public site until this time.",
    )
    unpublish_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="A published story leaves the public site at this time.",
    )
    review_state = models.CharField(
        max_length=10,
        choices=ReviewState.choices,
        default=ReviewState.WAITING,
        help_text="Waiting: nobody has decided yet. Held and rejected stories are never public.",
    )
    decided_by = models.CharField(
        max_length=10,
        choices=DecidedBy.choices,
        default=DecidedBy.NOBODY,
        blank=True,
        editable=False,
    )
    coverage = models.PositiveIntegerField(
        default=1,
        editable=False,
        help_text="Outlets that reported the story: those of its cluster's stories "
        "(articles.clusters.outlets keeps it).",
    )
    provider = models.ForeignKey(
        "providers.Provider", on_delete=models.PROTECT, related_name="articles"
    )
    topics = models.ManyToManyField(Topic, blank=True, related_name="articles")
    cluster = models.ForeignKey(
        "Cluster",
        null=True,
        blank=True,
        # A cluster is deleted only once empty: deleting one with stories would leave
        # them outside every cluster with the coverage of the one they left.
        on_delete=models.PROTECT,
        related_name="stories",
        help_text="The same story as other outlets reported it; readers see the cluster once.",
    )
    cluster_pinned = models.BooleanField(
        default=False,
        editable=False,
        help_text="An editor put the story in its cluster: re-clustering never moves it.",
    )
    secured = models.TextField(blank=True, help_text="Opaque source data; never shown publicly.")
    extra = models.JSONField(
        default=dict, blank=True, help_text="Front-matter keys the model does not know."
    )
    # Source bookkeeping: what the last import read, so re-imports can be
    # skipped, exports are lossless and editors' changes are recognised.
    provider_data = models.JSONField(default=dict, blank=True, editable=False)
    source_keys = models.JSONField(default=list, blank=True, editable=False)
    source_file = models.CharField(max_length=255, blank=True)
    content_hash = models.CharField(max_length=64, blank=True)
    data_hash = models.CharField(max_length=64, blank=True, editable=False)
    imported_at = models.DateTimeField(null=True, blank=True)
    imported_published = models.BooleanField(null=True, editable=False)
    imported_quality = models.IntegerField(null=True, editable=False)
    # Title (A), excerpt (B), provider and topic names (C), kept by the database
    # on PostgreSQL (see articles/search.py and docs/search.md); NULL on SQLite.
    search_vector = SearchVectorField(null=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ArticleQuerySet.as_manager()
    history = HistoricalRecords(
        excluded_fields=HISTORY_EXCLUDED_FIELDS,
        bases=[VersionSource],
        history_change_reason_field=models.TextField(null=True),
        # Versions are found by story (``id``) and time; other indexes only slow the import.
        no_db_index=["slug", "provider"],
    )

    class Meta:
        ordering = ["-published_at", "-id"]
        indexes = [
            models.Index(fields=["-published_at", "-id"], name="article_date_idx"),
            models.Index(fields=["published", "-published_at"], name="article_pub_date_idx"),
            models.Index(fields=["provider", "-published_at"], name="article_provider_date_idx"),
            # The outlet's scorecard and chart (articles/clusters/scorecards.py): its
            # public stories and every column the figures read, from the index alone.
            # Key columns rather than INCLUDE, which SQLite has not (a check warns).
            models.Index(fields=SCORECARD_INDEX, name="article_outlet_card_idx"),
            models.Index(fields=["-quality"], name="article_quality_idx"),
            models.Index(fields=["-heat"], name="article_heat_idx"),
            # The public type filter's choices: one probe per type (filters.story_types).
            models.Index(fields=["type"], name="article_type_idx"),
            # The sitemap's last change: read from the index's end, not a table scan.
            models.Index(fields=["-updated_at"], name="article_updated_idx"),
            # The public sort by heat, scored stories first (filters.ArticleFilter.SORTS).
            public_stories_index(
                F("heat").desc(nulls_last=True),
                F("published_at").desc(),
                F("id").desc(),
                name="article_public_heat_idx",
            ),
            # The public stories in date order with the schedule beside them: a
            # newest-first list's ids read from the index alone (EXPLAIN of "/").
            public_stories_index(
                F("published_at").desc(),
                F("id").desc(),
                F("publish_at"),
                F("unpublish_at"),
                name="article_public_date_idx",
            ),
            # The public stories by id with the schedule beside them: the sitemap's
            # sections are ranges of ids, and their number the highest public id
            # (sitemap_pages.py), found without walking the drafts above it.
            public_stories_index(
                F("id"), F("publish_at"), F("unpublish_at"), name="article_public_id_idx"
            ),
            # The review queue's order (articles/admin/queue.py, ATTENTION_ORDER).
            models.Index(
                models.F("review_state"),
                models.F("coverage").desc(),
                ranked_quality().desc(),
                models.F("published_at").desc(),
                models.F("id").desc(),
                name="article_review_queue_idx",
            ),
            # The queue's one row per cluster: its count and each row's copies.
            models.Index(fields=["review_state", "cluster"], name="article_review_cluster_idx"),
            # The next scheduled change (articles/schedules.py): few stories have one.
            models.Index(
                fields=["publish_at"],
                name="article_publish_at_idx",
                condition=Q(publish_at__isnull=False),
            ),
            models.Index(
                fields=["unpublish_at"],
                name="article_unpublish_at_idx",
                condition=Q(unpublish_at__isnull=False),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quality__gte=0) | models.Q(quality__isnull=True),
                name="article_quality_not_negative",
            ),
            models.CheckConstraint(condition=consistent_state(), name="article_state_matches_flag"),
            models.CheckConstraint(
                condition=Q(publish_at__isnull=True)
                | Q(unpublish_at__isnull=True)
                | Q(unpublish_at__gt=F("publish_at")),
                name="article_unpublish_after_publish",
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.web_url_hash = url_hash(self.web_url)
        self.fill_slug()
        sync_instance(self)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "published" in update_fields:
            kwargs["update_fields"] = {*update_fields, "review_state"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return quick_reverse("articles:detail", self.slug)

    def is_public(self, now=None):
        """The rule of ``Article.objects.published()`` for this one story."""
        now = now or timezone.now()
        return (
            self.published
            and (self.publish_at is None or self.publish_at <= now)
            and (self.unpublish_at is None or self.unpublish_at > now)
        )

    def last_corrected_at(self):
        """When the latest correction was made, or None (reads ``with_corrections()``)."""
        return max((c.created_at for c in self.corrections.all()), default=None)

    def shown_state(self, now=None):
        """The state an editor sees, "scheduled" and "ended" included (review_states.py)."""
        return shown_state(self, now or timezone.now())

    def clean(self):
        self.fill_slug()
        validators.check_schedule(self.publish_at, self.unpublish_at)

    def fill_slug(self):
        """Give a story without an address one, as the importer would; keep any it has."""
        if not self.slug:
            base = story_slug_base(self.source_file, self.title, self.web_url)
            self.slug = free_slug(Article, base, exclude_pk=self.pk)


class Cluster(models.Model):
    """One story as several outlets reported it (see docs/clusters.md)."""

    lead = models.ForeignKey(
        Article,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The version readers see first: by default the best quality, then the earliest.",
    )
    lead_chosen = models.BooleanField(
        default=False, editable=False, help_text="An editor chose the lead; clustering keeps it."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-id"]

    def __str__(self):
        return f"Cluster {self.pk}"


def local_image_path(instance, filename):
    """Content-addressed name for a local image copy: the same bytes, the same file."""
    image = instance.local_file
    image.open("rb")
    image.seek(0)
    digest = content_hash(image.read())
    image.seek(0)
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "img"
    return original_name(digest, extension)


class ArticleImage(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="images")
    position = models.PositiveIntegerField(default=0)
    url = models.TextField()
    width = models.PositiveIntegerField(null=True, blank=True, validators=[validators.SIZE])
    height = models.PositiveIntegerField(null=True, blank=True, validators=[validators.SIZE])
    title = models.TextField(null=True, blank=True)
    attribution = models.TextField(null=True, blank=True)
    is_cached = models.BooleanField(null=True, blank=True)
    extra = models.JSONField(default=dict, blank=True)
    # Our own copy, filled by `manage.py cache_images`. The source's url, width,
    # height and is_cached above stay exactly as imported (the export is lossless).
    local_file = models.ImageField(
        upload_to=local_image_path,
        blank=True,
        editable=False,
        help_text="Local copy of the image; pages serve its thumbnails when present.",
    )
    local_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    local_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    cached_at = models.DateTimeField(null=True, blank=True, editable=False)
    cache_error = models.TextField(
        blank=True, editable=False, help_text="Why the last attempt to copy the image failed."
    )

    class Meta:
        ordering = ["article", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "position"], name="article_image_unique_position"
            ),
        ]

    def __str__(self):
        return self.url


class RelatedLink(models.Model):
    """A related story as the source lists it; ``target`` is our copy when we have one."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="related_links")
    position = models.PositiveIntegerField(default=0)
    title = models.TextField(null=True, blank=True)
    excerpt = models.TextField(null=True, blank=True)
    web_url = models.TextField(null=True, blank=True)
    web_url_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    original_url = models.TextField(null=True, blank=True)
    amp_web_url = models.TextField(null=True, blank=True)
    cdn_amp_web_url = models.TextField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    type = models.CharField(max_length=100, null=True, blank=True)
    quality = models.IntegerField(null=True, blank=True, validators=[validators.INTEGER])
    provider = models.JSONField(null=True, blank=True)
    images = models.JSONField(null=True, blank=True)
    extra = models.JSONField(default=dict, blank=True)
    target = models.ForeignKey(
        Article,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cited_by",
        help_text="The imported story at the same URL, so the site links inside itself.",
    )

    class Meta:
        ordering = ["article", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "position"], name="related_link_unique_position"
            ),
        ]

    def __str__(self):
        return self.title or self.web_url or ""

    def save(self, *args, **kwargs):
        self.web_url_hash = url_hash(self.web_url) if self.web_url else ""
        super().save(*args, **kwargs)

    @property
    def provider_name(self):
        return (self.provider or {}).get("name", "")


class SourceFile(models.Model):
    """One imported file: lets an unchanged file be skipped on the next run.

    ``name`` is the file's path in the folder imported (``news/x.md``), the same
    text as the ``source_file`` of what it carries.
    """

    class Kind(models.TextChoices):
        NEWS = "news", "News item"
        TOPIC = "topic", "Topic"
        ORGANIZATION = "organization", "Organization"

    name = models.CharField(max_length=255, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    content_hash = models.CharField(max_length=64)
    article = models.ForeignKey(Article, null=True, on_delete=models.CASCADE)
    topic = models.ForeignKey(Topic, null=True, on_delete=models.CASCADE)
    provider = models.ForeignKey("providers.Provider", null=True, on_delete=models.CASCADE)
    imported_at = models.DateTimeField()

    def __str__(self):
        return self.name


# The clustering's own tables live with its code; importing them here registers them.
from .clusters.models import StoryBands, StoryKey, StorySignature  # noqa: E402, F401
from .corrections import Correction  # noqa: E402, F401 - public corrections of stories
from .pins import Pin  # noqa: E402, F401 - featured slots
from .rules.models import Rule, RuleHit  # noqa: E402, F401 - models of the rules package
