"""The YAML writer: whatever it writes, a YAML loader reads back as the same values."""

import datetime as dt
import random

import pytest
import yaml

from articles.export.yamltext import Quoted, dump, scalar

TRICKY_TEXT = [
    "",
    " leading space",
    "trailing space ",
    "key: value",
    "a #comment",
    "ends with colon:",
    "- dash",
    "? question",
    "#hashtag",
    "&anchor",
    "*alias",
    "!tag",
    "|block",
    ">folded",
    "'single'",
    '"double"',
    "%directive",
    "@at",
    "`tick`",
    "...",
    "---",
    "true",
    "no",
    "Yes",
    "null",
    "~",
    "123",
    "0x1F",
    "1e3",
    "3.14",
    ".inf",
    "2021-05-19",
    "2021-05-19T03:20:00Z",
    "<<",
    "=",
    "line\nbreak",
    "tab\there",
    "back\\slash",
    'quote " inside',
    "nel\x85char",
    "line\u2028separator",
    "bom\ufeffinside",
    "del\x7fchar",
    "bell\x07char",
    "emoji 🤖 and 한국어 and Кириллица",
    "“typographic” quotes — dash",
    "https://example.com/a?b=c&d=e#frag",
    "[not a list]",
    "{not: a map}",
    "Becker's Hospital Review",
]


def random_value(rng, depth=0):
    kinds = ["text", "int", "float", "bool", "none", "datetime", "date"]
    if depth < 3:
        kinds += ["list", "dict"] * 2
    kind = rng.choice(kinds)
    if kind == "text":
        return rng.choice([rng.choice(TRICKY_TEXT), Quoted(rng.choice(TRICKY_TEXT))])
    if kind == "int":
        return rng.randint(-(2**40), 2**40)
    if kind == "float":
        return rng.choice([0.5, -1.25, 1e20, 1e-7, 3.0])
    if kind == "bool":
        return rng.random() < 0.5
    if kind == "none":
        return None
    if kind == "datetime":
        return dt.datetime(2021, 5, 19, 3, 20, rng.randint(0, 59), tzinfo=dt.UTC)
    if kind == "date":
        return dt.date(2013, 7, rng.randint(1, 28))
    if kind == "list":
        return [random_value(rng, depth + 1) for _ in range(rng.randint(0, 3))]
    return {rng.choice(TRICKY_TEXT) + str(i): random_value(rng, depth + 1) for i in range(3)}


class TestRoundTrip:
    @pytest.mark.parametrize("text", TRICKY_TEXT)
    def test_text_reads_back_unchanged_as_value_and_as_key(self, text):
        written = dump({text: text, "quoted": Quoted(text), "list": [text]})
        assert yaml.safe_load(written) == {text: text, "quoted": text, "list": [text]}

    @pytest.mark.parametrize("seed", range(40))
    def test_random_nested_documents_read_back_unchanged(self, seed):
        rng = random.Random(seed)
        document = {f"key{i}": random_value(rng) for i in range(6)}
        assert yaml.safe_load(dump(document, blank_lines=True)) == document

    def test_special_floats_read_back(self):
        loaded = yaml.safe_load(dump({"a": float("inf"), "b": float("-inf"), "c": 1e300}))
        assert loaded == {"a": float("inf"), "b": float("-inf"), "c": 1e300}
        assert yaml.safe_load(dump({"n": float("nan")}))["n"] != yaml.safe_load("n: 0")["n"]


class TestSeedFileStyle:
    def test_lists_are_indented_under_their_key_and_groups_set_apart(self):
        written = dump(
            {
                "type": "article",
                "provider": {"name": "Example", "domain": "example.com"},
                "topics": ["AI", "AI Hardware"],
                "images": [{"url": Quoted("https://x.example/a.jpg"), "width": 1}],
                "secured": Quoted("abc="),
            },
            blank_lines=True,
        )
        assert written == (
            "type: article\n"
            "\n"
            "provider:\n"
            "  name: Example\n"
            "  domain: example.com\n"
            "\n"
            "topics:\n"
            "  - AI\n"
            "  - AI Hardware\n"
            "\n"
            "images:\n"
            '  - url: "https://x.example/a.jpg"\n'
            "    width: 1\n"
            "\n"
            'secured: "abc="\n'
        )

    def test_timestamps_are_written_as_the_seed_files_write_them(self):
        offset = dt.timezone(dt.timedelta(hours=-7))
        assert scalar(dt.datetime(2021, 5, 19, 3, 20, tzinfo=dt.UTC)) == "2021-05-19T03:20:00Z"
        assert scalar(dt.datetime(2021, 5, 18, 20, 20, tzinfo=offset)) == "2021-05-19T03:20:00Z"
        naive = dt.datetime(2021, 5, 19, 3, 20)  # noqa: DTZ001 (a timestamp with no zone)
        assert scalar(naive) == "2021-05-19T03:20:00"

    def test_quoted_text_keeps_non_ascii_readable_and_escapes_quotes(self):
        assert scalar(Quoted('Ağ “x” "y"')) == '"Ağ “x” \\"y\\""'

    def test_long_text_stays_on_one_line(self):
        text = "word " * 2000 + "end"
        assert dump({"excerpt": Quoted(text)}).count("\n") == 1

    def test_values_yaml_cannot_hold_are_refused(self):
        with pytest.raises(TypeError):
            dump({"x": object()})
        with pytest.raises(TypeError):
            dump({1: "x"})
