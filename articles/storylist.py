"""A list page's stories: the featured ones, the cards, the pager, or why there are none.

Drawn in Python (it was ``includes/article_list.html``): with the cards already
written by ``articles.cards``, what was left of the template was a handful of tests
and lookups, about as costly as the cards themselves. The HTML is the template's,
byte for byte (``articles/tests/test_list_page_bytes.py``).
"""

from django.template.defaultfilters import date, floatformat
from django.utils.safestring import SafeString

from newsroom.formrender import escaped

from .cards import story_cards


def page_href(page_query, path, number):
    """The current list's URL for page ``number``, keeping its filters (``page_query``)."""
    page = f"page={number}" if number != 1 else ""
    joined = "&".join(part for part in (page_query, page) if part)
    return f"?{joined}" if joined else path


def story_list_html(context):
    """``includes/article_list.html`` as it was, for a list page's template ``context``."""
    featured = context.get("featured_stories")
    featured = (
        '\n<section class="featured" aria-labelledby="featured-heading">\n'
        '  <h2 id="featured-heading" class="small-heading">Featured</h2>\n'
        f'  <div class="cards">\n    {story_cards(featured, featured=True)}\n  </div>\n'
        "</section>\n"
        if featured
        else ""
    )
    articles = context.get("articles")
    if articles:
        pager = _pager(context) if context.get("is_paginated") else ""
        stories = f'\n<div class="cards">\n  {story_cards(articles)}\n</div>\n{pager}\n'
    else:
        path = escaped(context["request"].path)
        why = " yet"
        if context.get("filtered"):
            why = f' these filters. <a href="{path}">Clear filters</a>'
        stories = f'\n<p class="empty">No stories match{why}.</p>\n'
    return SafeString(f"\n{featured}\n{stories}\n")  # every value is escaped


def _pager(context):
    page, paginator = context["page_obj"], context["paginator"]
    query, path = context.get("page_query", ""), context["request"].path
    newer = older = stop = ""
    if page.has_previous():
        href = escaped(page_href(query, path, page.previous_page_number()))
        newer = f'<a rel="prev" href="{href}">← Newer</a>'
    if page.has_next():
        href = escaped(page_href(query, path, page.next_page_number()))
        older = f'<a rel="next" href="{href}">Older →</a>'
    pages = paginator.rough_pages(page.number)
    if pages.kind == "many":
        of = "many"
    else:
        number = escaped(floatformat(pages.number, "0g"))
        of = f"about {number}" if pages.kind == "about" else number
    if getattr(page, "past_last_page", False):
        by_date = context.get("older_by_date")
        if by_date:
            day = escaped(date(by_date["day"], "j F Y"))
            more = f' <a href="?{escaped(by_date["query"])}">Older: {day} and before →</a>'
        else:
            more = " Narrow the list by date, topic or outlet to reach older stories."
        stop = f'<span class="meta">Lists stop at page {escaped(page.number)}.{more}</span>'
    return (
        '\n<nav class="pagination" aria-label="Pages">\n'
        f"  {newer}\n"
        f'  <span aria-current="page">Page {escaped(page.number)} of {of}</span>\n'
        f"  {older}\n  {stop}\n</nav>\n"
    )
