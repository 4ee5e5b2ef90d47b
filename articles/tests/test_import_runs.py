"""Re-imports are safe no-ops, one story is one article, and editors own their fields."""

import io
from collections import defaultdict

import frontmatter
import pytest
from django.core.management import CommandError
from django.core.management.base import OutputWrapper

from articles.models import Article, ArticleImage, SourceFile
from articles.reports import ProgressBar

from .helpers import news_text, run_import, write

pytestmark = pytest.mark.django_db

URL = "https://example.com/story"


class TestReimport:
    def test_unchanged_files_are_skipped(self, tmp_path, corpus):
        """The second run of the whole corpus creates and updates nothing."""
        code, first, _ = run_import(corpus / "news")
        assert code == 0 and " 0 failed" in first
        stamps = dict(Article.objects.values_list("pk", "updated_at"))
        code, second, _ = run_import(corpus / "news")
        files = len(list((corpus / "news").glob("*.md")))
        assert second.strip() == f"{files} files: 0 created, 0 updated, {files} unchanged, 0 failed"
        assert dict(Article.objects.values_list("pk", "updated_at")) == stamps

    def test_a_changed_file_updates_its_story(self, tmp_path):
        path = write(tmp_path, "a.md", news_text("First title", URL))
        run_import(tmp_path)
        path.write_text(news_text("Second title", URL))
        _, out, _ = run_import(tmp_path)
        assert out.strip() == "1 files: 0 created, 1 updated, 0 unchanged, 0 failed"
        assert Article.objects.get().title == "Second title"

    def test_a_rewritten_file_with_the_same_values_is_unchanged(self, tmp_path):
        """'updated' means a value changed, not that the bytes did."""
        path = write(tmp_path, "a.md", news_text("Title", URL))
        run_import(tmp_path)
        path.write_text(news_text("Title", URL) + "\n\n")
        _, out, _ = run_import(tmp_path)
        assert out.strip() == "1 files: 0 created, 0 updated, 1 unchanged, 0 failed"
        assert (
            SourceFile.objects.get(name="a.md").content_hash == Article.objects.get().content_hash
        )

    def test_a_deleted_story_comes_back_on_the_next_import(self, tmp_path):
        write(tmp_path, "a.md", news_text("Title", URL))
        run_import(tmp_path)
        Article.objects.all().delete()
        _, out, _ = run_import(tmp_path)
        assert "1 created" in out


class TestSameStoryTwice:
    def test_two_files_with_one_url_are_one_article_and_the_later_file_wins(self, tmp_path):
        write(tmp_path, "2021-01-01-a.md", news_text("Earlier file", URL))
        write(tmp_path, "2021-01-02-b.md", news_text("Later file", URL))
        _, out, _ = run_import(tmp_path)
        assert out.strip() == "2 files: 1 created, 1 updated, 0 unchanged, 0 failed"
        article = Article.objects.get()
        assert (article.title, article.source_file) == ("Later file", "2021-01-02-b.md")
        assert article.slug == "2021-01-01-a"
        _, out, _ = run_import(tmp_path)
        assert out.strip() == "2 files: 0 created, 0 updated, 2 unchanged, 0 failed"

    def test_corpus_pairs_become_one_article_each(self, corpus):
        """CORPUS.md: two webUrls are each carried by two files."""
        files_by_url = defaultdict(list)
        for path in sorted((corpus / "news").glob("*.md")):
            files_by_url[frontmatter.load(path)["webUrl"]].append(path.name)
        pairs = {url: names for url, names in files_by_url.items() if len(names) > 1}
        assert len(pairs) == 2
        run_import(corpus / "news")
        for url, names in pairs.items():
            assert Article.objects.get(web_url=url).source_file == names[-1]

    def test_slugs_of_different_stories_never_collide(self, tmp_path):
        write(tmp_path / "one", "2021-01-01-same-name.md", news_text("One", URL))
        write(tmp_path / "two", "2021-01-01-same-name.md", news_text("Two", URL + "/2"))
        run_import(tmp_path / "one")
        run_import(tmp_path / "two")
        assert sorted(Article.objects.values_list("slug", flat=True)) == [
            "2021-01-01-same-name",
            "2021-01-01-same-name-2",
        ]


