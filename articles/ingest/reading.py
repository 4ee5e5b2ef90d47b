"""Turn a file's bytes into its YAML mapping and body, or a plain-worded rejection.

Everything here is pure (no database), so it can run in worker processes.
"""

import re

import yaml
from frontmatter.default_handlers import YAMLHandler

MAX_FILE_BYTES = 1024 * 1024
"""The largest file we read (1 MiB); the largest real news file is about 52 KB."""

MAX_NESTING = 1000
"""Deeper YAML than this is refused: libyaml's composer recurses and can crash on it."""

SAFE_LENGTH = 5000
"""Texts this short cannot nest deeply enough to trouble libyaml (it copes with 20,000)."""

MAX_VALUES = 200_000
"""A front matter that expands to more values than this is refused (YAML alias bombs)."""

FRONT_MATTER_SUFFIXES = {".md", ".markdown", ".txt"}
YAML_SUFFIXES = {".yaml", ".yml"}
IMPORTABLE_SUFFIXES = FRONT_MATTER_SUFFIXES | YAML_SUFFIXES

_front_matter = YAMLHandler()
_indent = re.compile(r"^ +", re.MULTILINE)
_anchor = re.compile(r"&[^\s\[\]{},]")


def _construct_timestamp(loader, node):
    """PyYAML builds timestamps itself, and 2021-02-30 or year 0 fail with a bare
    ValueError; this names the place in the file instead."""
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError as error:
        raise yaml.constructor.ConstructorError(
            None, None, f"a date that does not exist ({error})", node.start_mark
        ) from None


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """libyaml's C parser with PyYAML's safe constructors."""


class _DeepLoader(yaml.SafeLoader):
    """The pure-Python parser, for texts that could nest too deeply for the C one."""


for _loader in (_Loader, _DeepLoader):
    _loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)
_nul_escape = re.compile(r"\\(?:0|x00|u0000|U00000000)")


class InvalidFile(ValueError):
    """The file cannot be imported; the message says why, in plain words."""


def decode(raw):
    """Bytes to text: UTF-8 (a byte-order mark is dropped), LF line endings, no NULs."""
    if len(raw) > MAX_FILE_BYTES:
        raise InvalidFile(f"file is {len(raw):,} bytes; the limit is {MAX_FILE_BYTES:,} (1 MiB)")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InvalidFile(
            f"not UTF-8 text (byte 0x{raw[error.start]:02x} at offset {error.start})"
        ) from None
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise InvalidFile(f"contains a NUL character (line {line}); text may not hold NULs")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise InvalidFile("file is empty")
    return text


def split_front_matter(text):
    """Return (front matter source, body, line offset of the front matter)."""
    stripped = text.lstrip("\n")
    if not _front_matter.detect(stripped):
        raise InvalidFile("no YAML front matter: the file must start with a '---' line")
    try:
        front, body = _front_matter.split(stripped)
    except ValueError:
        raise InvalidFile("the front matter is not closed by a '---' line") from None
    offset = len(text) - len(stripped)
    # The front matter text starts on the opening "---" line itself.
    return front, body.strip("\n").rstrip(), text.count("\n", 0, offset)


