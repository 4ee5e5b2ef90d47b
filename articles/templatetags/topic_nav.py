"""``{% topic_nav %}``: the compact topic navigation every public page carries.

Drawn in Python: through its template (``{% for %}`` over 40 topics, each name and
link a variable lookup) it cost about 1 ms of every public page. The markup is the
template's, byte for byte (``articles/tests/test_list_page_bytes.py``).

A process keeps the HTML it last drew for the same topics (:func:`_drawn_nav`): the
key is what the navigation shows (each top topic's and subtopic's slug and name, in
order, from the taxonomy asked afresh on every request) and what its links are made
with (the URLconf, the script prefix), so a renamed, added or hidden topic shows on
the next request. Drawing it was ~0.2 ms of every public page (41 links).
"""

import functools
from html import escape

from django import template
from django.urls import get_script_prefix, get_urlconf
from django.utils.safestring import SafeString

from articles.taxonomy import public_taxonomy
from newsroom.reversing import quick_reverse

register = template.Library()


@register.simple_tag(takes_context=True)
def topic_nav(context):
    """The taxonomy's top topics with their subtopics, linking to the full tree at ``/topics/``."""
    return topic_nav_html(public_taxonomy(context.get("request")).roots)


def topic_nav_html(roots):
    shown = tuple(
        (node.slug, node.name, tuple((child.slug, child.name) for child in node.children))
        for node in roots
    )
    return _drawn_nav(shown, get_urlconf(), get_script_prefix())


@functools.lru_cache(maxsize=16)
def _drawn_nav(shown, urlconf, script_prefix):
    """The navigation of ``shown`` (top topics' slugs, names and subtopics): a function
    of its arguments only (the links' URLconf and script prefix are in the key)."""
    groups = "".join(
        f'<p class="topic-nav__group">{_link(slug, name, ' class="topic-nav__top"')}'
        f"{_children(children)}</p>"
        for slug, name, children in shown
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
    return ":" + " ·".join(f" {_link(slug, name)}" for slug, name in children)


def _link(slug, name, attrs=""):
    url = escape(quick_reverse("articles:topic", slug))
    return f'<a{attrs} href="{url}">{escape(name)}</a>'
