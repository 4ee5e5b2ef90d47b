"""Files written to end or exhaust an import run: each is refused on its line, the run goes on.

The guards look at the structure the YAML parser reports, so these files spell
the same attacks every way YAML allows: other line breaks, tabs, flow and block
style, escapes.
"""

import tracemalloc

import pytest
import yaml

from articles.export.exporter import export_to
from articles.ingest.reading import MAX_FILE_BYTES, read_mapping
from articles.ingest.yamlguard import MAX_NESTING, MAX_NODES, Refused, guarded
from articles.models import Article

from .helpers import news_text, run_import, write

pytestmark = pytest.mark.django_db

GOOD = news_text("A good story", "https://example.com/good")

LINE_BREAKS = {"U+2028": "\u2028", "U+2029": "\u2029", "U+0085": "\x85", "LF": "\n"}


def bomb(line_break):
    """A billion-laughs file whose anchors follow a line break other than LF."""
    lines = [f"a0: [{line_break}&a0 [x, x, x, x, x, x, x, x, x, x]]"]
    lines += [f"a{i}: [{line_break}&a{i} [{', '.join([f'*a{i - 1}'] * 10)}]]" for i in range(1, 9)]
    return "---\n" + "\n".join(lines) + "\ntitle: boom\nwebUrl: https://example.com/bomb\n---\n"


def with_extra(yaml_lines):
    """The good story with more front-matter lines (kept in ``extra``)."""
    return GOOD.replace("secured:", f"{yaml_lines}\nsecured:")


def assert_refused_alone(tmp_path, content, reason, name="bad.md"):
    """``content`` fails with ``reason`` on one line; the good file beside it goes in."""
    bad = write(tmp_path, name, content)
    write(tmp_path, "zz-good.md", GOOD)
    code, out, err = run_import(tmp_path)
    assert err.splitlines() == [f"{bad}: {reason}"]
    assert code == 1
    assert out.strip() == "2 files: 1 created, 0 updated, 0 unchanged, 1 failed"
    assert list(Article.objects.values_list("title", flat=True)) == ["A good story"]


class TestAliases:
    @pytest.mark.parametrize("line_break", LINE_BREAKS.values(), ids=LINE_BREAKS.keys())
    def test_a_bomb_is_refused_at_its_first_alias_whatever_the_line_breaks(
        self, tmp_path, line_break
    ):
        text = bomb(line_break)
        assert len(text.encode()) < 700
        # YAML counts U+2028 and the like as line breaks, as it does LF.
        assert_refused_alone(tmp_path, text, "uses a YAML alias (*a0) at line 5, column 6")

    def test_a_harmless_alias_is_refused_too_the_format_has_none(self, tmp_path):
        assert_refused_alone(
            tmp_path,
            with_extra("x: &one 1\ny: *one"),
            "uses a YAML alias (*one) at line 20, column 4",
        )

    def test_a_merge_key_is_refused(self, tmp_path):
        assert_refused_alone(
            tmp_path,
            with_extra("x: {<<: {a: 1}}"),
            "uses a YAML merge key (<<) at line 19, column 5",
        )

    def test_an_anchor_alone_is_harmless_and_accepted(self, tmp_path):
        write(tmp_path, "a.md", with_extra("x: &only [1, 2]"))
        code, _, err = run_import(tmp_path)
        assert (code, err) == (0, "")
        assert Article.objects.get().extra == {"x": [1, 2]}


def nested(depth, opener, closer="", start="x: "):
    """``x`` holding ``depth`` collections, so the document nests ``depth + 1`` deep."""
    return start + opener * depth + "a" + closer * depth


NESTINGS = {
    "flow lists": ("[", "]", "x: "),
    "flow mappings": ("{a: ", "}", "x: "),
    "block lists": ("- ", "", "x:\n"),
}


