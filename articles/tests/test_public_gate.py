"""The public rule, stated once: stories, the topics and outlets they make known, previews."""

import re
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission, User
from django.urls import reverse

from articles.models import Article, Topic
from articles.tests.factories import ArticleFactory, ProviderFactory, TopicFactory
from articles.tests.sitemap_helpers import every_section
from providers.models import Provider

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def story_page(client, article):
    return client.get(reverse("articles:detail", kwargs={"slug": article.slug}))


class TestOneRule:
    def test_object_and_queryset_agree(self):
        """``is_public()`` says of each story what ``published()`` says of them all."""
        ArticleFactory(published=True)
        ArticleFactory(published=False)
        public = set(Article.objects.published().values_list("pk", flat=True))
        assert {a.pk for a in Article.objects.all() if a.is_public()} == public
        assert len(public) == 1
        assert not public & set(Article.objects.unpublished().values_list("pk", flat=True))

    # Where the rule may be spelled out: its home, and the code that writes or
    # exports the field itself (not the question "may the public see it?").
    # review_states.py keeps the flag and the review state in agreement.
    RULE_HOMES = {"articles/models.py", "articles/publishing.py", "articles/review_states.py"}
    WRITERS = ("articles/ingest/", "articles/export/", "/migrations/", "/tests/")
    PYTHON = re.compile(
        r"\bpublished\s*=\s*(True|False)\b|Q\(published\b|filter\(published\b"
        r"|\b(article|target|story|item|obj|object)\.published\b(?![_(])"
    )
    TEMPLATE = re.compile(r"\.published\b(?!_)")

    def restatements(self, pattern, files):
        found = []
        for path in files:
            name = path.relative_to(ROOT).as_posix()
            if name in self.RULE_HOMES or any(part in f"/{name}" for part in self.WRITERS):
                continue
            for number, line in enumerate(path.read_text().splitlines(), 1):
                if pattern.search(line):
                    found.append(f"{name}:{number}: {line.strip()}")
        return found

    def test_no_code_restates_the_rule(self):
        """Views, feeds, API, sitemaps, links and admin ask published()/is_public()."""
        apps = ("articles", "providers", "images", "newsroom")
        files = [path for app in apps for path in (ROOT / app).rglob("*.py")]
        assert len(files) > 20
        assert self.restatements(self.PYTHON, files) == []

    def test_no_template_restates_the_rule(self):
        """Public templates ask ``is_public``, never the ``published`` flag."""
        files = [p for p in (ROOT / "templates").rglob("*.html") if "admin" not in p.parts]
        assert len(files) > 5
        assert self.restatements(self.TEMPLATE, files) == []


class TestPreview:
    def test_staff_without_change_permission_gets_404(self, client):
        """Being staff is not enough: previewing needs the permission to change stories."""
        draft = ArticleFactory(published=False)
        client.force_login(User.objects.create_user("viewer", is_staff=True))
        assert story_page(client, draft).status_code == 404

    def test_change_permission_previews_never_cached(self, client):
        """A staff user who may change stories previews a draft; nobody caches the answer."""
        draft = ArticleFactory(published=False, title="Coming soon")
        user = User.objects.create_user("changer", is_staff=True)
        user.user_permissions.add(Permission.objects.get(codename="change_article"))
        client.force_login(user)
        response = story_page(client, draft)
        assert response.status_code == 200
        assert "Preview — not published" in response.content.decode()
        cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
        assert {"no-cache", "no-store", "must-revalidate", "private"} <= cache_control
        assert "Expires" in response

    def test_editor_previews(self, editor_client):
        """The Editors group may change stories, so its members may preview them."""
        assert story_page(editor_client, ArticleFactory(published=False)).status_code == 200

    def test_published_story_stays_cacheable(self, editor_client):
        """Only a preview is marked never-cache."""
        response = story_page(editor_client, ArticleFactory())
        assert "no-store" not in response.get("Cache-Control", "")


