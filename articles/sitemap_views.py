"""The sitemap's index and sections: the framework's answers, written as strings where it pays.

The index is the framework's view (which sections, how many pages, their
``lastmod``, the headers) with its list written here rather than through the
``sitemap_index.xml`` template, which formatted the same date once per entry
(200 entries at a million stories, ~6 ms of CPU). A sitemap with a
``urls(page, addresses)`` method (``sitemaps.ArticleSitemap``) has its page
written here too, from rows, with the framework's headers and 404s; the small
sections keep the framework's view. Both are byte for byte what the templates
render (tested against them).
"""

import html

from django.contrib.sitemaps import views as framework
from django.contrib.sites.shortcuts import get_current_site
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.http import Http404, HttpResponse
from django.template.defaultfilters import date
from django.urls import reverse
from django.utils.http import http_date
from django.utils.timezone import template_localtime

from .sitemaps import SITEMAPS

INDEX_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
)
INDEX_TAIL = "\n</sitemapindex>\n"
HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
    ' xmlns:xhtml="http://www.w3.org/1999/xhtml">\n'
)
TAIL = "\n</urlset>\n"
PLACEHOLDER = "slug-placeholder"
# What the ``slug`` path converter matches: such a slug reverses to itself.
PLAIN_SLUG = frozenset("-_0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")


def story_addresses(request, sitemap):
    """``addresses(slugs)``: the stories' absolute addresses, escaped as the template escapes them.

    One ``reverse`` for the whole page, and one check of the page's slugs together;
    a slug the path converter would not take sends the page through ``reverse``
    itself, which fails as it did.
    """
    protocol = sitemap.get_protocol(request.scheme)
    origin = f"{protocol}://{get_current_site(request).domain}"
    before, after = reverse("articles:detail", kwargs={"slug": PLACEHOLDER}).rsplit(PLACEHOLDER)
    # Plain text: a SafeString would be turned into text again for every row.
    before, after = html.escape(origin + before), html.escape(after)

    def addresses(slugs):
        if all(slugs) and PLAIN_SLUG.issuperset("".join(slugs)):
            return [f"{before}{slug}{after}" for slug in slugs]
        return [html.escape(origin + reverse("articles:detail", kwargs={"slug": s})) for s in slugs]

    return addresses


def index(request):
    """``/sitemap.xml``: the framework's index of every section's pages."""
    response = framework.index(request, SITEMAPS, sitemap_url_name="sitemap-section")
    written = HttpResponse(
        INDEX_HEAD + "".join(index_entries(response.context_data["sitemaps"])) + INDEX_TAIL,
        content_type=response["Content-Type"],
    )
    for header in ("Last-Modified", "X-Robots-Tag"):
        if header in response:
            written[header] = response[header]
    return written


def index_entries(items):
    """The ``<sitemap>`` elements of the index's items, each date formatted once."""
    formatted = {}
    for item in items:
        lastmod = ""
        if item.last_mod:
            if item.last_mod not in formatted:
                shown = date(template_localtime(item.last_mod), "c")
                formatted[item.last_mod] = f"<lastmod>{html.escape(shown)}</lastmod>"
            lastmod = formatted[item.last_mod]
        yield f"<sitemap><loc>{html.escape(item.location)}</loc>{lastmod}</sitemap>"


def section(request, section):
    """``/sitemap-<section>.xml?p=N``."""
    sitemap = SITEMAPS.get(section)
    if sitemap is None or not hasattr(sitemap, "urls"):
        return framework.sitemap(request, SITEMAPS, section)
    return written_section(request, sitemap())


@framework.x_robots_tag
def written_section(request, sitemap):
    number = request.GET.get("p", 1)
    try:
        page = sitemap.paginator.page(number)
    except EmptyPage:
        raise Http404(f"Page {number} empty") from None
    except PageNotAnInteger:
        raise Http404(f"No page '{number}'") from None
    elements, latest = sitemap.urls(page, story_addresses(request, sitemap))
    headers = {"Last-Modified": http_date(latest.timestamp())} if latest else None
    return HttpResponse(
        HEAD + "".join(elements) + TAIL, content_type="application/xml", headers=headers
    )
