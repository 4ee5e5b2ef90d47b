"""Every real file imports, and what went in is what the file says."""

import datetime as dt

import frontmatter
import pytest

from articles.models import Article, RelatedLink, Topic
from providers.models import Provider

from .helpers import run_import

pytestmark = pytest.mark.django_db

SEED_OLD = "2019-12-21-is-facial-recognition-tech-too-young-to-trust-some-governments-think-so.md"
SEED_NEW = "2021-06-16-google-ai-designs-computer-chips-faster-than-humans-can.md"
NO_SCORES = "2014-10-20-beckers-health-it-and-cio-report-e-newsletter.md"
BIGGEST = "2023-03-27-edge-artificial-intelligence-ai-chip-market-application-product-sales-and-forecast-2023-2031.md"  # noqa: E501


@pytest.fixture
def imported(corpus):
    code, out, err = run_import(corpus)
    assert code == 0, err
    return out, err


def as_utc(value):
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value


def assert_article_matches_file(path):
    """Field by field, the stored story equals the file's front matter."""
    meta = frontmatter.load(path).metadata
    article = Article.objects.get(web_url=meta.get("webUrl") or meta["originalUrl"])
    assert article.title == meta["title"]
    assert article.excerpt == meta["excerpt"]
    assert article.published_at == as_utc(meta["publishedDateTime"])
    assert article.original_url == meta.get("originalUrl")
    assert article.amp_web_url == meta.get("ampWebUrl")
    assert article.cdn_amp_web_url == meta.get("cdnAmpWebUrl")
    assert article.type == meta["type"]
    assert article.category == meta["category"]
    assert article.quality == meta.get("quality")
    assert article.heat == meta.get("heat")
    assert article.published is meta.get("published", False)
    assert article.secured == meta["secured"]
    assert article.provider.domain == meta["provider"]["domain"].lower()
    assert article.provider_data == meta["provider"]
    assert sorted(article.topics.values_list("name", flat=True)) == sorted(meta["topics"])
    images = list(article.images.all())
    assert [i.url for i in images] == [i["url"] for i in meta.get("images", [])]
    assert [(i.width, i.height, i.is_cached, i.title) for i in images] == [
        (i.get("width"), i.get("height"), i.get("isCached"), i.get("title"))
        for i in meta.get("images", [])
    ]
    links = list(article.related_links.all())
    related = meta.get("related", [])
    assert len(links) == len(related)
    for link, item in zip(links, related, strict=True):
        assert link.title == item["title"]
        assert link.web_url == item["webUrl"]
        assert link.excerpt == item["excerpt"]
        assert link.quality == item["quality"]
        assert link.published_at == as_utc(item["publishedDateTime"])
        assert link.provider == item["provider"]
        assert link.images == item.get("images")
        assert link.amp_web_url == item.get("ampWebUrl")
    assert article.source_keys == list(meta)
    assert article.extra == {}
    return article


class TestCorpusImport:
    def test_every_file_imports_without_a_failure(self, corpus, imported):
        """The whole corpus goes in; only tag files are skipped, and said so."""
        out, err = imported
        news_files = list((corpus / "news").glob("*.md"))
        assert out.strip().endswith("0 failed, 4 skipped")
        assert err.count("taxonomy 'tag' is not imported") == 4
        # Two pairs of files carry the same story (CORPUS.md).
        assert Article.objects.count() == len(news_files) - 2
        assert Topic.objects.filter(description="").count() >= 0
        assert Provider.objects.filter(source_file__gt="").count() == len(
            list((corpus / "organizations").iterdir())
        )

    def test_old_generation_seed_file(self, corpus, imported):
        """heat -1, unpublished, 3 related links with their providers, 2 topics, image title."""
        article = assert_article_matches_file(corpus / "news" / SEED_OLD)
        assert (article.quality, article.heat, article.published) == (3, -1, False)
        assert article.related_links.count() == 3
        assert article.topics.count() == 2
        assert article.original_url is None
        assert article.source_file == f"news/{SEED_OLD}"  # its path in the folder imported
        assert article.slug == SEED_OLD.removesuffix(".md")

    def test_new_generation_seed_file(self, corpus, imported):
        article = assert_article_matches_file(corpus / "news" / SEED_NEW)
        assert article.original_url

    def test_file_without_scores_imports_unpublished_with_empty_scores(self, corpus, imported):
        article = assert_article_matches_file(corpus / "news" / NO_SCORES)
        assert (article.quality, article.heat, article.published) == (None, None, False)

    def test_largest_file_keeps_all_related_links_in_order(self, corpus, imported):
        article = assert_article_matches_file(corpus / "news" / BIGGEST)
        assert article.related_links.count() > 60
        positions = list(article.related_links.values_list("position", flat=True))
        assert positions == sorted(positions)

    def test_every_news_file_matches_its_article(self, corpus, imported):
        for path in sorted((corpus / "news").glob("*.md")):
            meta = frontmatter.load(path).metadata
            article = Article.objects.get(web_url_hash__isnull=False, web_url=meta["webUrl"])
            assert article.title  # the field-by-field check runs on the later file of a pair
            if article.source_file == f"news/{path.name}":
                assert_article_matches_file(path)

    def test_topic_tree_comes_from_the_topic_files(self, imported):
        tensorflow = Topic.objects.get(name="TensorFlow")
        assert tensorflow.slug == "tensorflow"
        assert tensorflow.parent.name == "Google AI"
        assert Topic.objects.get(name="Machine Learning").parent.name == "AI"
        assert "artificial intelligence" in Topic.objects.get(name="AI").keywords
        assert "services" in Topic.objects.get(name="AI").extra

    def test_organization_files_describe_providers(self, imported):
        ibm = Provider.objects.get(domain="ibm.com")
        assert ibm.name == "IBM"
        assert ibm.description.startswith("Together with our clients")
        assert ibm.source_images[0] == {
            "url": "/assets/images/organizations/ibm.com-50x50.jpg",
            "width": 50,
            "height": 50,
        }
        assert Provider.objects.get(domain="theguardian.com").name == "The Guardian"

    def test_related_links_point_inside_the_site_where_the_story_was_imported(self, imported):
        linked = RelatedLink.objects.filter(target__isnull=False).select_related("target")
        assert linked.exists()
        for link in linked:
            assert link.target.web_url.strip() == link.web_url.strip()
        unlinked = RelatedLink.objects.filter(target__isnull=True).exclude(web_url=None)
        imported_urls = set(Article.objects.values_list("web_url", flat=True))
        assert not any(link.web_url in imported_urls for link in unlinked)

    def test_dirty_urls_are_kept_as_written(self, corpus, imported):
        """Whitespace and spaces in related URLs are data; they are stored unchanged."""
        assert RelatedLink.objects.filter(amp_web_url__startswith=" ").exists() or (
            RelatedLink.objects.filter(amp_web_url__endswith=" ").exists()
        )
        assert RelatedLink.objects.filter(web_url__contains=" ").exists()
