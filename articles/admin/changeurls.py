"""Admin URLs with an integer id, from one ``reverse()`` per URL configuration.

``reverse()`` walks the URL patterns on every call (~20 µs): the story list asked
for each row's change page and each row's cluster page, 200 calls a page. The
pattern is reversed once with a marker for the id, and each URL is the two halves
around it with the id's digits between; what the marker cannot stand in for (an
``<int:…>`` converter, an id that is not an int) goes through ``reverse()``.
(``newsroom/reversing.quick_reverse``, coming from the public pages' work, is
meant to be the one home of this: use it here once it lands.)
"""

import functools

from django.urls import NoReverseMatch, get_resolver, get_script_prefix, get_urlconf, reverse

PK_MARK = "__newsroom_pk__"  # survives reverse() and add_preserved_filters unchanged


@functools.lru_cache(maxsize=64)
def _halves(resolver, prefix, viewname, current_app):
    """The URL before and after the id; keyed on the resolver and the script prefix, so
    a changed URL configuration (tests, ``override_settings``) reverses again."""
    try:
        url = reverse(viewname, args=(PK_MARK,), current_app=current_app)
    except NoReverseMatch:
        return None
    before, mark, after = url.partition(PK_MARK)
    return (before, after) if mark else None


def url_halves(viewname, current_app=None):
    """``(before, after)``: ``reverse(viewname, args=[pk])`` is ``before + str(pk) + after``
    for an integer ``pk``; None if the pattern does not take the marker."""
    return _halves(get_resolver(get_urlconf()), get_script_prefix(), viewname, current_app)


def id_url(viewname, pk, current_app=None):
    """``reverse(viewname, args=[pk], current_app=current_app)``."""
    halves = url_halves(viewname, current_app) if type(pk) is int else None
    if halves is None:
        return reverse(viewname, args=[pk], current_app=current_app)
    return f"{halves[0]}{pk}{halves[1]}"