class TestFilesOfTheSameNameInTwoFolders:
    """Files are tracked by their path in the folder given, not by their base name."""

    def test_the_bad_one_is_blamed_and_the_good_one_is_skipped_when_unchanged(self, tmp_path):
        write(tmp_path / "one", "x.md", "not front matter")
        write(tmp_path / "two", "x.md", news_text("Good", URL))
        code, out, err = run_import(tmp_path)
        assert code == 1
        assert err.strip() == f"{tmp_path / 'one' / 'x.md'}: no YAML front matter: " + (
            "the file must start with a '---' line"
        )
        assert out.strip() == "2 files: 1 created, 0 updated, 0 unchanged, 1 failed"
        assert list(SourceFile.objects.values_list("name", flat=True)) == ["two/x.md"]
        assert Article.objects.get().source_file == "two/x.md"
        code, out, err = run_import(tmp_path)
        assert out.strip() == "2 files: 0 created, 0 updated, 1 unchanged, 1 failed"
        assert err.startswith(f"{tmp_path / 'one' / 'x.md'}: ")

    def test_two_good_ones_are_two_tracked_files_each_skipped_when_unchanged(self, tmp_path):
        write(tmp_path / "one", "x.md", news_text("One", URL))
        write(tmp_path / "two", "x.md", news_text("Two", URL + "/2"))
        _, out, _ = run_import(tmp_path)
        assert out.strip() == "2 files: 2 created, 0 updated, 0 unchanged, 0 failed"
        tracked = dict(SourceFile.objects.values_list("name", "article__title"))
        assert tracked == {"one/x.md": "One", "two/x.md": "Two"}
        # Slugs come from the base name, as before.
        assert sorted(Article.objects.values_list("slug", flat=True)) == ["x", "x-2"]
        _, out, _ = run_import(tmp_path)
        assert out.strip() == "2 files: 0 created, 0 updated, 2 unchanged, 0 failed"

    def test_a_file_given_by_itself_is_tracked_by_its_name(self, tmp_path):
        path = write(tmp_path / "one", "x.md", news_text("One", URL))
        run_import(path)
        assert list(SourceFile.objects.values_list("name", flat=True)) == ["x.md"]

    def test_a_path_too_long_to_track_is_refused_by_name(self, tmp_path):
        folder = tmp_path
        for _ in range(3):
            folder = folder / ("d" * 90)
        path = write(folder, "x.md", news_text("One", URL))
        code, _, err = run_import(tmp_path)
        assert code == 1
        assert err.strip() == (f"{path}: its path in the folder is longer than 255 characters")
        assert not Article.objects.exists()


class TestEditorsOwnPublishedAndQuality:
    def scores(self, quality, published):
        return f"quality: {quality}\nheat: 5\npublished: {str(published).lower()}"

    def test_an_editors_change_survives_and_untouched_fields_follow_the_file(self, tmp_path):
        path = write(tmp_path, "a.md", news_text("T", URL, self.scores(40, False)))
        run_import(tmp_path)
        article = Article.objects.get()
        article.published = True  # an editor publishes it (admin or plain ORM save)
        article.save()
        path.write_text(news_text("T", URL, self.scores(90, False)))
        run_import(tmp_path)
        article.refresh_from_db()
        assert article.published is True  # the editor's decision stands
        assert article.quality == 90  # nobody touched quality: the file's new value

    def test_an_edited_quality_is_kept_while_published_follows_the_file(self, tmp_path):
        path = write(tmp_path, "a.md", news_text("T", URL, self.scores(40, False)))
        run_import(tmp_path)
        Article.objects.update(quality=75)
        path.write_text(news_text("T", URL, self.scores(10, True)))
        _, out, _ = run_import(tmp_path)
        article = Article.objects.get()
        assert (article.quality, article.published) == (75, True)
        assert "1 updated" in out

    def test_a_file_without_scores_imports_unpublished_with_empty_scores(self, tmp_path):
        write(tmp_path, "a.md", news_text("T", URL, ""))
        run_import(tmp_path)
        article = Article.objects.get()
        assert (article.published, article.quality, article.heat) == (False, None, None)


