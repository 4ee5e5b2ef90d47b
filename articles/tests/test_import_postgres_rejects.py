"""Data that only PostgreSQL would refuse is refused by the importer first, on every backend.

SQLite stores NULs, over-long VARCHARs and NaN in JSON without a word; PostgreSQL
raises. Each case here must give the same one-line, per-file message on both
(CI runs this module on each), while the good file beside it still goes in.
"""

import pytest

from articles.models import Article, Topic
from providers.models import Provider

from .helpers import run_import, write

pytestmark = pytest.mark.django_db

LONG = "x" * 300

DEFAULT_LINES = {
    "title": 'title: "A story"',
    "category": "category: news",
    "type": "type: article",
    "publishedDateTime": "publishedDateTime: 2021-05-19T03:20:00Z",
    "webUrl": 'webUrl: "https://example.com/{slug}"',
    "heat": "heat: 10",
    "provider": "provider:\n  name: Example News\n  domain: example.com",
    "topics": "topics:\n  - AI",
}


def story(slug="bad", **lines):
    """A news file: the default front-matter lines, some replaced by raw YAML."""
    front = "\n".join({**DEFAULT_LINES, **lines}.values()).replace("{slug}", slug)
    return f"---\n{front}\n---\n"


CASES = {
    "escaped NUL in the title": (
        story(title=r'title: "bad\0title"'),
        "title: contains a NUL character; text may not hold NULs",
    ),
    "escaped NUL in a key kept in extra": (
        story(heat='heat: 10\nnotes:\n  - {a: "x\\u0000y"}'),
        "notes[0].a: contains a NUL character; text may not hold NULs",
    ),
    "over-long type": (
        story(type=f"type: {'t' * 101}"),
        "type: longer than 100 characters",
    ),
    "over-long category": (
        story(category=f"category: {'c' * 101}"),
        "category: longer than 100 characters",
    ),
    "over-long topic name": (
        story(topics=f"topics:\n  - {'n' * 201}"),
        "topics[0]: longer than 200 characters",
    ),
    "over-long domain": (
        story(provider=f"provider:\n  name: N\n  domain: {'d' * 250}.com"),
        "provider.domain: longer than 253 characters",
    ),
    "over-long outlet name (indexed)": (
        story(provider=f"provider:\n  name: {'n' * 501}\n  domain: example.com"),
        "provider.name: longer than 500 characters",
    ),
    "over-long related type": (
        story(heat=f"heat: 1\nrelated:\n  - title: R\n    type: {'t' * 101}"),
        "related[0].type: longer than 100 characters",
    ),
    "int above INT_MAX": (
        story(heat="heat: 2147483648"),
        "heat: 2147483648 is out of range (at most 2147483647)",
    ),
    "int below INT_MIN": (
        story(heat="heat: -2147483649"),
        "heat: -2147483649 is out of range (at least -2147483648)",
    ),
    "image width above INT_MAX": (
        story(heat="heat: 1\nimages:\n  - url: https://img.example/a.jpg\n    width: 4294967296"),
        "images[0].width: 4294967296 is out of range (at most 2147483647)",
    ),
    "related quality above INT_MAX": (
        story(heat="heat: 1\nrelated:\n  - title: R\n    quality: 9999999999"),
        "related[0].quality: 9999999999 is out of range (at most 2147483647)",
    ),
    "year 0": (
        story(publishedDateTime="publishedDateTime: 0000-01-01T00:00:00Z"),
        "a date that does not exist (year 0 is out of range) at line 5, column 20",
    ),
    "February 30th": (
        story(publishedDateTime="publishedDateTime: 2021-02-30T10:00:00Z"),
        "a date that does not exist (day is out of range for month) at line 5, column 20",
    ),
    "February 30th as text": (
        story(publishedDateTime='publishedDateTime: "2021-02-30"'),
        "publishedDateTime: '2021-02-30' is not a date and time",
    ),
    "before year 1 once in UTC": (
        story(publishedDateTime="publishedDateTime: 0001-01-01T00:30:00+01:00"),
        "publishedDateTime: 0001-01-01T00:30:00+01:00 is out of range",
    ),
    "NaN kept in extra": (
        story(heat="heat: 1\nscore: .nan"),
        "score: nan is not a number JSON can hold",
    ),
    "infinity in a related story's provider": (
        story(heat="heat: 1\nrelated:\n  - title: R\n    provider: {rank: .inf}"),
        "related[0].provider.rank: inf is not a number JSON can hold",
    ),
}