class TestNesting:
    @pytest.mark.parametrize(("opener", "closer", "start"), NESTINGS.values(), ids=NESTINGS)
    def test_one_level_too_deep_is_refused(self, tmp_path, opener, closer, start):
        text = with_extra(nested(MAX_NESTING, opener, closer, start))
        bad = write(tmp_path, "bad.md", text)
        code, _, err = run_import(tmp_path)
        assert code == 1
        assert err.startswith(f"{bad}: YAML nested more than {MAX_NESTING} levels deep at line")

    @pytest.mark.parametrize(("opener", "closer", "start"), NESTINGS.values(), ids=NESTINGS)
    def test_as_deep_as_allowed_goes_in(self, tmp_path, opener, closer, start):
        write(tmp_path, "deep.md", with_extra(nested(MAX_NESTING - 1, opener, closer, start)))
        code, _, err = run_import(tmp_path)
        assert (code, err) == (0, "")

    def test_block_nesting_indented_after_other_line_breaks_is_refused(self, tmp_path):
        lines = "".join(f"{' ' * level}k:\u2028" for level in range(MAX_NESTING + 5))
        text = with_extra(f"deep:\u2028{lines}{' ' * (MAX_NESTING + 5)}end")
        bad = write(tmp_path, "bad.md", text)
        code, _, err = run_import(tmp_path)
        assert code == 1 and err.startswith(f"{bad}: YAML nested more than {MAX_NESTING}")

    def test_very_deep_nesting_is_refused_without_a_crash(self, tmp_path):
        half = (MAX_FILE_BYTES - 100) // 2
        assert_refused_alone(
            tmp_path,
            "---\nx: " + "[" * half + "]" * half + "\n---\n",
            f"YAML nested more than {MAX_NESTING} levels deep at line 2, column {MAX_NESTING + 3}",
        )

    def test_the_deepest_allowed_file_is_imported_and_exported(self, tmp_path):
        """Every later step (validation, fingerprint, JSON, the export) copes with the limit."""
        write(tmp_path / "in", "deep.md", with_extra(nested(MAX_NESTING - 1, "[", "]")))
        code, _, err = run_import(tmp_path / "in")
        assert (code, err) == (0, "")
        value = Article.objects.get().extra["x"]
        for _ in range(MAX_NESTING - 1):
            (value,) = value
        assert value == "a"
        report = export_to(tmp_path / "out", Article.objects.all())
        assert report.failed == 0
        exported = (tmp_path / "out" / "news" / "deep.md").read_bytes()
        data, _ = read_mapping(exported, ".md")
        assert data["x"] == Article.objects.get().extra["x"]


def values_in(text):
    """How many values (keys included) a front matter holds, as YAML's parser counts them."""
    front = text.split("---\n")[1]
    starts = (yaml.ScalarEvent, yaml.SequenceStartEvent, yaml.MappingStartEvent)
    return sum(isinstance(event, starts) for event in yaml.parse(front))