class TestCommandOptions:
    def test_dry_run_counts_but_writes_nothing(self, tmp_path):
        write(tmp_path, "a.md", news_text("T", URL))
        write(tmp_path, "b.md", "not front matter")
        code, out, err = run_import(tmp_path, dry_run=True)
        assert code == 1
        assert "Dry run" in out and "1 created" in out and "1 failed" in out
        assert "b.md: no YAML front matter" in err
        assert not Article.objects.exists() and not SourceFile.objects.exists()

    def test_strict_stops_at_the_first_bad_file_and_writes_nothing(self, tmp_path):
        write(tmp_path, "a.md", news_text("T", URL))
        write(tmp_path, "b.md", "not front matter")
        write(tmp_path, "c.md", "also bad")
        code, out, err = run_import(tmp_path, strict=True)
        assert code == 1
        assert "b.md" in err and "c.md" not in err
        assert not Article.objects.exists()

    def test_a_missing_path_is_an_error(self, tmp_path):
        with pytest.raises(CommandError, match="no such file or folder"):
            run_import(tmp_path / "nope")

    def test_folders_skip_hidden_and_foreign_files_but_named_files_are_read(self, tmp_path):
        write(tmp_path, ".hidden.md", news_text("Hidden", URL))
        write(tmp_path / ".git", "x.md", news_text("In git", URL + "/git"))
        write(tmp_path, "notes.json", "{}")
        write(tmp_path, "theguardian.com", "---\ntaxonomy: organization\ndomain: g.com\n---\n")
        write(tmp_path, "story.md", news_text("Visible", URL + "/v"))
        _, out, _ = run_import(tmp_path)
        assert out.strip() == "2 files: 2 created, 0 updated, 0 unchanged, 0 failed"
        _, out, _ = run_import(tmp_path / ".hidden.md")
        assert "1 created" in out

    def test_parallel_parsing_gives_the_same_result(self, tmp_path, settings):
        """Enough files to start worker processes; the outcome matches a serial run."""
        for n in range(450):
            write(tmp_path, f"2021-01-01-story-{n:03}.md", news_text(f"Story {n}", f"{URL}/{n}"))
        write(tmp_path, "bad.md", "nope")
        code, out, err = run_import(tmp_path, workers=2)
        assert code == 1
        assert out.strip() == "451 files: 450 created, 0 updated, 0 unchanged, 1 failed"
        assert err.strip().endswith(
            "bad.md: no YAML front matter: the file must start with a '---' line"
        )
        assert Article.objects.filter(title="Story 449", slug="2021-01-01-story-449").exists()


class TestRealSizes:
    def test_long_titles_and_urls_fit_on_every_database(self, tmp_path):
        """Django's URLField stops at 200; real URLs run past 2,000 characters."""
        url = "https://example.com/" + "a" * 3000
        title = "Long " * 400
        write(tmp_path, "long.md", news_text(title.strip(), url))
        code, _, err = run_import(tmp_path)
        assert (code, err) == (0, "")
        article = Article.objects.get()
        assert (article.web_url, article.title) == (url, title.strip())


class FakeTerminal(io.StringIO):
    def isatty(self):
        return True


class TestProgressBar:
    def test_shows_on_a_terminal_and_clears_itself(self):
        stream = FakeTerminal()
        bar = ProgressBar(OutputWrapper(stream), min_interval=0)
        bar.update(5, 10)
        assert "5/10 files" in stream.getvalue()
        bar.clear()
        assert stream.getvalue().endswith("\r\033[K")

    def test_is_silent_elsewhere(self):
        stream = io.StringIO()
        bar = ProgressBar(OutputWrapper(stream), min_interval=0)
        bar.update(5, 10)
        bar.clear()
        assert stream.getvalue() == ""


class TestLocalImageCopies:
    def test_a_reimport_keeps_local_copies_of_unchanged_image_urls(self, tmp_path):
        image = "images:\n  - url: https://img.example/a.jpg\n    width: 10\n    height: 10\n"
        text = news_text("Title", URL).replace("secured:", image + "secured:")
        path = write(tmp_path, "a.md", text)
        run_import(tmp_path)
        ArticleImage.objects.update(local_file="images/ab/abc.png", local_width=10, local_height=8)
        path.write_text(text.replace("Title", "New title"))
        run_import(tmp_path)
        kept = ArticleImage.objects.get()
        assert (kept.local_file.name, kept.local_width, kept.local_height) == (
            "images/ab/abc.png",
            10,
            8,
        )
        path.write_text(text.replace("a.jpg", "b.jpg"))
        run_import(tmp_path)
        assert ArticleImage.objects.get().local_file.name == ""
