"""export_articles: what it selects, how it names and writes files, what it reports."""

import datetime as dt
import io

import frontmatter
import pytest
from django.core.management import CommandError, call_command

from articles.export import exporter
from articles.export.exporter import export_to
from articles.models import Article, SourceFile

from .factories import (
    ArticleFactory,
    ArticleImageFactory,
    ProviderFactory,
    RelatedLinkFactory,
    TopicFactory,
)
from .helpers import news_text, run_import, write
from .test_export_corpus import run_export

pytestmark = pytest.mark.django_db


def exported_names(directory):
    return sorted(path.name for path in (directory / "news").iterdir())


def front_matter(path):
    return frontmatter.loads(path.read_text(encoding="utf-8"))


class TtyStream(io.StringIO):
    def isatty(self):
        return True


class TestSelection:
    def test_published_only_leaves_drafts_out(self, tmp_path):
        ArticleFactory(slug="live", published=True)
        ArticleFactory(slug="draft", published=False)
        run_export(tmp_path, "--published-only")
        assert [name.split("-", 3)[3] for name in exported_names(tmp_path)] == ["live.md"]

    def test_since_takes_stories_published_on_or_after_the_date(self, tmp_path):
        ArticleFactory(slug="old", published_at=dt.datetime(2021, 5, 18, 23, 59, tzinfo=dt.UTC))
        ArticleFactory(slug="new", published_at=dt.datetime(2021, 5, 19, 0, 0, tzinfo=dt.UTC))
        run_export(tmp_path, "--since", "2021-05-19")
        assert exported_names(tmp_path) == ["2021-05-19-new.md"]

    def test_topic_by_slug_or_name_and_provider_by_domain(self, tmp_path):
        robots = TopicFactory(name="AI in Robotics", slug="ai-in-robotics")
        outlet = ProviderFactory(domain="bbc.com")
        ArticleFactory(slug="robot", topics=[robots])
        ArticleFactory(slug="bbc", provider=outlet)
        run_export(tmp_path / "a", "--topic", "ai-in-robotics")
        run_export(tmp_path / "b", "--topic", "AI in Robotics")
        run_export(tmp_path / "c", "--provider", "BBC.com")
        assert exported_names(tmp_path / "a") == exported_names(tmp_path / "b")
        assert [name[11:] for name in exported_names(tmp_path / "a")] == ["robot.md"]
        assert [name[11:] for name in exported_names(tmp_path / "c")] == ["bbc.md"]

    @pytest.mark.parametrize(
        ("option", "value", "message"),
        [
            ("--topic", "nope", "no topic"),
            ("--provider", "nope.example", "no outlet"),
            ("--since", "yesterday", "not a date"),
        ],
    )
    def test_an_unknown_filter_value_is_an_error(self, tmp_path, option, value, message):
        with pytest.raises(CommandError, match=message):
            call_command("export_articles", str(tmp_path), option, value, stdout=io.StringIO())

    def test_taxonomy_is_written_unless_declined(self, tmp_path):
        TopicFactory(name="AI", slug="ai")
        ProviderFactory(domain="bbc.com", name="BBC")
        run_export(tmp_path / "all")
        run_export(tmp_path / "news", "--no-taxonomy")
        assert (tmp_path / "all" / "topics" / "ai.yaml").read_text() == (
            "taxonomy: topic\n_id: ai\nname: AI\n"
        )
        assert (tmp_path / "all" / "organizations" / "bbc.com.md").read_text() == (
            "---\ntaxonomy: organization\nname: BBC\ndomain: bbc.com\n---\n"
        )
        assert not (tmp_path / "news" / "topics").exists()


