"""Import then export gives every real file back: same data, stable bytes."""

import datetime as dt
import io

import frontmatter
import pytest
import yaml
from django.core.management import call_command

from articles.models import Article, ArticleImage, RelatedLink, SourceFile, Topic
from providers.models import Provider

from .helpers import run_import

pytestmark = pytest.mark.django_db

# Pairs of corpus files that carry the same story (CORPUS.md): the later one wins.
SAME_STORY = {
    "2019-12-24-google-cloud-team-releases-automl-natural-language.md": (
        "2019-12-25-google-cloud-team-releases-automl-natural-language.md"
    ),
    "2021-06-18-2-hopes-about-developments-in-ethical-ai.md": (
        "2021-06-18-ethical-ai-will-not-see-broad-adoption-by-2030-study-suggests.md"
    ),
}
NO_SCORES = "2014-10-20-beckers-health-it-and-cio-report-e-newsletter.md"
SEED_NEW = "2021-06-16-google-ai-designs-computer-chips-faster-than-humans-can.md"


def run_export(directory, *args):
    """Run export_articles; return (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    code = 0
    try:
        call_command("export_articles", str(directory), *args, stdout=out, stderr=err)
    except SystemExit as exit:
        code = exit.code
    return code, out.getvalue(), err.getvalue()


def import_corpus(corpus):
    code, _, err = run_import(corpus / "news", corpus / "topics", corpus / "organizations")
    assert code == 0, err


def instants(value):
    """Datetimes as UTC instants, recursively, so 'Z' and '+00:00' compare equal."""
    if isinstance(value, dt.datetime):
        return (value if value.tzinfo else value.replace(tzinfo=dt.UTC)).astimezone(dt.UTC)
    if isinstance(value, list):
        return [instants(item) for item in value]
    if isinstance(value, dict):
        return {key: instants(item) for key, item in value.items()}
    return value


def news_data(path):
    post = frontmatter.loads(path.read_text(encoding="utf-8"))
    return instants(post.metadata), post.content.rstrip()


def yaml_data(path):
    text = path.read_text(encoding="utf-8")
    if text.startswith("---"):
        return instants(frontmatter.loads(text).metadata)
    return instants(next(doc for doc in yaml.safe_load_all(text) if doc is not None))


def database_dump():
    """Everything the files say, as plain values: no ids, times or import bookkeeping."""
    articles = [
        {
            **row,
            "topics": list(
                Article.topics.through.objects.filter(article__web_url_hash=row["web_url_hash"])
                .order_by("pk")
                .values_list("topic__name", flat=True)
            ),
        }
        for row in Article.objects.order_by("web_url_hash").values(
            "slug", "title", "excerpt", "body", "category", "type", "published_at", "web_url",
            "web_url_hash", "original_url", "amp_web_url", "cdn_amp_web_url", "quality", "heat",
            "published", "provider__domain", "secured", "extra", "provider_data", "source_keys",
            "source_file", "data_hash", "imported_published", "imported_quality",
        )
    ]  # fmt: skip
    images = list(
        ArticleImage.objects.order_by("article__web_url_hash", "position").values(
            "article__web_url_hash", "position", "url", "width", "height", "title",
            "attribution", "is_cached", "extra",
        )
    )  # fmt: skip
    links = list(
        RelatedLink.objects.order_by("article__web_url_hash", "position").values(
            "article__web_url_hash", "position", "title", "excerpt", "web_url", "web_url_hash",
            "original_url", "amp_web_url", "cdn_amp_web_url", "published_at", "type", "quality",
            "provider", "images", "extra", "target__web_url_hash",
        )
    )  # fmt: skip
    providers = list(
        Provider.objects.order_by("domain").values(
            "domain", "name", "description", "source_images", "extra"
        )
    )
    topics = list(
        Topic.objects.order_by("slug").values(
            "name", "slug", "parent__name", "description", "keywords", "hashtags", "extra"
        )
    )
    return {
        "articles": articles,
        "images": images,
        "links": links,
        "providers": providers,
        "topics": topics,
    }


@pytest.fixture
def exported(corpus, tmp_path):
    import_corpus(corpus)
    code, out, err = run_export(tmp_path / "export")
    assert code == 0, err
    return tmp_path / "export", out


class TestCorpusRoundTrip:
    def test_every_news_file_comes_back_with_the_same_data(self, corpus, exported):
        """All keys and values, nested ones included; absent keys stay absent."""
        directory, _ = exported
        sources = sorted((corpus / "news").glob("*.md"))
        written = {path.name for path in (directory / "news").iterdir()}
        assert written == {path.name for path in sources} - set(SAME_STORY)
        for source in sources:
            if source.name in SAME_STORY:
                continue
            assert news_data(directory / "news" / source.name) == news_data(source), source.name

    def test_keys_come_back_in_the_source_order(self, corpus, exported):
        directory, _ = exported
        for source in sorted((corpus / "news").glob("*.md")):
            if source.name not in SAME_STORY:
                exported_keys = list(news_data(directory / "news" / source.name)[0])
                assert exported_keys == list(news_data(source)[0]), source.name

    def test_of_a_pair_carrying_the_same_story_only_the_later_file_is_written(
        self, corpus, exported
    ):
        directory, _ = exported
        for earlier, later in SAME_STORY.items():
            assert not (directory / "news" / earlier).exists()
            assert news_data(directory / "news" / later) == news_data(corpus / "news" / later)

    def test_a_file_without_scores_gets_none(self, exported):
        """60 real files have no quality, heat or published: the export adds none."""
        directory, _ = exported
        meta, _ = news_data(directory / "news" / NO_SCORES)
        assert not {"quality", "heat", "published"} & set(meta)

    def test_topic_and_organization_files_come_back(self, corpus, exported):
        directory, _ = exported
        for folder in ("topics", "organizations"):
            for source in sorted((corpus / folder).iterdir()):
                assert yaml_data(directory / folder / source.name) == yaml_data(source), source
        # Outlets known only from stories get a file too, so an editor's outlet is kept.
        known_only_from_stories = Provider.objects.filter(source_file="")
        assert known_only_from_stories.exists()
        for provider in known_only_from_stories:
            assert yaml_data(directory / "organizations" / f"{provider.domain}.md")["name"] == (
                provider.name
            )

    def test_new_generation_files_come_back_byte_for_byte(self, corpus, exported):
        """The writer quotes, indents and spaces as the seed files do."""
        directory, _ = exported
        assert (directory / "news" / SEED_NEW).read_bytes() == (
            corpus / "news" / SEED_NEW
        ).read_bytes()
        assert (directory / "news" / NO_SCORES).read_bytes() == (
            corpus / "news" / NO_SCORES
        ).read_bytes()

    def test_importing_the_export_into_a_fresh_database_gives_the_same_content(
        self, corpus, exported
    ):
        directory, _ = exported
        before = database_dump()
        assert before["articles"] and before["images"] and before["links"]
        SourceFile.objects.all().delete()
        Article.objects.all().delete()
        Topic.objects.all().delete()
        Provider.objects.all().delete()
        import_corpus(directory)  # the same folders as the first import: the same file paths
        # A new story's slug is its file's name: the two stories that came from a pair
        # of files had the earlier file's name, and only the later file is exported.
        renamed = 0
        for article in before["articles"]:
            stem = article["source_file"].removesuffix(".md")
            renamed += article["slug"] != stem
            article["slug"] = stem
        assert renamed == len(SAME_STORY)
        assert database_dump() == before


class TestStableExport:
    def test_exporting_twice_gives_identical_bytes_and_touches_nothing(self, exported):
        directory, out = exported
        files = sorted(path for path in directory.rglob("*") if path.is_file())
        first = {path: (path.read_bytes(), path.stat().st_mtime_ns) for path in files}
        assert (
            out.strip()
            == f"{len(files)} files: {len(files)} created, 0 updated, 0 unchanged, 0 failed"
        )
        code, out, _ = run_export(directory)
        assert code == 0
        assert (
            out.strip()
            == f"{len(files)} files: 0 created, 0 updated, {len(files)} unchanged, 0 failed"
        )
        assert sorted(path for path in directory.rglob("*") if path.is_file()) == files
        assert {path: (path.read_bytes(), path.stat().st_mtime_ns) for path in files} == first

    def test_an_editors_change_to_published_and_quality_shows_in_the_next_export(self, exported):
        directory, _ = exported
        Article.objects.filter(source_file=SEED_NEW).update(published=True, quality=90)
        code, out, _ = run_export(directory)
        assert code == 0
        assert " 1 updated," in out
        meta, _ = news_data(directory / "news" / SEED_NEW)
        assert (meta["published"], meta["quality"]) == (True, 90)

    def test_a_key_an_editor_set_is_written_where_the_seed_format_puts_it(self, exported):
        """The source lacked published and quality; the editor's values now appear."""
        directory, _ = exported
        Article.objects.filter(source_file=NO_SCORES).update(published=True, quality=7)
        run_export(directory)
        meta, _ = news_data(directory / "news" / NO_SCORES)
        assert list(meta)[list(meta).index("type") + 1 : list(meta).index("provider")] == [
            "quality",
            "published",
        ]
        assert (meta["published"], meta["quality"]) == (True, 7)
        assert "heat" not in meta
