"""The scorecard in one pass gives the figures the eight correlated subqueries gave.

``reference_annotations`` is the computation the one pass replaced, kept verbatim
as the reference: each figure its own subquery over the outlet's stories, and
first-to-report/repeated asked of every story's cluster whatever its coverage.
"""

import datetime as dt

import pytest
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
from django.urls import reverse

from articles.clusters import outlets
from articles.clusters.scorecards import (
    chart_bars,
    public_scorecard,
    scorecard,
    weekly_counts,
)
from articles.models import Article, Cluster
from articles.tests.factories import ArticleFactory, ProviderFactory
from providers import figures
from providers.models import Provider

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2025, 3, 3, 9, tzinfo=dt.UTC)  # a Monday
CHANGELIST = reverse("admin:providers_provider_changelist")
FIGURES = ("stories_per_week", "published_share", "mean_quality", "first_reports", "repeats")


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


@pytest.fixture
def newsroom():
    """Ties on time, unpublished and scheduled copies, clusters of one, unclustered and
    unscored stories, an outlet with no story and one with only a held story."""
    a, b, c = (ProviderFactory(domain=f"{name}.example") for name in "abc")
    ProviderFactory(domain="empty.example")
    held_only = ProviderFactory(domain="held.example")
    tie, twice, hidden, scheduled, alone = (Cluster.objects.create() for _ in range(5))
    story(a, 0, tie), story(b, 0, tie), story(c, 5, tie, quality=None)
    story(a, 1, twice), story(b, 2, twice), story(a, 3, twice), story(a, 3, twice)
    story(b, 0, hidden, published=False), story(a, 4, hidden), story(c, 200, hidden)
    future = dt.datetime(2999, 1, 1, tzinfo=dt.UTC)
    story(c, 1, scheduled, publish_at=future), story(a, 6, scheduled, quality=None)
    story(b, 7, scheduled, unpublish_at=T0)
    story(a, 9, alone), story(a, 500), story(b, 24 * 30, quality=None)
    story(held_only, 3, twice, published=False)
    outlets.refresh(None)
    return Provider.objects.order_by("domain")


def test_the_public_card_is_the_reference(newsroom, settings):
    settings.NEWSROOM_PRECOMPILED_SQL = True
    for provider in newsroom:
        expected = reference_scorecard(provider, Article.objects.published())
        assert public_scorecard(provider) == expected, provider.domain
    a = newsroom.get(domain="a.example")
    assert (public_scorecard(a)["first_reports"], public_scorecard(a)["repeats"]) == (3, 2)


def test_the_admin_card_is_the_reference(newsroom):
    for provider in newsroom:
        expected = reference_scorecard(provider, Article.objects.all(), with_share=True)
        assert scorecard(provider, Article.objects.all(), with_share=True) == expected


def reference_rows(providers):
    """Every outlet's admin figures counted from scratch, by domain."""
    annotated = providers.annotate(**reference_annotations(Article.objects.all(), True))
    return {row.pop("domain"): row for row in annotated.values("domain", *figures.STORED)}


def stored_rows():
    return {
        provider.domain: {name: getattr(provider.figures, name) for name in figures.STORED}
        for provider in Provider.objects.select_related("figures")
    }


def test_the_stored_columns_are_the_reference(newsroom):
    figures.recount_due()
    assert stored_rows() == reference_rows(newsroom)
    assert any(row["repeats"] for row in reference_rows(newsroom).values())


@pytest.mark.parametrize("figure", FIGURES)
def test_the_admin_list_sorts_by_each_figure(editor_client, newsroom, figure):
    """Descending, the best first and the outlets without the figure last, on both databases."""
    figures.recount_due()
    columns = editor_client.get(CHANGELIST).context["cl"].list_display
    index = [getattr(column, "__name__", column) for column in columns].index(figure)
    response = editor_client.get(CHANGELIST, {"o": f"-{index}"})
    rows = list(response.context["cl"].result_list)
    expected = newsroom.annotate(**reference_annotations(Article.objects.all(), True))
    expected = expected.order_by(F(figure).desc(nulls_last=True), "-pk")
    assert [getattr(p.figures, figure) for p in rows] == [getattr(p, figure) for p in expected]
