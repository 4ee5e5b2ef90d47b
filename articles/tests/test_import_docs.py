"""docs/import.md lists every rejection message; each is what the importer really says.

The table's messages are read from the document itself, and each has an example file
here: a message added to the docs without an example, or an example whose real
message drifted from the docs, fails. ``…`` in a documented message stands for the
rest of the line.
"""

import itertools
import re
from pathlib import Path

import pytest

from articles.ingest.yamlguard import MAX_NODES

from .helpers import news_text, run_import, write
from .test_import_hostile import bomb, values_in, with_extra

pytestmark = pytest.mark.django_db

DOC = Path(__file__).resolve().parents[2] / "docs" / "import.md"
GOOD = news_text("A good story", "https://example.com/good")


def good(old, new):
    assert old in GOOD, old
    return GOOD.replace(old, new)


def documented_messages():
    """The code spans of the message column of the 'What is refused' table."""
    section = DOC.read_text(encoding="utf-8").split("## What is refused, and the message")[1]
    lines = section.splitlines()
    start = next(index for index, line in enumerate(lines) if line.startswith("|"))
    rows = list(itertools.takewhile(lambda line: line.startswith("|"), lines[start:]))
    messages = []
    for row in rows[2:]:  # after the header and its rule
        message_cell = row.strip("|").split(" | ")[1]
        messages.extend(re.findall(r"`([^`]+)`", message_cell))
    return messages


def related(third):
    items = "".join(f'  - title: "r{i}"\n' for i in range(2)) + f"  - {third}\n"
    return good("secured:", "related:\n" + items + "secured:")


def too_long_path(folder):
    for _ in range(3):
        folder = folder / ("d" * 90)
    return folder / "x.md"


BIG = GOOD.replace("An excerpt.", "x" * 2_000_000)
EXAMPLES = {
    "file is 1,048,577 bytes; the limit is 1,048,576 (1 MiB)": (BIG.encode()[: 1024 * 1024 + 1]),
    "not UTF-8 text (byte 0xe9 at offset 42)": GOOD.encode()[:42] + b"\xe9" + GOOD.encode()[43:],
    "file is empty": b"\n \n",
    "contains a NUL character (line 4); text may not hold NULs": good("An excerpt", "An\0"),
    "no YAML front matter: the file must start with a '---' line": "Just markdown.\n",
    "the front matter is not closed by a '---' line": "---\ntitle: x\n",
    "YAML syntax error at line 3, column 7: …": '---\ntitle: x\nlink: "open\n---\n',
    "the front matter is a list, not a mapping of keys to values": "---\n- a\n---\n",
    "contains the control character U+001B (line 22); text may not hold what XML forbids "
    "(no feed could carry it)": GOOD + "Body \x1b.\n",
    "contains the noncharacter U+FFFF (line 22); …": GOOD + "Body \uffff.\n",
    "contains the character U+0081 (line 4), which YAML does not allow "
    "(control characters are not allowed)": good("An excerpt.", "An\x81excerpt."),
    "uses a YAML alias (*a0) at line 5, column 6": bomb("\u2028"),
    "uses a YAML merge key (<<) at line 19, column 5": with_extra("x: {<<: {a: 1}}"),
    "YAML nested more than 100 levels deep at line 2, column 103": (
        "---\nx: " + "[" * 20_000 + "]" * 20_000 + "\n---\n"
    ),
    "holds more than 20,000 YAML values at line 20, column 10": with_extra(
        # one value past the limit (the list's key and the list itself count too)
        "x: [" + ", ".join(["1"] * (MAX_NODES - values_in(GOOD) - 1)) + "]"
    ),
    "notes[0].a: contains the control character U+0001; text may not hold what XML forbids "
    "(no feed could carry it)": with_extra('notes:\n  - {a: "x\\x01y"}'),
    "meta (a key): …": with_extra('meta: {"k\\x02": 1}'),
    "YAML syntax error at line 3, column 8: while parsing a quoted scalar; found invalid "
    "Unicode character escape code": good('"A good story"', '"A \\ud800 story"'),
    "'maybe' is not a !!bool value at line 19, column 4": with_extra("x: !!bool maybe"),
    "title: missing": good('title: "A good story"\n', ""),
    "neither webUrl nor originalUrl is given: a story needs its URL": good(
        'originalUrl: "https://example.com/good"\nwebUrl: "https://example.com/good"\n', ""
    ),
    "webUrl: 'javascript:alert(1)' is not an http(s) URL": good(
        'webUrl: "https://example.com/good"', 'webUrl: "javascript:alert(1)"'
    ),
    "quality: 'high' is not a number": good("quality: 50", "quality: high"),
    "heat: 1.5 is not a whole number": good("heat: 10", "heat: 1.5"),
    "heat: 99999999999 is out of range (at most 2147483647)": good("heat: 10", "heat: 99999999999"),
    "quality: -5 is negative": good("quality: 50", "quality: -5"),
    "quality: 2147483648 is out of range (at most 2147483647)": good(
        "quality: 50", "quality: 2147483648"
    ),
    "provider.domain: 'a/b.example' is not a domain name (letters, digits and hyphens "
    "between dots)": good("domain: example.com", "domain: a/b.example"),
    "publishedDateTime: 'yesterday' is not a date and time": good(
        "2021-05-19T03:20:00Z", "yesterday"
    ),
    "published: 'maybe' is not true or false": good("published: true", "published: maybe"),
    "provider: must be a mapping with name and domain, not text": good(
        "provider:\n  name: Example News\n  domain: example.com\n", "provider: x\n"
    ),
    "topics: must be a list of topic names, not text": good("topics:\n  - AI\n", "topics: AI\n"),
    "images[0]: must be a mapping with a url, not text": good(
        "secured:", "images:\n  - just-a-url\nsecured:"
    ),
    "related[2].publishedDateTime: …": related("publishedDateTime: someday"),
    "type: longer than 100 characters": good("type: article", "type: " + "a" * 101),
    "title: contains a NUL character; text may not hold NULs": good(
        '"A good story"', '"A \\0 story"'
    ),
    "a date that does not exist (day is out of range for month) at line 5, column 20": good(
        "2021-05-19T03:20:00Z", "2021-02-30T03:20:00Z"
    ),
    "publishedDateTime: 0001-01-01T00:00:00+01:00 is out of range": good(
        "2021-05-19T03:20:00Z", "0001-01-01T00:00:00+01:00"
    ),
    "x: nan is not a number JSON can hold": good("secured:", "x: .nan\nsecured:"),
    "x: 9223372036854775808 is too large a number": good(
        "secured:", "x: 9223372036854775808\nsecured:"
    ),
    "its path in the folder is longer than 255 characters": too_long_path,
}


def test_every_documented_message_has_an_example_and_every_example_is_documented():
    assert sorted(documented_messages()) == sorted(EXAMPLES)


@pytest.mark.parametrize("message", sorted(EXAMPLES))
def test_the_importer_says_what_the_docs_say(tmp_path, message):
    example = EXAMPLES[message]
    if callable(example):
        path = example(tmp_path)
        write(path.parent, path.name, GOOD)
    else:
        path = write(tmp_path, "bad.md", example)
    code, _, err = run_import(tmp_path)
    assert code == 1
    [line] = err.splitlines()
    said = line.removeprefix(f"{path}: ")
    if message.endswith("…"):
        assert said.startswith(message.removesuffix("…")), said
    else:
        assert said == message
