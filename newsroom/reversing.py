"""``reverse()`` once per URL name, then only a substitution: a card's links cost nothing.

Django's ``reverse`` resolves the namespace, finds the pattern, checks the value
against its converter and quotes it, on every call: ~0.1 ms, 60 calls on a list
page (each card's story, outlet and topics). :func:`quick_reverse` reverses a
name once per process with a placeholder and keeps the path; later calls put the
value in its place. Only where that gives what ``reverse`` gives: an int for an
``int`` converter, and for ``slug``, ``str`` and ``path`` converters a value of
letters, digits and ``-_.~`` that the converter accepts (``reverse`` leaves
those unquoted). Any other value, a name with more than one pattern or another
converter goes through ``reverse`` itself (which also raises ``NoReverseMatch``
as before). The script prefix is added per call, as ``reverse`` does.
"""

import re
import threading

from django.urls import converters, get_resolver, get_script_prefix, get_urlconf, reverse

PLACEHOLDER = "zq9placeholderq9z"
INT_PLACEHOLDER = 987654321987
SAFE = re.compile(r"[-a-zA-Z0-9_.~]+")
"""Characters ``reverse`` never quotes."""

_kept = {}
_lock = threading.Lock()
_REVERSE = object()
"""Kept for a name ``quick_reverse`` cannot do: always ``reverse``."""


def quick_reverse(name, arg=None):
    """``reverse(name)``, or ``reverse(name, args=[arg])`` for a one-argument URL."""
    key = (get_urlconf(), name, arg is None)
    kept = _kept.get(key)
    if kept is None:
        kept = _template(name, arg is None)
        with _lock:
            kept = _kept.setdefault(key, kept)
    if kept is _REVERSE:
        return reverse(name) if arg is None else reverse(name, args=[arg])
    path, converter = kept
    if arg is None:
        return get_script_prefix() + path
    text = _as_url(converter, arg)
    if text is None:
        return reverse(name, args=[arg])
    return get_script_prefix() + path.replace(converter.placeholder, text)


def _as_url(kept, value):
    """``value`` as ``reverse`` would write it, or None where this module cannot tell."""
    if kept.int:
        return str(value) if type(value) is int and value >= 0 else None
    text = str(value)
    if SAFE.fullmatch(text) and kept.regex.fullmatch(text):
        return text
    return None


def _template(name, bare):
    """The path of ``name`` without the script prefix, with a placeholder for its argument."""
    pattern_converters = _converters(name)
    if pattern_converters is None:
        return _REVERSE
    prefix = get_script_prefix()
    if bare:
        if pattern_converters:
            return _REVERSE
        path = reverse(name)
        return (path[len(prefix) :], None) if path.startswith(prefix) else _REVERSE
    if len(pattern_converters) != 1:
        return _REVERSE
    (converter,) = pattern_converters
    known = (
        converters.IntConverter,
        converters.SlugConverter,
        converters.StringConverter,
        converters.PathConverter,
    )
    if type(converter) not in known:
        return _REVERSE
    is_int = isinstance(converter, converters.IntConverter)
    placeholder = INT_PLACEHOLDER if is_int else PLACEHOLDER
    path = reverse(name, args=[placeholder])
    if not path.startswith(prefix) or path.count(str(placeholder)) != 1:
        return _REVERSE
    return path[len(prefix) :], _Kept(converter, str(placeholder))


class _Kept:
    """What a substitution needs of a pattern's converter: plain data, no request state."""

    def __init__(self, converter, placeholder):
        self.int = isinstance(converter, converters.IntConverter)
        self.regex = re.compile(converter.regex)
        self.placeholder = placeholder


def _converters(name):
    """The converters of the one pattern ``name`` (namespaced) names, or None if not one."""
    *namespaces, view = name.split(":")
    resolver = get_resolver(get_urlconf())
    for namespace in namespaces:
        found = resolver.namespace_dict.get(namespace)
        if found is None or len(resolver.app_dict.get(namespace, [namespace])) != 1:
            return None
        resolver = found[1]
    possibilities = resolver.reverse_dict.getlist(view)
    if len(possibilities) != 1:
        return None
    (_, _, defaults, pattern_converters) = possibilities[0]
    if defaults:
        return None
    return list(pattern_converters.values())
