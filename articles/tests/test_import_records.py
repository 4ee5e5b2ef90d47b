"""The record builders' own rules, without files or a database."""

import pytest

from articles.ingest.reading import InvalidFile
from articles.ingest.records import Kind, classify, jsonable_extra


class TestClassify:
    @pytest.mark.parametrize(
        ("data", "name"),
        [({"title": "x"}, "news"), ({"taxonomy": "topic"}, "topic"), ({"taxonomy": "tag"}, "skip")],
    )
    def test_every_file_gets_a_kind_of_the_same_type(self, data, name):
        kind = classify(data)
        assert type(kind) is Kind and kind.name == name

    def test_a_skip_says_why(self):
        assert classify({"taxonomy": "tag"}).reason == (
            "taxonomy 'tag' is not imported (only topic and organization)"
        )
        assert classify({"taxonomy": "topic"}).reason == ""


class TestKeptIntegers:
    """Unknown keys are kept as JSON; integers must fit 64 bits to read back on SQLite."""

    @pytest.mark.parametrize("value", [2**63 - 1, -(2**63), 0])
    def test_the_signed_64_bit_range_is_kept(self, value):
        assert jsonable_extra({"x": value}, set(), "") == {"x": value}

    @pytest.mark.parametrize("value", [2**63, -(2**63) - 1, 10**30])
    def test_outside_it_is_refused_by_name(self, value):
        with pytest.raises(InvalidFile, match=f"^x: {value} is too large a number$"):
            jsonable_extra({"x": value}, set(), "")