def load_yaml(source, line_offset=0, single=False):
    """Parse one YAML document safely.

    A plain YAML file may end with a stray ``---`` (an empty second document);
    front matter, cut at its ``---`` lines, is always a ``single`` document.
    """
    loader = _Loader
    # Nesting can't be deeper than the text is long, and libyaml copes with
    # several thousand levels, so short texts skip the scan.
    if len(source) > SAFE_LENGTH and _nesting_bound(source) > MAX_NESTING:
        # The pure-Python loader stops deep nesting with a RecursionError
        # where the C one may overflow its stack.
        loader = _DeepLoader
    try:
        if single:
            data = yaml.load(source, Loader=loader)  # CSafeLoader or SafeLoader
        else:
            documents = [doc for doc in yaml.load_all(source, Loader=loader) if doc is not None]
            if len(documents) > 1:
                raise InvalidFile(f"holds {len(documents)} YAML documents; expected one")
            data = documents[0] if documents else None
    except yaml.MarkedYAMLError as error:
        # The context mark, where there is one, is where the broken construct
        # began (an unclosed quote), not where the parser gave up.
        mark = error.context_mark or error.problem_mark
        where = f" at line {mark.line + 1 + line_offset}, column {mark.column + 1}" if mark else ""
        if isinstance(error, yaml.constructor.ConstructorError):
            raise InvalidFile(f"{error.problem}{where}") from None
        what = "; ".join(part for part in (error.context, error.problem) if part)
        raise InvalidFile(f"YAML syntax error{where}: {what}") from None
    except yaml.YAMLError as error:
        raise InvalidFile(f"YAML error: {error}") from None
    except RecursionError:
        raise InvalidFile(f"YAML nested more than {MAX_NESTING} levels deep") from None
    except ValueError as error:
        if isinstance(error, InvalidFile):
            raise
        # PyYAML builds timestamps itself: 2021-02-30 or year 0 fail here.
        raise InvalidFile(f"a date that does not exist ({error})") from None
    if _has_anchor(source):
        _check_expansion(data)
    return data


def read_mapping(raw, suffix):
    """Return (mapping, body) for a file's bytes; ``suffix`` chooses front matter or YAML."""
    text = decode(raw)
    if suffix in YAML_SUFFIXES or (
        suffix not in FRONT_MATTER_SUFFIXES and not text.lstrip("\n").startswith("---")
    ):
        data, body = load_yaml(text), ""
    else:
        front, body, offset = split_front_matter(text)
        data = load_yaml(front, offset, single=True)
    if data is None:
        raise InvalidFile("the front matter is empty")
    if not isinstance(data, dict):
        raise InvalidFile(
            f"the front matter is {describe_kind(data)}, not a mapping of keys to values"
        )
    for key in data:
        if not isinstance(key, str):
            raise InvalidFile(f"front-matter key {key!r} is not text")
    if _nul_escape.search(text):
        _check_no_nul(data)
    return data, body


def _check_no_nul(data):
    """A NUL written as a YAML escape ("\\0"): PostgreSQL refuses it in text and JSON."""
    stack = [(data, "")]
    while stack:  # not recursive: the document may nest 1,000 levels deep
        value, label = stack.pop()
        if isinstance(value, str):
            if "\x00" in value:
                raise InvalidFile(f"{label}: contains a NUL character; text may not hold NULs")
        elif isinstance(value, dict):
            for key, item in value.items():
                stack.append((key, f"{label} (a key)" if label else "a key"))
                stack.append((item, f"{label}.{key}" if label else str(key)))
        elif isinstance(value, list):
            stack.extend((item, f"{label}[{index}]") for index, item in enumerate(value))


def _nesting_bound(source):
    """A cheap upper bound on the nesting depth of a YAML text."""
    indents = _indent.findall(source)
    deepest_indent = max(map(len, indents)) if indents else 0
    return (
        source.count("[")
        + source.count("{")
        + source.count("- ")
        + source.count("? ")
        + deepest_indent
    )


def _has_anchor(source):
    """Whether the text defines a YAML anchor (``&name`` after a space or indicator).

    Aliases can only repeat what an anchor names, so text without one cannot be
    a bomb; most ``&`` in news are inside URLs and are skipped cheaply.
    """
    for match in _anchor.finditer(source):
        start = match.start()
        if start == 0 or source[start - 1] in " \t\n[{,:-":
            return True
    return False


def _check_expansion(data):
    """Refuse structures that aliases make huge, without expanding them."""
    budget = MAX_VALUES
    stack = [data]
    while stack:
        value = stack.pop()
        budget -= 1
        if budget < 0:
            raise InvalidFile(
                f"the front matter expands to more than {MAX_VALUES:,} values "
                "(YAML aliases used as a bomb?)"
            )
        if isinstance(value, dict):
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)


def describe_kind(value):
    """'a list', 'a mapping', 'text'…: how a rejection names a YAML value's type."""
    if isinstance(value, bool):
        return "a boolean"
    return {
        list: "a list",
        dict: "a mapping",
        str: "text",
        int: "a number",
        float: "a number",
    }.get(type(value), type(value).__name__)
