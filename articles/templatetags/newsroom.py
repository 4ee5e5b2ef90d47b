"""Template helpers for the public site: safe links, safe Markdown, list query strings."""

from django import template
from django.utils.encoding import iri_to_uri
from django.utils.safestring import mark_safe

from articles import links, pictures, storylist
from articles.markdown import render_markdown
from articles.search import safe_headline
from newsroom import http_urls
from newsroom.reversing import quick_reverse

register = template.Library()


@register.simple_tag
def quick_url(name, arg=None):
    """``{% url name arg %}`` reversed once per process (``newsroom.reversing``)."""
    return quick_reverse(name, arg)


@register.filter
def http_url(value):
    """The URL when it is http(s), else "": written as a valid URL (see ``valid_http_url``)."""
    return http_urls.valid_http_url(value)


@register.filter
def related_url(link):
    """Where a related story's link points, as a valid URL (see ``valid_http_url``)."""
    return iri_to_uri(links.related_story_url(link))


# Filters that are a library function under a template name: registered, not re-wrapped.
register.filter("first_image", pictures.lead_image)  # the image that stands for a story
register.filter("has_picture", pictures.has_picture)  # a local copy or an http(s) URL


@register.filter
def markdown(text):
    # render_markdown sanitizes with nh3: its output is safe to mark as such.
    return mark_safe(render_markdown(text))  # noqa: S308


@register.simple_tag(takes_context=True)
def page_url(context, number):
    """The current list's URL for page ``number``, keeping its filters."""
    return storylist.page_href(context.get("page_query", ""), context["request"].path, number)


@register.simple_tag(takes_context=True)
def story_list(context):
    """A list page's featured stories, cards and pager (``articles.storylist``)."""
    return storylist.story_list_html(context)


register.filter("highlighted", safe_headline)  # escaped, only the match marks made <mark>
