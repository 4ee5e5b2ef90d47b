"""Outlet figures counted from scratch: the reference every stored figure must equal.

``reference_annotations`` is the computation the one pass replaced, kept verbatim:
each figure its own subquery over the outlet's stories, and first-to-report/
repeated asked of every story's cluster whatever its coverage.
"""

import datetime as dt

from django.db.models import (
    Avg,
    Count,
    DateTimeField,
    Exists,
    F,
    FloatField,
    IntegerField,
    Max,
    OuterRef,
    Subquery,
    Value,
)
from django.db.models.functions import Cast, Coalesce, NullIf, TruncWeek

from articles.clusters.scorecards import chart_bars, weekly_counts
from articles.models import Article
from articles.tests.factories import ArticleFactory
from providers import figures
from providers.models import Provider

T0 = dt.datetime(2025, 3, 3, 9, tzinfo=dt.UTC)  # a Monday


def _per_outlet(stories, expression, output_field=None):
    """A correlated aggregate of the outlet's ``stories``, as an annotation."""
    rows = (
        stories.filter(provider=OuterRef("pk"))
        .order_by()
        .values("provider")
        .annotate(value=expression)
        .values("value")
    )
    if output_field is None:  # a count: an outlet with no such story has 0, not NULL
        return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))
    return Subquery(rows, output_field=output_field)


def reference_annotations(stories, with_share=False):
    same_cluster = stories.filter(cluster=OuterRef("cluster")).order_by()
    other_outlet = same_cluster.exclude(provider=OuterRef("provider"))
    earlier = same_cluster.filter(published_at__lt=OuterRef("published_at"))
    counted = Count("pk")
    annotations = {
        "story_total": _per_outlet(stories, counted),
        "active_weeks": _per_outlet(
            stories, Count(TruncWeek("published_at"), distinct=True, output_field=IntegerField())
        ),
        "mean_quality": _per_outlet(
            stories, Avg("quality", output_field=FloatField()), FloatField()
        ),
        "last_story_at": _per_outlet(stories, Max("published_at"), DateTimeField()),
        "first_reports": _per_outlet(
            stories.filter(Exists(other_outlet)).exclude(Exists(earlier)), counted
        ),
        "repeats": _per_outlet(
            stories.filter(Exists(other_outlet.filter(published_at__lt=OuterRef("published_at")))),
            counted,
        ),
    }
    annotations["stories_per_week"] = Cast("story_total", FloatField()) / NullIf("active_weeks", 0)
    if with_share:
        annotations["published_total"] = _per_outlet(Article.objects.published(), counted)
        annotations["published_share"] = Cast(F("published_total"), FloatField()) / NullIf(
            "story_total", 0
        )
    return annotations


def reference_scorecard(provider, stories, with_share=False):
    annotations = reference_annotations(stories, with_share)
    figures = Provider.objects.filter(pk=provider.pk).annotate(**annotations).values(*annotations)
    figures = figures.get()
    figures["bars"] = chart_bars(weekly_counts(provider, stories, figures["last_story_at"]))
    return figures


def story(provider, hours, cluster=None, **fields):
    return ArticleFactory(
        provider=provider, cluster=cluster, published_at=T0 + dt.timedelta(hours=hours), **fields
    )


def reference_rows(providers):
    """Every outlet's admin figures counted from scratch, by domain."""
    annotated = providers.annotate(**reference_annotations(Article.objects.all(), True))
    return {row.pop("domain"): row for row in annotated.values("domain", *figures.STORED)}


def stored_rows():
    return {
        provider.domain: {name: getattr(provider.figures, name) for name in figures.STORED}
        for provider in Provider.objects.select_related("figures")
    }