class TestRejectedBeforeTheDatabase:
    """One clear line per bad file, the same on SQLite and PostgreSQL; the run goes on."""

    @pytest.mark.parametrize(("content", "reason"), CASES.values(), ids=CASES.keys())
    def test_news_file(self, tmp_path, content, reason):
        bad = write(tmp_path, "2021-05-19-bad.md", content)
        write(tmp_path, "2021-05-20-good.md", story(slug="good"))
        code, out, err = run_import(tmp_path)
        assert code == 1
        assert err.splitlines() == [f"{bad}: {reason}"]
        assert out.strip() == "2 files: 1 created, 0 updated, 0 unchanged, 1 failed"
        assert list(Article.objects.values_list("web_url", flat=True)) == [
            "https://example.com/good"
        ]

    def test_the_raw_nul_check_still_comes_first(self, tmp_path):
        """A raw NUL byte is refused while decoding, with its line number."""
        bad = write(tmp_path, "raw.md", story().replace("A story", "A\x00story"))
        code, _, err = run_import(tmp_path)
        assert code == 1
        assert err.splitlines() == [
            f"{bad}: contains a NUL character (line 2); text may not hold NULs"
        ]

    @pytest.mark.parametrize(
        ("name", "content", "reason"),
        [
            ("t.yaml", f"taxonomy: topic\nname: {'n' * 201}\n", "name: longer than 200 characters"),
            (
                "o.md",
                f"---\ntaxonomy: organization\nname: N\ndomain: {'d' * 254}\n---\n",
                "domain: longer than 253 characters",
            ),
            (
                "o2.md",
                f"---\ntaxonomy: organization\nname: {'n' * 501}\ndomain: a.com\n---\n",
                "name: longer than 500 characters",
            ),
            (
                "t2.yaml",
                'taxonomy: topic\nname: "T\\0"\n',
                "name: contains a NUL character; text may not hold NULs",
            ),
        ],
        ids=["topic name", "organization domain", "organization name", "topic NUL"],
    )
    def test_taxonomy_file(self, tmp_path, name, content, reason):
        bad = write(tmp_path, name, content)
        code, _, err = run_import(bad)
        assert code == 1
        assert err.splitlines() == [f"{bad}: {reason}"]
        assert not Topic.objects.exists() and not Provider.objects.exists()


LONGEST_DOMAIN = ".".join(["d" * 63] * 3 + ["d" * 57, "com"])
"""253 characters, no label longer than DNS allows (63)."""


class TestLongestAcceptedValues:
    """The limits are the columns' own: values at the limit go in on both backends."""

    def test_values_at_every_limit(self, tmp_path):
        write(
            tmp_path,
            "max.md",
            story(
                type=f"type: {'t' * 100}",
                category=f"category: {'c' * 100}",
                topics=f"topics:\n  - {'n' * 200}",
                provider=f"provider:\n  name: {'é' * 500}\n  domain: {LONGEST_DOMAIN}",
                heat="heat: 2147483647\nquality: 0",
                publishedDateTime="publishedDateTime: 9999-12-31T23:59:59Z",
            ),
        )
        code, _, err = run_import(tmp_path)
        assert code == 0, err
        article = Article.objects.get()
        assert (len(article.type), article.heat, article.published_at.year) == (
            100,
            2**31 - 1,
            9999,
        )
        assert len(article.provider.name) == 500
        assert article.provider.domain == LONGEST_DOMAIN

    def test_two_longest_topics_with_the_same_slug(self, tmp_path):
        """A second topic whose 200-character name slugifies alike gets a numbered slug
        that still fits the 200-character column."""
        write(tmp_path, "a.yaml", f"taxonomy: topic\nname: {'A' * 200}\n")
        write(tmp_path, "b.yaml", f"taxonomy: topic\nname: {'a' * 200}\n")
        code, _, err = run_import(tmp_path)
        assert code == 0, err
        slugs = sorted(Topic.objects.values_list("slug", flat=True))
        assert len(set(slugs)) == 2
        assert all(len(slug) <= 200 for slug in slugs)
