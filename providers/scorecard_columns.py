"""The outlet scorecard in the provider admin: sortable columns and the change page's panel."""

from django.contrib import admin
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from articles.clusters.scorecards import scorecard, scorecard_annotations
from articles.models import Article


def annotations():
    """Over every stored story (editors see the held ones too), with the share published."""
    return scorecard_annotations(Article.objects.all(), with_share=True)


def _figure(name, description, shown):
    @admin.display(description=description, ordering=name)
    def column(provider):
        value = getattr(provider, name)
        return "—" if value is None else shown(value)

    column.__name__ = name
    return column


COLUMNS = [
    _figure("stories_per_week", "stories / active week", lambda v: f"{v:.1f}"),
    _figure("published_share", "published", lambda v: f"{v:.0%}"),
    _figure("mean_quality", "mean quality", lambda v: f"{v:.1f}"),
    _figure("first_reports", "first to report", str),
    _figure("repeats", "repeated others", str),
]


@admin.display(description="scorecard")
def scorecard_panel(model_admin, provider):
    if provider is None or provider.pk is None:
        return "—"
    card = scorecard(provider, Article.objects.all(), with_share=True)
    html = render_to_string("includes/scorecard.html", {"scorecard": card})
    # The admin turns newlines of read-only values into <br>; the template escaped its values.
    return mark_safe(html.replace("\n", " "))  # noqa: S308
