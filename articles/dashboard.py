"""The admin index's dashboard: what waits for editors, and stories per day as SVG.

Days are counted by ``published_at`` (the story's time at its outlet) in the
site's time zone; "the last 7 days" are today and the six days before. Four indexed queries in all.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from .models import Article, public_flag
from .review_states import ReviewState

CHART_DAYS = 30


@dataclass(frozen=True)
class Day:
    date: dt.date
    published: int
    waiting: int

    @property
    def total(self):
        return self.published + self.waiting


@dataclass(frozen=True)
class Stats:
    waiting: int
    held: int
    rejected: int
    published_today: int
    published_last_7_days: int
    days: list


def stats(now=None):
    now = timezone.localtime(now)
    today = now.replace(hour=0, minute=0, second=0, microsecond=0)
    week = today - dt.timedelta(days=6)  # a rolling week: useful on a Monday too
    published = Article.objects.published()
    states = review_counts()
    return Stats(
        waiting=states[ReviewState.WAITING],
        held=states[ReviewState.HELD],
        rejected=states[ReviewState.REJECTED],
        published_today=published.filter(published_at__gte=today).count(),
        published_last_7_days=published.filter(published_at__gte=week).count(),
        days=stories_per_day(today),
    )


def review_counts():
    """Stories per review state, in one grouped query over the queue's index."""
    rows = Article.objects.values_list("review_state").annotate(n=Count("pk")).order_by()
    return dict.fromkeys(ReviewState, 0) | dict(rows)


def stories_per_day(today, days=CHART_DAYS):
    """Published and waiting stories for each of the ``days`` days ending with ``today``."""
    start = today - dt.timedelta(days=days - 1)
    rows = (
        Article.objects.filter(published_at__gte=start, published_at__lt=today + dt.timedelta(1))
        .annotate(day=TruncDate("published_at"), public=public_flag())
        .values("day", "public")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts = {(row["day"], row["public"]): row["n"] for row in rows}
    dates = [start.date() + dt.timedelta(days=i) for i in range(days)]
    return [Day(d, counts.get((d, True), 0), counts.get((d, False), 0)) for d in dates]


def chart_svg(days, width=600, height=150):
    """Stacked bars (published, waiting) per day as inline SVG; no script, no CDN."""
    top, bottom = 16, 20
    plot = height - top - bottom
    peak = max((day.total for day in days), default=0) or 1
    step = width / max(len(days), 1)
    bars = []
    for i, day in enumerate(days):
        x = round(i * step + 1, 1)
        w = round(step - 2, 1)
        pub_h = round(plot * day.published / peak, 1)
        wait_h = round(plot * day.waiting / peak, 1)
        base = top + plot
        bars.append(
            (
                x,
                round(base - pub_h, 1),
                w,
                pub_h,
                round(base - pub_h - wait_h, 1),
                wait_h,
                f"{day.date:%a %d %b}: {day.published} published, {day.waiting} waiting",
            )
        )
    rects = format_html_join(
        "",
        '<g><title>{6}</title><rect class="published" x="{0}" y="{1}" width="{2}" height="{3}"/>'
        '<rect class="waiting" x="{0}" y="{4}" width="{2}" height="{5}"/></g>',
        bars,
    )
    first = f"{days[0].date:%d %b}" if days else ""
    last = f"{days[-1].date:%d %b}" if days else ""
    most = max((day.total for day in days), default=0)
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="newsroom-chart" viewBox="0 0 {w} {h}" '
        'width="100%" role="img" aria-label="Stories per day, {first} to {last}">'
        '<text x="0" y="11" class="label">Most in a day: {most}</text>{rects}'
        '<text x="0" y="{h}" class="label">{first}</text>'
        '<text x="{w}" y="{h}" class="label" text-anchor="end">{last}</text></svg>',
        w=width,
        h=height - 4,
        most=most,
        rects=rects,
        first=first,
        last=last,
    )
