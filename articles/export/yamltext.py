"""Write mappings as YAML text shaped like the seed files.

PyYAML's dumpers cannot indent a list under its key (``topics:\\n  - AI``) with the
C emitter, nor quote by key, so this small writer does it: block style, lists
indented under their key, one line per scalar, text in double quotes where the
seed files quote it (``Quoted``) or where plain YAML would change its meaning.
Every scalar is written on one line, so no line of the output is ever ``---``.
"""

import datetime as dt
import json
import math
import re
from functools import lru_cache

import yaml

from articles.seed_format import format_timestamp


class Quoted(str):
    """Text the seed files write in double quotes."""

    __slots__ = ()


_resolver = yaml.resolver.Resolver()
_STR_TAG = "tag:yaml.org,2002:str"
# Characters a YAML reader refuses, or reads as a line break, inside a scalar.
_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]")
# Plain scalars: printable text that starts with no indicator character.
_PLAIN = re.compile(r"[^\s\-?:,\[\]{}#&*!|>'\"%@`.\\][^\x00-\x1f]*")


def dump(mapping, *, blank_lines=False):
    """YAML text for a mapping; ``blank_lines`` sets nested groups apart as the news files do."""
    lines = []
    previous_block = False
    for key, value in mapping.items():
        block = _is_block(value)
        if blank_lines and lines and (block or previous_block):
            lines.append("")
        lines.extend(_entry(key, value, 0))
        previous_block = block
    return "\n".join(lines) + "\n"


def _is_block(value):
    return isinstance(value, dict | list) and bool(value)


def _entry(key, value, indent):
    head = " " * indent + _key(key) + ":"
    if _is_block(value):
        return [head, *_block(value, indent + 2)]
    return [f"{head} {scalar(value)}"]


def _block(value, indent):
    if isinstance(value, dict):
        lines = []
        for key, item in value.items():
            lines.extend(_entry(key, item, indent))
        return lines
    lines = []
    for item in value:
        if _is_block(item):
            # A nested block's first line carries the dash in place of its indent.
            nested = _block(item, indent + 2)
            nested[0] = " " * indent + "- " + nested[0][indent + 2 :]
            lines.extend(nested)
        else:
            lines.append(" " * indent + "- " + scalar(item))
    return lines


def _key(key):
    if not isinstance(key, str):
        raise TypeError(f"mapping keys must be text, not {type(key).__name__}")
    return key if _plain_ok(key) else _double_quoted(key)


def scalar(value):
    """One value on one line: null, true/false, numbers, timestamps, or text."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _float(value)
    if isinstance(value, dt.datetime):
        return format_timestamp(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return "{}"  # only empty ones reach here
    if isinstance(value, list):
        return "[]"
    if isinstance(value, str):
        if isinstance(value, Quoted) or not _plain_ok(value):
            return _double_quoted(value)
        return value
    raise TypeError(f"cannot write {type(value).__name__} values as YAML")


def _float(value):
    if math.isnan(value):
        return ".nan"
    if math.isinf(value):
        return ".inf" if value > 0 else "-.inf"
    text = repr(value)
    # YAML 1.1 (PyYAML) reads a float only when it has a dot: 1e+20 would be text.
    if "." not in text and "e" in text:
        text = text.replace("e", ".0e", 1)
    return text


@lru_cache(maxsize=4096)
def _plain_ok(text):
    return (
        bool(_PLAIN.fullmatch(text))
        and text == text.strip()
        and ": " not in text
        and " #" not in text
        and not text.endswith(":")
        and not _UNSAFE.search(text)
        and _resolver.resolve(yaml.ScalarNode, text, (True, False)) == _STR_TAG
    )


def _double_quoted(text):
    # JSON's escapes are a subset of YAML's double-quoted ones.
    quoted = json.dumps(str(text), ensure_ascii=False)
    return _UNSAFE.sub(lambda match: f"\\u{ord(match.group()):04x}", quoted)
