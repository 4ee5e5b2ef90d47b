"""The front matter's fast loop (articles/ingest/plainyaml.py) builds what the guarded
loader builds, and hands everything else to it."""

import pytest
import yaml

from articles.ingest import reading
from articles.ingest.plainyaml import NotPlain, load_plain


def front_matters(corpus):
    found = []
    for path in sorted(corpus.rglob("*")):
        if not path.is_file() or path.suffix.lower() not in reading.FRONT_MATTER_SUFFIXES:
            continue
        front, _, _ = reading.split_front_matter(reading.decode(path.read_bytes()))
        found.append((path.name, front))
    return found


def test_every_corpus_front_matter_takes_the_fast_loop_and_gets_the_same_values(corpus):
    fronts = front_matters(corpus)
    assert len(fronts) > 100
    for name, front in fronts:
        fast = load_plain(reading._Loader, front)  # NotPlain here: the fast loop is dead code
        guarded = yaml.load(front, Loader=reading._Loader)
        # repr as well: 1 == 1.0 == True, but the types must match too.
        assert (fast, repr(fast)) == (guarded, repr(guarded)), name


PLAIN = """\
title: "Caf\\u00e9"
count: 0x1F
ratio: 1_000.5
ok: yes
none: ~
at: 2021-02-03 04:05:06+01:00
day: 2021-02-03
empty:
list: [1, two, {three: 3}]
1: numeric key
null: null key
dup: first
dup: second
"""


def test_plain_values_match_the_guarded_loader_type_for_type():
    fast = load_plain(reading._Loader, PLAIN)
    guarded = yaml.load(PLAIN, Loader=reading._Loader)
    assert repr(fast) == repr(guarded)
    assert fast["dup"] == "second" and list(fast).index("dup") == list(guarded).index("dup")


@pytest.mark.parametrize(
    "source",
    [
        "a: &x 1\nb: *x\n",  # an alias
        "base: {a: 1}\nmore:\n  <<: {b: 2}\n",  # a merge key
        "a: !!str 1\n",  # an explicit tag
        "a: !custom 1\n",
        "a: !!binary aGk=\n",
        "a: 2021-02-30\n",  # a date that does not exist
        'a: "\\x01"\n',  # a character XML forbids, as an escape
        "[a, b]: 1\n",  # an unhashable key
        "a: 1\n---\nb: 2\n",  # two documents
        "a: [1\n",  # a syntax error
        "",  # no document
        "a: " + "[" * 101 + "]" * 101 + "\n",  # nested too deep
        "[" + ", ".join(["1"] * 20_001) + "]\n",  # too many values
    ],
)
def test_anything_else_goes_to_the_guarded_loader_with_its_own_outcome(source):
    with pytest.raises(NotPlain):
        load_plain(reading._Loader, source)
    try:
        expected = ("value", yaml.load(source, Loader=reading._Loader))
    except yaml.YAMLError as error:
        expected = ("error", str(error))
    try:
        got = ("value", reading._single_document(source))
    except yaml.YAMLError as error:
        got = ("error", str(error))
    assert got == expected