class TestStoryMadeInTheCms:
    def test_is_written_in_the_seed_format_with_only_the_keys_it_has(self, tmp_path):
        ai, hardware = TopicFactory(name="AI"), TopicFactory(name="AI Hardware")
        article = ArticleFactory(
            slug="chips",
            title='Chips "designed" by AI',
            published_at=dt.datetime(2021, 6, 16, 12, 10, tzinfo=dt.UTC),
            web_url="https://news.example/chips",
            heat=None,
            body="Some **Markdown**.",
            provider=ProviderFactory(domain="news.example", name="News"),
        )
        article.topics.add(hardware)
        article.topics.add(ai)
        ArticleImageFactory(article=article, url="https://img.example/1.jpg", width=10, height=5)
        run_export(tmp_path)
        text = (tmp_path / "news" / "2021-06-16-chips.md").read_text()
        assert text.startswith(
            "---\ncategory: news\n"
            'title: "Chips \\"designed\\" by AI"\n'
            'excerpt: "What happened, in two lines."\n'
            "publishedDateTime: 2021-06-16T12:10:00Z\n"
            'webUrl: "https://news.example/chips"\n'
            "type: article\nquality: 50\npublished: true\n\n"
            "provider:\n  name: News\n  domain: news.example\n\n"
            "topics:\n  - AI Hardware\n  - AI\n\n"
            'images:\n  - url: "https://img.example/1.jpg"\n    width: 10\n    height: 5\n\n'
            'secured: "c2VjcmV0"\n---\n\nSome **Markdown**.\n'
        )

    def test_a_date_already_in_the_slug_is_not_repeated(self, tmp_path):
        ArticleFactory(
            slug="2021-06-16-chips", published_at=dt.datetime(2021, 6, 16, tzinfo=dt.UTC)
        )
        run_export(tmp_path)
        assert exported_names(tmp_path) == ["2021-06-16-chips.md"]

    def test_related_links_come_back_as_the_source_listed_them(self, tmp_path):
        article = ArticleFactory()
        RelatedLinkFactory(
            article=article,
            title="Elsewhere",
            web_url="https://elsewhere.example/1",
            published_at=dt.datetime(2021, 1, 2, 3, 4, tzinfo=dt.UTC),
            quality=4,
            images=[{"width": 3, "url": "https://i.example/x.png"}],
        )
        run_export(tmp_path)
        (path,) = (tmp_path / "news").iterdir()
        assert front_matter(path)["related"] == [
            {
                "title": "Elsewhere",
                "publishedDateTime": dt.datetime(2021, 1, 2, 3, 4, tzinfo=dt.UTC),
                "webUrl": "https://elsewhere.example/1",
                "provider": {"name": "Elsewhere", "domain": "elsewhere.example"},
                "quality": 4,
                "images": [{"url": "https://i.example/x.png", "width": 3}],
            }
        ]


class TestImportedStory:
    def test_unknown_keys_and_the_body_come_back(self, tmp_path):
        text = news_text(url="https://example.com/x").replace(
            'secured: "c2VjcmV0;Ym9i"\n---\n\n',
            "updatedDateTime: 2021-05-20T10:00:00Z\n"
            "locale: en-us\n"
            "scores:\n  - when: 2021-05-21\n    value: 1.5\n"
            'secured: "c2VjcmV0;Ym9i"\n---\n\nA body.\n\n---\nwith a rule.\n',
        )
        source = write(tmp_path / "in", "2021-05-19-x.md", text)
        assert run_import(source)[0] == 0
        run_export(tmp_path / "out")
        exported = front_matter(tmp_path / "out" / "news" / "2021-05-19-x.md")
        original = front_matter(source)
        assert exported.metadata == original.metadata
        assert list(exported.metadata) == list(original.metadata)
        assert exported.content == original.content

    def test_a_story_moved_to_another_outlet_names_the_new_one(self, tmp_path):
        source = write(tmp_path / "in", "2021-05-19-x.md", news_text())
        run_import(source)
        Article.objects.update(provider=ProviderFactory(domain="other.example", name="Other"))
        run_export(tmp_path / "out")
        exported = front_matter(tmp_path / "out" / "news" / "2021-05-19-x.md")
        assert exported["provider"] == {"name": "Other", "domain": "other.example"}

    def test_a_file_name_now_carrying_another_story_goes_to_that_story(self, tmp_path):
        """The file was edited to a new URL: the old story keeps a date-and-slug name."""
        folder = tmp_path / "in"
        write(folder, "2021-05-19-x.md", news_text(url="https://example.com/old"))
        run_import(folder)
        write(folder, "2021-05-19-x.md", news_text(url="https://example.com/new"))
        run_import(folder)
        assert Article.objects.filter(source_file="2021-05-19-x.md").count() == 2
        new = Article.objects.get(web_url="https://example.com/new")
        assert SourceFile.objects.get(name="2021-05-19-x.md").article == new
        run_export(tmp_path / "out")
        names = exported_names(tmp_path / "out")
        old = Article.objects.get(web_url="https://example.com/old")
        assert names == sorted(["2021-05-19-x.md", f"2021-05-19-x-{old.pk}.md"])
        url = front_matter(tmp_path / "out" / "news" / "2021-05-19-x.md")["webUrl"]
        assert url == "https://example.com/new"

    def test_files_from_two_folders_keep_their_base_names_apart(self, tmp_path):
        """one/x.md and two/x.md both go to news/: the second is numbered."""
        write(tmp_path / "in" / "one", "2021-05-19-x.md", news_text("One", "https://e.com/1"))
        write(tmp_path / "in" / "two", "2021-05-19-x.md", news_text("Two", "https://e.com/2"))
        run_import(tmp_path / "in")
        run_export(tmp_path / "out")
        second = Article.objects.get(source_file="two/2021-05-19-x.md")
        assert exported_names(tmp_path / "out") == [
            f"2021-05-19-x-{second.pk}.md",
            "2021-05-19-x.md",
        ]
        assert front_matter(tmp_path / "out" / "news" / "2021-05-19-x.md")["title"] == "One"

    def test_a_made_up_name_avoids_a_tracked_file_in_any_folder(self, tmp_path):
        # Made first, so it is exported first and would take the name otherwise.
        made = ArticleFactory(slug="x", published_at=dt.datetime(2021, 5, 19, tzinfo=dt.UTC))
        write(tmp_path / "in" / "sub", "2021-05-19-x.md", news_text("Filed", "https://e.com/1"))
        run_import(tmp_path / "in")
        run_export(tmp_path / "out", "--no-taxonomy")
        assert exported_names(tmp_path / "out") == [
            f"2021-05-19-x-{made.pk}.md",
            "2021-05-19-x.md",
        ]
        assert front_matter(tmp_path / "out" / "news" / "2021-05-19-x.md")["title"] == "Filed"

    def test_a_source_name_that_is_not_a_plain_file_name_is_not_used(self, tmp_path):
        ArticleFactory(
            slug="s",
            source_file="../escape.md",
            published_at=dt.datetime(2021, 1, 1, tzinfo=dt.UTC),
        )
        run_export(tmp_path / "out")
        assert exported_names(tmp_path / "out") == ["2021-01-01-s.md"]
        assert not (tmp_path / "escape.md").exists()


