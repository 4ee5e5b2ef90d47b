"""Turn a file's bytes into its YAML mapping and body, or a plain-worded rejection.

Everything here is pure (no database), so it can run in worker processes.
"""

import yaml
from frontmatter.default_handlers import YAMLHandler

from articles.xmltext import forbidden_character

from .plainyaml import NotPlain, load_plain
from .yamlguard import Refused, guarded

MAX_FILE_BYTES = 1024 * 1024
"""The largest file we read (1 MiB); the largest real news file is about 52 KB."""

FRONT_MATTER_SUFFIXES = {".md", ".markdown", ".txt"}
YAML_SUFFIXES = {".yaml", ".yml"}
IMPORTABLE_SUFFIXES = FRONT_MATTER_SUFFIXES | YAML_SUFFIXES

_front_matter = YAMLHandler()


def _refusing_misfits(tag, construct):
    """PyYAML's constructor for ``tag``, refusing a value that does not fit it by name.

    An explicit tag (``!!bool maybe``, ``!!timestamp height``) hands any text to
    constructors that then fail with a bare ValueError, KeyError, IndexError (an empty
    ``!!int``) or AttributeError;
    an implicit timestamp can still name a date that does not exist (2021-02-30).
    """
    short = "!!" + tag.rsplit(":", 1)[1]

    def constructor(loader, node):
        try:
            return construct(loader, node)
        except (ValueError, LookupError, AttributeError, TypeError, OverflowError) as error:
            if short == "!!timestamp" and yaml.SafeLoader.timestamp_regexp.match(node.value):
                problem = f"a date that does not exist ({error})"
            else:
                problem = f"{str(node.value)[:40]!r} is not a {short} value"
            raise yaml.constructor.ConstructorError(None, None, problem, node.start_mark) from None

    return constructor


_Loader = guarded(getattr(yaml, "CSafeLoader", yaml.SafeLoader))
"""libyaml's C parser, the guarded composer and PyYAML's safe constructors."""
for _tag in (f"tag:yaml.org,2002:{name}" for name in ("null", "bool", "int", "float", "binary")):
    _Loader.add_constructor(_tag, _refusing_misfits(_tag, _Loader.yaml_constructors[_tag]))
_Loader.add_constructor(
    "tag:yaml.org,2002:timestamp",
    _refusing_misfits("tag:yaml.org,2002:timestamp", yaml.SafeLoader.construct_yaml_timestamp),
)


class InvalidFile(ValueError):
    """The file cannot be imported; the message says why, in plain words."""


def decode(raw):
    """Bytes to text: UTF-8 (a byte-order mark is dropped), LF line endings, nothing XML forbids."""
    if len(raw) > MAX_FILE_BYTES:
        raise InvalidFile(f"file is {len(raw):,} bytes; the limit is {MAX_FILE_BYTES:,} (1 MiB)")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InvalidFile(
            f"not UTF-8 text (byte 0x{raw[error.start]:02x} at offset {error.start})"
        ) from None
    found = forbidden_character(text)
    if found is not None:
        raise InvalidFile(found.at_line(text.count("\n", 0, found.index) + 1))
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
    try:
        if single:
            data = _single_document(source)
        else:
            data, count = None, 0
            for document in yaml.load_all(source, Loader=_Loader):
                if document is None:
                    continue
                count += 1
                if count == 1:  # only the first is kept: memory stays one document's
                    data = document
            if count > 1:
                raise InvalidFile(f"holds {count} YAML documents; expected one")
    except yaml.MarkedYAMLError as error:
        # The context mark, where there is one, is where the broken construct
        # began (an unclosed quote), not where the parser gave up.
        mark = error.context_mark or error.problem_mark
        where = f" at line {mark.line + 1 + line_offset}, column {mark.column + 1}" if mark else ""
        if isinstance(error, yaml.constructor.ConstructorError | Refused):
            raise InvalidFile(f"{error.problem}{where}") from None
        what = "; ".join(part for part in (error.context, error.problem) if part)
        raise InvalidFile(f"YAML syntax error{where}: {what}") from None
    except yaml.reader.ReaderError as error:  # a character YAML does not allow, written raw
        line = _line_at(source, error.position) + line_offset
        raise InvalidFile(
            f"contains the character U+{error.character:04X} (line {line}), which YAML does "
            f"not allow ({error.reason})"
        ) from None
    except yaml.YAMLError as error:
        raise InvalidFile("YAML error: " + " ".join(str(error).split())) from None
    except ValueError as error:
        if isinstance(error, InvalidFile):
            raise
        # PyYAML builds timestamps itself: 2021-02-30 or year 0 fail here.
        raise InvalidFile(f"a date that does not exist ({error})") from None
    return data


def _single_document(source):
    """The one document of a front matter: the event loop of ``plainyaml`` where it
    builds the same values, else the guarded loader (which also words any error)."""
    try:
        return load_plain(_Loader, source)
    except NotPlain:
        return yaml.load(source, Loader=_Loader)


def _line_at(source, position):
    """The line of a reader error's position: libyaml counts UTF-8 bytes, PyYAML characters."""
    if issubclass(_Loader, getattr(yaml, "CSafeLoader", ())):
        return source.encode("utf-8", "surrogatepass")[:position].count(b"\n") + 1
    return source.count("\n", 0, position) + 1


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
    return data, body


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
