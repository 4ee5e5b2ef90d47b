"""Property-based: whatever the files hold, the import run finishes and counts each file once.

Hypothesis mutates real corpus files (inserting the characters and constructs
attacks use: aliases, merge keys, escapes, other line breaks, brackets, tags) and
writes random YAML documents, then runs the real ``import_articles`` beside a
good file. The run must never raise, every file must be counted exactly once
(a failed or skipped one reported on exactly one line), no file may break the
importer itself, and the good file must still go in.

Examples and time are bounded so CI stays fast (about 10 s for the module).
"""

import datetime as dt
import re
import tempfile
from pathlib import Path

import pytest
import yaml
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles.ingest.parse import UNEXPECTED
from articles.models import Article
from articles.seed_format import NEWS

from .helpers import news_text, run_import

pytestmark = pytest.mark.django_db

GOOD_URL = "https://fuzz.example/the-good-story"
GOOD = news_text("The good story", GOOD_URL)

FUZZ = settings(
    max_examples=40,
    deadline=dt.timedelta(seconds=10),  # a hang or a bomb, not a slow machine
    database=None,  # nothing written into the work tree
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

SUMMARY = re.compile(
    r"^(\d+) files: (\d+) created, (\d+) updated, (\d+) unchanged, (\d+) failed"
    r"(?:, (\d+) skipped)?$"
)

ATTACKS = [
    "&a ",
    "*a",
    " *a",
    "<<: ",
    "<<: *a",
    "[",
    "]",
    "{",
    "}",
    "- ",
    "-\t",
    "? ",
    ": ",
    ", ",
    "\u2028",
    "\u2029",
    "\x85",
    "\t",
    "\n",
    "\r",
    "  ",
    '"',
    "'",
    "\\",
    "#",
    "|",
    ">",
    "!",
    '"\\ud800"',
    '"\\udfff x"',
    '"\\x01"',
    '"\\0"',
    '"\\uFFFE"',
    '"\\e\\a\\v"',
    '"\\U0010FFFF"',
    "!!binary ",
    "!!set ",
    "!!omap ",
    "!!pairs ",
    "!!python/object:os.system ",
    "!!str ",
    "!!int ",
    "!!float ",
    "!!timestamp ",
    "!!null ",
    "!!bool ",
    "!!map ",
    "!!seq ",
    "2021-02-30",
    "0000-01-01",
    "0001-01-01T00:00:00-01:00",
    "9999-12-31T23:59:59+14:00",
    ".nan",
    ".inf",
    "-.inf",
    "9" * 30,
    "-" + "9" * 20,
    "0x1F",
    "0o17",
    "1_000",
    "~",
    "null",
    "yes",
    "off",
    "---\n",
    "...\n",
    "%YAML 1.1\n",
    "%TAG ! tag:x,2000:\n",
    "\ufeff",
    "\x00",
    "\x01",
    "\x1f",
    "\x7f",
    "\x81",
    "\ufffe",
    "\U0001f600",
    "é",
    "javascript:alert(1)",
    "taxonomy: topic\n",
    "taxonomy: organization\n",
    "taxonomy: tag\n",
    "[" * 150,
    "- " * 150,
]

mutation = st.tuples(
    st.sampled_from(["insert", "delete", "replace", "duplicate"]),
    st.floats(0, 1),
    st.integers(0, 80),
    st.one_of(st.sampled_from(ATTACKS), st.text(max_size=20)),
)

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.dates(),
    st.datetimes(),
)
values = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(st.one_of(st.text(max_size=8), st.integers()), children, max_size=4),
    ),
    max_leaves=25,
)
SEED_KEYS = [key.name for key in NEWS]
documents = st.one_of(
    st.fixed_dictionaries(
        {},
        optional=dict.fromkeys([*(key.name for key in NEWS), "taxonomy", "name", "domain"], values),
    ),
    values,
)


def mutate(text, mutations):
    for kind, where, length, token in mutations:
        at = int(where * len(text))
        if kind == "insert":
            text = text[:at] + token + text[at:]
        elif kind == "delete":
            text = text[:at] + text[at + length :]
        elif kind == "replace":
            text = text[:at] + token + text[at + len(token) :]
        else:
            start = text.rfind("\n", 0, at) + 1
            end = text.find("\n", at) + 1 or len(text)
            text = text[:end] + text[start:end] + text[end:]
    return text.encode(
        "utf-8", "surrogatepass"
    )  # a lone surrogate becomes bytes that are not UTF-8


def dump(document, flow, as_front_matter, body):
    try:
        text = yaml.safe_dump(document, default_flow_style=flow, allow_unicode=True)
    except yaml.YAMLError:
        text = repr(document)
    if as_front_matter:
        text = f"---\n{text}---\n{body}"
    return text.encode("utf-8", "surrogatepass")


def import_beside_the_good_file(files):
    """Import ``files`` (name -> bytes) and a good file; check the run's promises."""
    with tempfile.TemporaryDirectory() as folder, transaction.atomic():
        root = Path(folder)
        paths = {str(root / name) for name in files}
        for name, content in files.items():
            (root / name).write_bytes(content)
        (root / "zz-good.md").write_text(GOOD)
        code, out, err = run_import(root)

        assert code in (0, 1)
        match = SUMMARY.match(out.strip())
        assert match, out
        total, *counts = (int(n or 0) for n in match.groups())
        assert total == sum(counts) == len(files) + 1
        created, updated, unchanged, failed, skipped = counts
        assert code == (1 if failed else 0)

        reported = [line.split(": ", 1) for line in err.splitlines()]
        names = [name for name, _ in reported]
        assert len(names) == len(set(names)) == failed + skipped, err
        assert set(names) <= paths, err  # the good file is never blamed
        for _, reason in reported:
            assert UNEXPECTED not in reason and "Traceback" not in reason, err
        assert Article.objects.filter(web_url=GOOD_URL).exists()
        transaction.set_rollback(True)  # each example starts from an empty database


class TestFuzzedImports:
    @FUZZ
    @given(data=st.data())
    def test_mutated_corpus_files(self, corpus, data):
        sources = sorted(
            path
            for folder in ("news", "topics", "tags", "organizations")
            for path in (corpus / folder).iterdir()
        )
        files = {}
        for n in range(data.draw(st.integers(1, 3), label="files")):
            source = data.draw(st.sampled_from(sources), label="source")
            edits = data.draw(st.lists(mutation, min_size=1, max_size=6), label="edits")
            # Names the importer always reads (it sniffs ``theguardian.com`` for a --- line).
            suffix = ".yaml" if source.suffix == ".yaml" else ".md"
            files[f"fuzz-{n}{suffix}"] = mutate(source.read_text(encoding="utf-8"), edits)
        import_beside_the_good_file(files)

    @FUZZ
    @given(
        document=documents,
        flow=st.sampled_from([None, True, False]),
        as_front_matter=st.booleans(),
        body=st.text(max_size=40),
    )
    def test_random_yaml_documents(self, document, flow, as_front_matter, body):
        name = "fuzz.md" if as_front_matter else "fuzz.yaml"
        import_beside_the_good_file({name: dump(document, flow, as_front_matter, body)})
