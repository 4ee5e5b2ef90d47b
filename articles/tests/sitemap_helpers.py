"""Where a story is in the sitemap: its section's address, and every section's text.

The stories' sections are ranges of ids (``articles/sitemap_pages.py``), and ids
are not reset between tests on PostgreSQL: a test asks for its story's section,
not for the first one.
"""

import re

from articles.sitemaps import ArticleSitemap


def section_path(story):
    """The address of the stories' sitemap section that lists ``story``."""
    return f"/sitemap-articles.xml?p={(story.pk - 1) // ArticleSitemap.limit + 1}"


def every_section(client):
    """The text of every sitemap section the index names."""
    index = client.get("/sitemap.xml").content.decode()
    sections = re.findall(r"<loc>http://testserver(/[^<]+)</loc>", index)
    assert len(sections) >= 4
    return "".join(client.get(section).content.decode() for section in sections)
