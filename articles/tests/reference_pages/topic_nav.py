"""The reference `{% topic_nav %}` (as it was before it was drawn in Python)."""

from django import template

from articles.taxonomy import public_taxonomy

register = template.Library()


@register.inclusion_tag("includes/topic_nav.html", takes_context=True)
def topic_nav(context):
    """The taxonomy's top topics, linking to the full tree at ``/topics/``."""
    request = context.get("request")
    return {"roots": public_taxonomy(request).roots}
