"""``{% topic_nav %}``: the compact topic navigation every public page carries.

Drawn in Python: through its template (``{% for %}`` over 40 topics, each name and
link a variable lookup) it cost about 1 ms of every public page. The markup is the
template's, byte for byte (``articles/tests/test_list_page_bytes.py``).
"""

from html import escape

from django import template
from django.utils.safestring import SafeString

from articles.taxonomy import public_taxonomy
from newsroom.reversing import quick_reverse

register = template.Library()


@register.simple_tag(takes_context=True)
def topic_nav(context):
    """The taxonomy's top topics with their subtopics, linking to the full tree at ``/topics/``."""
    return topic_nav_html(public_taxonomy(context.get("request")).roots)


def topic_nav_html(roots):
    groups = "".join(
        f'<p class="topic-nav__group">{_link(node, ' class="topic-nav__top"')}'
        f"{_children(node.children)}</p>"
        for node in roots
    )
    index = escape(quick_reverse("articles:topics"))
    return SafeString(  # every name and link is escaped
        '\n<nav class="topic-nav" aria-label="Topics">\n'
        f'  <h2 class="small-heading"><a href="{index}">Topics</a></h2>\n'
        f"  {groups}\n</nav>\n"
    )


def _children(children):
    if not children:
        return ""
    return ":" + " ·".join(f" {_link(child)}" for child in children)


def _link(node, attrs=""):
    url = escape(quick_reverse("articles:topic", node.slug))
    return f'<a{attrs} href="{url}">{escape(node.name)}</a>'
