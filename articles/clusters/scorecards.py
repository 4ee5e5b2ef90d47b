"""Outlet scorecards: volume, share published, quality, first to report, repeats.

One pass over an outlet's stories (:func:`outlet_figures`) counts every figure: the
public provider page over ``Article.objects.published()``, so nothing unpublished
shows there, not even as a count; the admin over every story, stored per outlet
(``providers.figures``) for the list of outlets to sort by.
"""

import datetime as dt

from django.db.models import (
    Avg,
    Count,
    Exists,
    F,
    FloatField,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    Subquery,
)
from django.db.models.functions import Cast, NullIf, TruncWeek
from django.utils import timezone

from articles.models import Article, public_condition
from newsroom.pagecache import kept_or_computed
from newsroom.precompiled import precompiled_rows

CHART_WEEKS = 12


def figure_aggregates(stories):
    """Each figure as an aggregate over one outlet's rows of ``stories``.

    ``first_reports``: multi-outlet stories where this outlet's version came first;
    ``repeats``: its versions of stories another outlet had reported earlier. Only
    stories whose stored ``coverage`` says their cluster has other outlets
    (articles/clusters/outlets.py) are looked at in their cluster: at a million
    stories most stand alone, and each look is an index probe. The story's cluster is
    read by its id in that look, so that the outlet's rows come from its card's index
    alone (migration 0022): with ``cluster`` in that index, the outlet page's count of
    stories read it too, and PostgreSQL then joined every cluster by hash (188 ms).
    """
    cluster = Article.objects.filter(pk=OuterRef(OuterRef("pk"))).order_by().values("cluster")[:1]
    same_cluster = stories.filter(cluster=Subquery(cluster)).order_by()
    other_outlet = same_cluster.exclude(provider=OuterRef("provider"))
    earlier = same_cluster.filter(published_at__lt=OuterRef("published_at"))
    shared = Q(coverage__gt=1)
    return {
        "story_total": Count("pk"),
        "active_weeks": Count(
            TruncWeek("published_at"), distinct=True, output_field=IntegerField()
        ),
        "mean_quality": Avg("quality", output_field=FloatField()),
        "last_story_at": Max("published_at"),
        "first_reports": Count("pk", filter=shared & Q(Exists(other_outlet)) & ~Q(Exists(earlier))),
        "repeats": Count(
            "pk",
            filter=shared
            & Q(Exists(other_outlet.filter(published_at__lt=OuterRef("published_at")))),
        ),
    }


def _per_week():
    return Cast("story_total", FloatField()) / NullIf("active_weeks", 0)


def outlet_figures(stories, provider, now=None):
    """One outlet's figures in one pass over its ``stories`` (a ``values()`` queryset).

    ``now`` given: also ``published_total``, its stories public at ``now`` (``stories``
    must then hold every public one). No row when the outlet has no story: see
    :func:`figures_of`.
    """
    aggregates = figure_aggregates(stories)
    if now is not None:
        aggregates["published_total"] = Count("pk", filter=public_condition(now))
    rows = (
        stories.filter(provider=provider)
        .order_by()
        .values("provider")
        .annotate(**aggregates)
        .annotate(stories_per_week=_per_week())
    )
    names = [*figure_aggregates(stories), "stories_per_week"]
    if now is not None:
        share = Cast(F("published_total"), FloatField()) / NullIf("story_total", 0)
        rows = rows.annotate(published_share=share)
        names += ["published_total", "published_share"]
    return rows.values(*names)


def next_share_change(stories, provider, now):
    """When the outlet's count of public stories next changes by itself: the earliest
    scheduled publish or unpublish time after ``now`` of its published ``stories``
    (``public_condition``'s times), or None."""
    later = {"published": True, "provider": provider}
    times = (
        stories.filter(**later)
        .order_by()
        .aggregate(
            publish=Min("publish_at", filter=Q(publish_at__gt=now)),
            unpublish=Min("unpublish_at", filter=Q(unpublish_at__gt=now)),
        )
    )
    return min((t for t in times.values() if t is not None), default=None)


def figures_of(rows, with_share=False):
    """The figures of :func:`outlet_figures`' rows: an outlet with no story has zeros."""
    if rows:
        (figures,) = rows
        return dict(figures)
    figures = {"story_total": 0, "active_weeks": 0, "mean_quality": None, "last_story_at": None}
    figures |= {"first_reports": 0, "repeats": 0, "stories_per_week": None}
    if with_share:
        figures |= {"published_total": 0, "published_share": None}
    return figures


def weekly_counts(provider, stories, last_story_at, rows_since=None):
    """Stories per week over the outlet's last ``CHART_WEEKS`` active weeks, oldest first.

    ``rows_since(start)`` reads the ``(week, count)`` rows (by default from ``stories``).
    """
    if last_story_at is None:
        return []
    if last_story_at.year == 1:
        return []  # no twelve weeks before the first year Python dates can hold
    start = last_story_at - dt.timedelta(weeks=CHART_WEEKS)
    rows = rows_since(start) if rows_since else week_rows(stories, provider, start)
    found = {week.date() if isinstance(week, dt.datetime) else week: n for week, n in rows}
    last_week = (last_story_at - dt.timedelta(days=last_story_at.weekday())).date()
    weeks = [last_week - dt.timedelta(weeks=back) for back in range(CHART_WEEKS - 1, -1, -1)]
    return [(week, found.get(week, 0)) for week in weeks]


def week_rows(stories, provider, start):
    """``(week, stories)`` of the outlet's ``stories`` published after ``start``."""
    return (
        stories.filter(provider=provider, published_at__gt=start)
        .order_by()
        .annotate(week=TruncWeek("published_at"))
        .values("week")
        .annotate(n=Count("pk"))
        .values_list("week", "n")
    )


def chart_bars(weeks, height=40, bar=10, gap=2):
    """Bar geometry for the small SVG chart: (x, y, width, height, week, count)."""
    top = max((count for _, count in weeks), default=0) or 1
    bars = []
    for index, (week, count) in enumerate(weeks):
        size = round(count / top * height)
        bars.append((index * (bar + gap), height - size, bar, size, week, count))
    return bars


def scorecard(provider, stories, with_share=False):
    """One outlet's scorecard (two queries: the figures, then the chart's weeks).

    ``with_share`` counts the outlet's public stories too: ``stories`` are then all.
    """
    now = timezone.now() if with_share else None
    figures = figures_of(list(outlet_figures(stories, provider.pk, now)), with_share)
    figures["bars"] = chart_bars(weekly_counts(provider, stories, figures["last_story_at"]))
    return figures


def public_scorecard(provider):
    """What readers may see: published stories only, and no share published.

    Kept per page-cache generation: it counts over every story of the outlet (100 ms
    of SQL for 5,000 at a million stories), and each of the outlet's pages, filters
    and sorts would otherwise count again.
    """

    return kept_or_computed(f"scorecard:{provider.pk}", lambda: _public_figures(provider))


def _public_figures(provider):
    """``scorecard(provider, Article.objects.published())``, from SQL compiled once per process."""
    now = {"now": timezone.now(), "provider": provider.pk}
    figures = figures_of(precompiled_rows("scorecard", _public_figures_at, now))

    def rows_since(start):
        return precompiled_rows("scorecard:weeks", _public_weeks_at, {**now, "start": start})

    last = figures["last_story_at"]
    figures["bars"] = chart_bars(weekly_counts(provider, None, last, rows_since))
    return figures


def _public_figures_at(now, provider):
    return outlet_figures(Article.objects.published(now), provider)


def _public_weeks_at(now, provider, start):
    return week_rows(Article.objects.published(now), provider, start)
