"""Changelist filters whose choices cost no query (they matter on 100,000+ rows)."""

from django.contrib import admin
from django.db.models import Q


class BandFilter(admin.SimpleListFilter):
    """Filter a nullable score by fixed bands: ``bands`` maps a URL value to (label, Q)."""

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


class TopLevelFilter(admin.SimpleListFilter):
    """Where a topic sits in the tree."""

    title = "level"
    parameter_name = "level"

    def lookups(self, request, model_admin):
        return [("top", "Top-level topics"), ("sub", "Subtopics")]

    def queryset(self, request, queryset):
        if self.value() == "top":
            return queryset.filter(parent__isnull=True)
        if self.value() == "sub":
            return queryset.filter(parent__isnull=False)
        return queryset
