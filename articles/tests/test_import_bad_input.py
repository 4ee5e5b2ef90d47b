"""Bad input gets a named, plain rejection; nothing half-written; the good files still go in."""

import time

import pytest

from articles.ingest.reading import MAX_FILE_BYTES
from articles.models import Article, ArticleImage, RelatedLink, SourceFile, Topic
from providers.models import Provider

from .helpers import news_text, run_import, write

pytestmark = pytest.mark.django_db

GOOD = news_text("A good story", "https://example.com/good")

ALIAS_BOMB = (
    "---\n"
    + "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
    + "".join(f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]\n" for i in range(1, 10))
    + "title: boom\nwebUrl: https://example.com/bomb\n---\n"
)


def replace(text, old, new):
    assert old in text, old
    return text.replace(old, new)


BAD_FILES = {
    "not-utf8.md": (GOOD.encode().replace(b"A good story", b"caf\xe9 story"), "not UTF-8"),
    "empty.md": (b"", "file is empty"),
    "blank.md": (b"\n  \n", "file is empty"),
    "no-front-matter.md": (b"Just some markdown.\n", "no YAML front matter"),
    "unclosed.md": (b"---\ntitle: x\n", "not closed by a '---' line"),
    "syntax.md": (
        b'---\ntitle: "unterminated\nwebUrl: x\n---\n',
        "YAML syntax error at line 2, column 8",
    ),
    "list.md": (b"---\n- a\n- b\n---\n", "is a list, not a mapping"),
    "scalar.md": (b"---\njust text\n---\n", "is text, not a mapping"),
    "bomb.md": (ALIAS_BOMB.encode(), "alias"),
    "huge.md": (
        GOOD.replace("An excerpt.", "x" * (MAX_FILE_BYTES + 1)).encode(),
        "the limit is 1,048,576",
    ),
    "deep.md": (("---\nx: " + "[" * 200_000 + "]" * 200_000 + "\n---\n").encode(), "levels deep"),
    "no-title.md": (replace(GOOD, 'title: "A good story"\n', "").encode(), "title: missing"),
    "no-url.md": (
        replace(
            replace(GOOD, 'webUrl: "https://example.com/good"\n', ""),
            'originalUrl: "https://example.com/good"\n',
            "",
        ).encode(),
        "neither webUrl nor originalUrl",
    ),
    "javascript.md": (
        GOOD.replace("https://example.com/good", "javascript:alert(1)").encode(),
        "is not an http(s) URL",
    ),
    "quality-text.md": (replace(GOOD, "quality: 50", "quality: high").encode(), "quality:"),
    "heat-float.md": (replace(GOOD, "heat: 10", "heat: 1.5").encode(), "not a whole number"),
    "huge-number.md": (replace(GOOD, "heat: 10", "heat: 99999999999").encode(), "out of range"),
    "date.md": (
        replace(GOOD, "2021-05-19T03:20:00Z", "yesterday").encode(),
        "publishedDateTime: 'yesterday' is not a date",
    ),
    "impossible-date.md": (
        replace(GOOD, "2021-05-19T03:20:00Z", '"2021-02-30T10:00:00Z"').encode(),
        "is not a date",
    ),
    "published-text.md": (
        replace(GOOD, "published: true", "published: maybe").encode(),
        "published: 'maybe' is not true or false",
    ),
    "provider-text.md": (
        replace(
            GOOD, "provider:\n  name: Example News\n  domain: example.com\n", "provider: x\n"
        ).encode(),
        "provider: must be a mapping",
    ),
    "topics-text.md": (
        replace(GOOD, "topics:\n  - AI\n", "topics: AI\n").encode(),
        "topics: must be a list",
    ),
    "image-shape.md": (
        replace(GOOD, "secured:", "images:\n  - just-a-url\nsecured:").encode(),
        "images[0]: must be a mapping",
    ),
    "nul.md": (replace(GOOD, "An excerpt.", "An\x00excerpt.").encode(), "NUL character (line 4)"),
    "long-type.md": (replace(GOOD, "type: article", "type: " + "a" * 300).encode(), "type:"),
}