class TestSize:
    # The list's key and the list itself come on top of its items.
    ROOM = MAX_NODES - values_in(GOOD) - 2

    def test_one_value_too_many_is_refused(self, tmp_path):
        items = self.ROOM + 1
        text = with_extra("x: [" + ", ".join(["1"] * items) + "]")
        assert values_in(text) == MAX_NODES + 1
        # The value past the limit is the last one: the secured blob's, on the next line.
        assert_refused_alone(
            tmp_path, text, f"holds more than {MAX_NODES:,} YAML values at line 20, column 10"
        )

    def test_as_many_values_as_allowed_go_in(self, tmp_path):
        write(tmp_path, "big.md", with_extra("x: [" + ", ".join(["1"] * self.ROOM) + "]"))
        code, _, err = run_import(tmp_path)
        assert (code, err) == (0, "")
        assert len(Article.objects.get().extra["x"]) == self.ROOM

    def test_the_worst_file_within_the_size_limit_takes_little_memory(self):
        """1 MiB of the smallest values: refused at the value limit, well under 32 MB."""
        text = with_extra("x: [" + ",".join(["a"] * (MAX_FILE_BYTES // 2 - 400)) + "]")
        assert len(text.encode()) <= MAX_FILE_BYTES
        tracemalloc.start()
        try:
            with pytest.raises(ValueError, match="more than 20,000 YAML values"):
                read_mapping(text.encode(), ".md")
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        assert peak < 32 * 2**20


FORBIDDEN_ESCAPES = {
    "NUL": ("\\0", "a NUL character; text may not hold NULs"),
    "SOH": ("\\x01", "the control character U+0001"),
    "bell": ("\\a", "the control character U+0007"),
    "escape": ("\\e", "the control character U+001B"),
    "vertical tab": ("\\v", "the control character U+000B"),
    "U+FFFE": ("\\uFFFE", "the noncharacter U+FFFE"),
    "U+FFFF": ("\\uffff", "the noncharacter U+FFFF"),
}
XML_REASON = "text may not hold what XML forbids (no feed could carry it)"


class TestCharactersXMLForbids:
    @pytest.mark.parametrize(("escape", "what"), FORBIDDEN_ESCAPES.values(), ids=FORBIDDEN_ESCAPES)
    def test_written_as_an_escape_in_any_field_they_are_refused_by_name(
        self, tmp_path, escape, what
    ):
        text = with_extra(f'notes:\n  - {{a: "x{escape}y"}}')
        reason = what if "NUL" in what else f"{what}; {XML_REASON}"
        assert_refused_alone(tmp_path, text, f"notes[0].a: contains {reason}")

    def test_in_a_title(self, tmp_path):
        text = GOOD.replace('"A good story"', '"A\\x08story"', 1)
        assert_refused_alone(
            tmp_path, text, f"title: contains the control character U+0008; {XML_REASON}"
        )

    def test_in_a_key(self, tmp_path):
        assert_refused_alone(
            tmp_path,
            with_extra('meta: {"k\\x02": 1}'),
            f"meta (a key): contains the control character U+0002; {XML_REASON}",
        )

    @pytest.mark.parametrize(
        ("where", "text", "line"),
        [
            ("front matter", GOOD.replace("An excerpt.", "An\x0cexcerpt."), 4),
            ("body", GOOD + "Body text with a \x1b escape.\n", 22),
            ("body, U+FFFF", GOOD + "Body \uffff.\n", 22),
        ],
        ids=["front matter", "body", "body U+FFFF"],
    )
    def test_written_raw_they_are_refused_with_their_line(self, tmp_path, where, text, line):
        char = next(c for c in text if c in "\x0c\x1b\uffff")
        name = "the noncharacter" if char == "\uffff" else "the control character"
        assert_refused_alone(
            tmp_path, text, f"contains {name} U+{ord(char):04X} (line {line}); {XML_REASON}"
        )

    def test_a_raw_character_yaml_refuses_is_named_on_one_line(self, tmp_path):
        text = GOOD.replace("An excerpt.", "An\x81excerpt.")
        assert_refused_alone(
            tmp_path,
            text,
            "contains the character U+0081 (line 4), which YAML does not allow "
            "(control characters are not allowed)",
        )

    def test_a_lone_surrogate_escape_is_refused(self, tmp_path):
        text = GOOD.replace('"A good story"', '"A \\ud800 story"', 1)
        bad = write(tmp_path, "bad.md", text)
        write(tmp_path, "zz-good.md", GOOD)
        code, out, err = run_import(tmp_path)
        assert code == 1 and err.startswith(f"{bad}: ") and len(err.splitlines()) == 1
        assert "line 3, column" in err
        assert out.strip() == "2 files: 1 created, 0 updated, 0 unchanged, 1 failed"

    def test_the_pure_python_parser_refuses_a_lone_surrogate_as_well(self):
        """Where libyaml is missing, PyYAML's own parser reads the escape: the composer stops it."""
        loader = guarded(yaml.SafeLoader)
        with pytest.raises(Refused) as refused:
            yaml.load('title: "A \\ud800 story"', Loader=loader)
        assert refused.value.problem == (
            "title: contains a lone surrogate (U+D800), which is no character; " + XML_REASON
        )

    def test_tab_newline_and_carriage_return_escapes_are_text(self, tmp_path):
        write(tmp_path, "ok.md", GOOD.replace('"A good story"', '"A\\tgood\\r\\nstory"', 1))
        code, _, err = run_import(tmp_path)
        assert (code, err) == (0, "")
        assert Article.objects.get().title == "A\tgood\r\nstory"


class TestValuesThatDoNotFitTheirTag:
    @pytest.mark.parametrize(
        ("value", "reason"),
        [
            ("!!timestamp height", "'height' is not a !!timestamp value"),
            ("!!bool maybe", "'maybe' is not a !!bool value"),
            ("!!int abc", "'abc' is not a !!int value"),
            ("!!float x", "'x' is not a !!float value"),
            # PyYAML reads an empty one's first character: an IndexError (found by fuzzing).
            ("!!int ''", "'' is not a !!int value"),
            ("!!int", "'' is not a !!int value"),
            ("!!float", "'' is not a !!float value"),
        ],
    )
    def test_an_explicit_tag_on_the_wrong_text_is_refused_by_name(self, tmp_path, value, reason):
        assert_refused_alone(tmp_path, with_extra(f"x: {value}"), f"{reason} at line 19, column 4")


class TestOneLinePerFile:
    def test_a_key_holding_line_breaks_is_named_on_one_line(self, tmp_path):
        assert_refused_alone(
            tmp_path,
            with_extra('"a\\rb\\u2028c": "\\x1f"'),
            f"a\\rb\\u2028c: contains the control character U+001F; {XML_REASON}",
        )
