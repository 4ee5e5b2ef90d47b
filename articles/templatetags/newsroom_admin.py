"""``{% newsroom_dashboard %}``: the admin index's counts and chart, for story viewers."""

from django import template

from .. import dashboard

register = template.Library()


@register.inclusion_tag("admin/newsroom_dashboard.html", takes_context=True)
def newsroom_dashboard(context):
    request = context["request"]
    if not request.user.has_perm("articles.view_article"):
        return {"stats": None}
    stats = dashboard.stats()
    return {"stats": stats, "chart": dashboard.chart_svg(stats.days)}