class TestEachBadFile:
    @pytest.mark.parametrize("name", sorted(BAD_FILES))
    def test_rejected_by_name_with_a_reason_and_the_good_file_still_imports(self, tmp_path, name):
        content, reason = BAD_FILES[name]
        write(tmp_path, name, content)
        write(tmp_path, "zz-good.md", GOOD)
        code, out, err = run_import(tmp_path)
        lines = [line for line in err.splitlines() if line.strip()]
        assert len(lines) == 1, err
        assert lines[0].startswith(f"{tmp_path / name}: ")
        assert reason in lines[0]
        assert "Traceback" not in err
        assert code == 1
        assert out.strip() == "2 files: 1 created, 0 updated, 0 unchanged, 1 failed"
        assert list(Article.objects.values_list("title", flat=True)) == ["A good story"]
        assert not SourceFile.objects.filter(name=name).exists()

    def test_alias_bomb_is_rejected_fast(self, tmp_path):
        write(tmp_path, "bomb.md", ALIAS_BOMB)
        started = time.perf_counter()
        code, _, err = run_import(tmp_path)
        assert code == 1 and "alias" in err
        # A billion-laughs expansion would take minutes and gigabytes.
        assert time.perf_counter() - started < 5


class TestNothingHalfWritten:
    def test_a_file_refused_late_leaves_no_provider_topic_or_children(self, tmp_path):
        """A related link with a bad date fails the file after its provider was seen."""
        bad = replace(
            news_text("Bad", "https://bad.example/x").replace("example.com", "bad.example"),
            "secured:",
            "related:\n  - title: r\n    publishedDateTime: someday\nsecured:",
        ).replace("- AI", "- Only Here")
        write(tmp_path, "bad.md", bad)
        code, _, err = run_import(tmp_path)
        assert code == 1
        assert "related[0].publishedDateTime: 'someday' is not a date" in err
        assert not Provider.objects.exists()
        assert not Topic.objects.exists()
        assert not (ArticleImage.objects.exists() or RelatedLink.objects.exists())


class TestUnusualButValid:
    VARIANTS = {
        "bom.md": ("\ufeff" + GOOD).encode(),
        "crlf.md": GOOD.replace("\n", "\r\n").encode(),
        "no-zone.md": replace(GOOD, "2021-05-19T03:20:00Z", "2021-05-19T03:20:00").encode(),
        "date-only.md": replace(GOOD, "2021-05-19T03:20:00Z", "2021-05-19").encode(),
        "quoted-date.md": replace(
            GOOD, "2021-05-19T03:20:00Z", '"2021-05-19T05:20:00+02:00"'
        ).encode(),
        "scores.md": replace(
            replace(GOOD, "quality: 50", "quality: 184"), "heat: 10", "heat: -1"
        ).encode(),
        "unicode.md": replace(GOOD, "A good story", "AI 🤖 ‏مرحبا 人工智能 story").encode(),
        "html.md": replace(GOOD, "A good story", "<b>Bold</b> & <script>x</script>").encode(),
    }

    @pytest.mark.parametrize("name", sorted(VARIANTS))
    def test_imports(self, tmp_path, name):
        write(tmp_path, name, self.VARIANTS[name])
        code, out, err = run_import(tmp_path)
        assert (code, err) == (0, "")
        article = Article.objects.get()
        assert article.published_at.isoformat() == "2021-05-19T03:20:00+00:00" or (
            name == "date-only.md"
            and article.published_at.isoformat() == "2021-05-19T00:00:00+00:00"
        )

    def test_values_are_kept_exactly(self, tmp_path):
        for name in ("scores.md", "unicode.md", "html.md"):
            write(tmp_path / name.removesuffix(".md"), name, self.VARIANTS[name])
        # Three files, one story URL: the last file in path order wins.
        code, out, _ = run_import(tmp_path / "scores")
        assert (Article.objects.get().quality, Article.objects.get().heat) == (184, -1)
        run_import(tmp_path / "unicode")
        assert Article.objects.get().title == "AI 🤖 ‏مرحبا 人工智能 story"
        run_import(tmp_path / "html")
        assert Article.objects.get().title == "<b>Bold</b> & <script>x</script>"
