"""A list filter's choices drawn in Python, as Django's ``admin/filter.html`` draws them.

The outlet filter lists 200 outlets on every page of the story list; through the
template each choice is an ``{% if %}``, two variable lookups, a filter and two
escapes. :class:`DrawnChoices` filters name ``admin/newsroom_filter.html``, whose
one tag calls :func:`filter_html` (``articles/tests/test_admin_filterhtml.py``
compares it with Django's template).
"""

from django.template.defaultfilters import iriencode
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from newsroom.formrender import escaped


def filter_html(title, choices):
    """What ``admin/filter.html`` renders for ``title`` and ``choices``."""
    by = gettext(" By %(filter_title)s ") % {"filter_title": escaped(title)}
    items = "".join(
        f"\n    <li{' class="selected"' if choice['selected'] else ''}>\n"
        f'    <a href="{escaped(iriencode(choice["query_string"]))}">'
        f"{escaped(choice['display'])}</a></li>\n  "
        for choice in choices
    )
    return SafeString(
        f'\n<details data-filter-title="{escaped(title)}" open>\n  <summary>\n    {by}\n'
        f"  </summary>\n  <ul>\n  {items}\n  </ul>\n</details>\n"
    )


class DrawnChoices:
    """For a list filter: its choices drawn by :func:`filter_html`."""

    template = "admin/newsroom_filter.html"