@pytest.fixture
def hidden():
    """A topic and an outlet that only an unpublished story names."""
    topic = TopicFactory(name="Secret project", slug="secret-project")
    outlet = ProviderFactory(domain="hush.example", name="Hush Weekly")
    ArticleFactory(published=False, topics=[topic], provider=outlet)
    return topic, outlet


@pytest.fixture
def defined():
    """A topic and an outlet defined by their own taxonomy files, without any story."""
    topic = TopicFactory(name="Empty shelf", slug="empty-shelf", source_file="empty-shelf.yaml")
    outlet = ProviderFactory(
        domain="quiet.example", name="Quiet Times", source_file="quiet.example.md"
    )
    return topic, outlet


class TestNamesKnownOnlyThroughDrafts:
    def test_their_pages_are_404(self, client, hidden):
        """/topics/<slug>/, /providers/<domain>/ and /api/news/<slug>/ answer 404."""
        topic, outlet = hidden
        assert client.get(topic.get_absolute_url()).status_code == 404
        assert client.get(outlet.get_absolute_url()).status_code == 404
        api = client.get(reverse("api:topic-news", kwargs={"topic_slug": topic.slug}))
        assert api.status_code == 404
        assert api["Content-Type"] == "application/json"

    def test_absent_from_selects_feed_titles_and_sitemap(self, client, hidden):
        """No select, feed title or sitemap names them."""
        topic, outlet = hidden
        ArticleFactory(title="Public story")
        assert "Secret project" not in client.get("/").content.decode()
        assert client.get("/feeds/rss/", {"topic": topic.slug}).status_code == 400
        feed = client.get("/feeds/atom/", {"provider": outlet.domain}).content.decode()
        assert "Hush Weekly" not in feed
        sitemap = every_section(client)
        assert "/topics/" not in sitemap
        assert "/providers/" in sitemap  # the public story's outlet
        assert "hush.example" not in sitemap

    def test_public_once_a_published_story_carries_them(self, client, hidden):
        """Publishing the story makes its topic and outlet public, everywhere at once."""
        topic, outlet = hidden
        Article.objects.update(published=True)
        assert client.get(topic.get_absolute_url()).status_code == 200
        assert client.get(outlet.get_absolute_url()).status_code == 200
        assert "Secret project" in client.get("/").content.decode()
        feed = client.get("/feeds/rss/", {"provider": outlet.domain})
        assert "Hush Weekly" in feed.content.decode()
        sitemap = every_section(client)
        assert "/topics/secret-project/" in sitemap
        assert "/providers/hush.example/" in sitemap

    def test_taxonomy_defined_stay_public_when_empty(self, client, defined):
        """Topics and outlets with their own files are public before any story carries them."""
        topic, outlet = defined
        assert client.get(topic.get_absolute_url()).status_code == 200
        assert client.get(outlet.get_absolute_url()).status_code == 200
        assert "Empty shelf" in client.get("/").content.decode()
        sitemap = every_section(client)
        assert "/topics/empty-shelf/" in sitemap
        assert "/providers/quiet.example/" in sitemap

    def test_querysets_agree(self, hidden, defined):
        """``public()`` on topics and outlets is the rule the pages apply."""
        assert list(Topic.objects.public()) == [defined[0]]
        assert list(Provider.objects.public()) == [defined[1]]

    def test_hidden_subtopic_and_parent_are_not_linked(self, client, defined):
        """A topic page links neither a subtopic nor a parent known only through drafts."""
        shelf, _ = defined
        child = TopicFactory(name="Hidden child", slug="hidden-child", parent=shelf)
        ArticleFactory(published=False, topics=[child])
        assert "hidden-child" not in client.get(shelf.get_absolute_url()).content.decode()
        orphan = TopicFactory(
            name="Defined child", slug="defined-child", source_file="c.yaml", parent=child
        )
        assert "hidden-child" not in client.get(orphan.get_absolute_url()).content.decode()