class TestWriting:
    def test_a_failed_write_leaves_the_old_file_and_no_temporary_file(self, tmp_path, monkeypatch):
        ArticleFactory(slug="s", published_at=dt.datetime(2021, 1, 1, tzinfo=dt.UTC))
        path = write(tmp_path, "news/2021-01-01-s.md", "old content\n")

        def crash(source, target):
            raise OSError(28, "No space left on device")

        monkeypatch.setattr(exporter.os, "replace", crash)
        code, out, err = run_export(tmp_path, "--no-taxonomy")
        assert code == 1
        assert out.strip() == "1 files: 0 created, 0 updated, 0 unchanged, 1 failed"
        assert "2021-01-01-s.md: No space left on device" in err
        assert path.read_text() == "old content\n"
        assert [p.name for p in path.parent.iterdir()] == ["2021-01-01-s.md"]

    def test_a_changed_file_is_replaced_and_counted_as_updated(self, tmp_path):
        ArticleFactory(slug="s", published_at=dt.datetime(2021, 1, 1, tzinfo=dt.UTC))
        path = write(tmp_path, "news/2021-01-01-s.md", "old content\n")
        code, out, _ = run_export(tmp_path, "--no-taxonomy")
        assert code == 0
        assert out.strip() == "1 files: 0 created, 1 updated, 0 unchanged, 0 failed"
        assert path.read_text().startswith("---\ncategory: news\n")

    def test_progress_shows_on_a_terminal_only(self, tmp_path):
        ArticleFactory()
        tty, plain = TtyStream(), io.StringIO()
        call_command("export_articles", str(tmp_path / "a"), stdout=io.StringIO(), stderr=tty)
        call_command("export_articles", str(tmp_path / "b"), stdout=io.StringIO(), stderr=plain)
        assert "[" + "#" * 30 + "] 2/2 files" in tty.getvalue()
        assert plain.getvalue() == ""


def stories_with_children(count):
    topics = [TopicFactory(), TopicFactory()]
    for _ in range(count):
        article = ArticleFactory(topics=topics)
        article.source_file = f"{article.slug}.md"
        article.save()
        ArticleImageFactory(article=article)
        RelatedLinkFactory(article=article)


class TestStreaming:
    def test_queries_do_not_grow_with_the_number_of_stories(
        self, tmp_path, django_assert_num_queries
    ):
        # One count, then per chunk: stories with their outlet, images, related
        # links, topics in order, source-file owners; and the empty chunk that ends it.
        stories_with_children(1)
        with django_assert_num_queries(7):
            export_to(tmp_path / "one", taxonomy=False)
        stories_with_children(19)
        with django_assert_num_queries(7):
            report = export_to(tmp_path / "twenty", taxonomy=False)
        assert report.created == 20

    def test_made_up_names_take_one_query_per_hundred_stories(
        self, tmp_path, django_assert_num_queries
    ):
        """Stories made in the CMS: their names are checked against tracked files
        (in place of the source-file owners, as none has a source file)."""
        ArticleFactory()
        with django_assert_num_queries(7):
            export_to(tmp_path / "one", taxonomy=False)
        ArticleFactory.create_batch(99)
        with django_assert_num_queries(7):
            export_to(tmp_path / "hundred", taxonomy=False)
        ArticleFactory()
        with django_assert_num_queries(8):
            report = export_to(tmp_path / "more", taxonomy=False)
        assert report.created == 101

    def test_small_chunks_still_export_every_story(self, tmp_path):
        stories_with_children(5)
        report = export_to(tmp_path, taxonomy=False, chunk_size=2)
        assert (report.created, len(exported_names(tmp_path))) == (5, 5)
