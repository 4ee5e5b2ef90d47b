"""The outlet scorecard in the provider admin: sortable columns and the change page's panel.

Both read the stored figures (``OutletFigures``, kept by ``providers.figures``), so
the list costs the same whatever the number of stories, and sorts on the stored
columns' indexes.
"""

from django.contrib import admin
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from articles.clusters.scorecards import chart_bars, weekly_counts
from articles.models import Article

from .figures import STORED


def stored(provider):
    """The outlet's stored figures, or None before its first count."""
    figures = getattr(provider, "figures", None)
    return figures if figures is not None and figures.counted_at is not None else None


def _figure(name, description, shown, nullable=False):
    # NULLs (no scored story, no week) sort below every figure on both databases:
    # PostgreSQL alone would put them first in descending order.
    field = F(f"figures__{name}")
    ordering = field.asc(nulls_first=True) if nullable else f"figures__{name}"

    @admin.display(description=description, ordering=ordering)
    def column(provider):
        figures = stored(provider)
        value = None if figures is None else getattr(figures, name)
        return "—" if value is None else shown(value)

    column.__name__ = name
    return column


COLUMNS = [
    _figure("story_total", "stories", str),
    _figure("published_total", "published", str),
    _figure("stories_per_week", "stories / active week", lambda v: f"{v:.1f}", nullable=True),
    _figure("published_share", "share published", lambda v: f"{v:.0%}", nullable=True),
    _figure("mean_quality", "mean quality", lambda v: f"{v:.1f}", nullable=True),
    _figure("first_reports", "first to report", str),
    _figure("repeats", "repeated others", str),
]


def waiting(figures, now=None):
    """Whether the figures await a recount: changed since, or past a scheduled time."""
    now = now or timezone.now()
    return figures.stale_since is not None or (
        figures.valid_until is not None and figures.valid_until <= now
    )


@admin.display(description="figures")
def counted(provider):
    """How current the row's figures are."""
    figures = getattr(provider, "figures", None)
    if figures is None or figures.counted_at is None:
        return "not counted yet"
    if waiting(figures):
        since = figures.stale_since or figures.valid_until
        return format_html(
            '<span title="counted {}">recount waiting since {}</span>',
            _shown(figures.counted_at),
            _shown(since),
        )
    return format_html("counted {}", _shown(figures.counted_at))


def _shown(moment):
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M:%S}"


@admin.display(description="scorecard")
def scorecard_panel(model_admin, provider):
    if provider is None or provider.pk is None:
        return "—"
    figures = stored(provider)
    if figures is None:
        return "Not counted yet: the figures come with the next recount."
    card = {name: getattr(figures, name) for name in STORED}
    stories = Article.objects.all()
    card["bars"] = chart_bars(weekly_counts(provider, stories, card["last_story_at"]))
    html = render_to_string("includes/scorecard.html", {"scorecard": card})
    # The admin turns newlines of read-only values into <br>; the template escaped its values.
    return mark_safe(html.replace("\n", " ") + f"<p>{counted(provider)}</p>")  # noqa: S308
