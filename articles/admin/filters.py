"""Changelist filters whose choices cost no query (they matter on 100,000+ rows)."""

from django.contrib import admin
from django.core.cache import cache
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from ..review_states import ended_condition, leaving_condition, scheduled_condition
from .filterhtml import DrawnChoices
from .listquery import id_value, text_value


class BandFilter(admin.SimpleListFilter):
    """Filter by fixed choices: ``bands`` maps a URL value to (label, Q or boolean expression)."""

    bands = {}

    def lookups(self, request, model_admin):
        return [(value, label) for value, (label, _) in self.bands.items()]

    def queryset(self, request, queryset):
        band = self.bands.get(self.value())
        return queryset.filter(band[1]) if band else queryset


class QualityBandFilter(BandFilter):
    title = "quality"
    parameter_name = "quality_band"
    bands = {
        "90": ("90 and above", Q(quality__gte=90)),
        "70": ("70–89", Q(quality__gte=70, quality__lt=90)),
        "40": ("40–69", Q(quality__gte=40, quality__lt=70)),
        "0": ("Below 40", Q(quality__lt=40)),
        "none": ("Not scored", Q(quality__isnull=True)),
    }


class HeatBandFilter(BandFilter):
    title = "heat"
    parameter_name = "heat_band"
    bands = {
        "hot": ("Hot (100 and above)", Q(heat__gte=100)),
        "warm": ("Warm (10–99)", Q(heat__gte=10, heat__lt=100)),
        "cool": ("Cool (below 10)", Q(heat__lt=10)),
        "none": ("No heat", Q(heat__isnull=True)),
    }


class ScheduleFilter(BandFilter):
    """Published stories by their times, as the state column shows them; each band is
    a condition on the current time, built when the list is."""

    title = "schedule"
    parameter_name = "schedule"
    bands = {
        "scheduled": ("Scheduled (embargo not lifted yet)", scheduled_condition),
        "leaving": ("Public, with an end time", leaving_condition),
        "ended": ("Ended (end time passed)", ended_condition),
        "none": (
            "No times set",
            lambda now: Q(publish_at__isnull=True, unpublish_at__isnull=True),
        ),
    }

    def queryset(self, request, queryset):
        band = self.bands.get(self.value())
        return queryset.filter(band[1](timezone.now())) if band else queryset


class TopLevelFilter(BandFilter):
    """Where a topic sits in the tree."""

    title = "level"
    parameter_name = "level"
    bands = {
        "top": ("Top-level topics", Q(parent__isnull=True)),
        "sub": ("Subtopics", Q(parent__isnull=False)),
    }


class TypeFilter(admin.SimpleListFilter):
    """The story types, listed from a cached DISTINCT (a full scan on every page otherwise).

    A type that first appears with an import shows up here within ``CACHE_SECONDS``.
    """

    title = "type"
    parameter_name = "type"
    CACHE_SECONDS = 600

    def lookups(self, request, model_admin):
        types = cache.get_or_set("newsroom:article-types", self._types, self.CACHE_SECONDS)
        return [(value, value) for value in types]

    def queryset(self, request, queryset):
        return queryset.filter(type=text_value("type", self.value())) if self.value() else queryset

    @staticmethod
    def _types():
        from ..models import Article

        values = Article.objects.order_by("type").values_list("type", flat=True).distinct()
        return [value for value in values if value]


class TopicFilter(DrawnChoices, admin.SimpleListFilter):
    """Stories in a topic, through EXISTS: the stock many-to-many filter joins and
    then needs DISTINCT over the whole result (60 ms per page on 100,000 stories)."""

    title = "topic"
    parameter_name = "topic"

    def lookups(self, request, model_admin):
        from ..models import Topic

        # Ids as text, as they come back in the URL: "Show counts" filters by each choice
        # in turn, and ``id_value`` reads text (an int crashed the page).
        return [(str(pk), name) for pk, name in Topic.objects.values_list("pk", "name")]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        from ..models import Article

        tagged = Article.topics.through.objects.filter(
            article_id=OuterRef("pk"), topic_id=id_value("topic", self.value())
        )
        return queryset.filter(Exists(tagged))


class OutletFilter(DrawnChoices, admin.RelatedFieldListFilter):
    """The stock outlet filter, its choices read as (id, name, domain) rows: it loaded
    every outlet whole (descriptions, logos, source data) to show their names."""

    def field_choices(self, field, request, model_admin):
        ordering = self.field_admin_ordering(field, request, model_admin)
        outlets = field.remote_field.model._default_manager.complex_filter(
            field.get_limit_choices_to()
        )
        if ordering:
            outlets = outlets.order_by(*ordering)
        key = field.remote_field.get_related_field().attname
        # ``Provider.__str__``: its name, else its domain (test_admin_filterhtml checks).
        return [
            (pk, name or domain) for pk, name, domain in outlets.values_list(key, "name", "domain")
        ]
