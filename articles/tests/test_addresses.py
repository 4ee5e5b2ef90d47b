"""Every story and topic gets a readable, unique, stable address, whatever script it is in,
and no page fails for everyone because one object once had none (issue 10, class 1)."""

import re

import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse

from articles.models import Article, Topic
from articles.slugs import fill_empty_slugs, identity_slug, readable_slug
from providers.models import Provider

from .helpers import run_import, write

pytestmark = pytest.mark.django_db

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

STORY = """---
title: "{title}"
excerpt: "{title}, in short."
publishedDateTime: 2021-05-19T03:20:00Z
webUrl: "{url}"
published: true
provider:
  name: "{outlet}"
  domain: "{domain}"
topics:
{topics}
---
"""


def story(title, url, topics, outlet="日本経済新聞", domain="nikkei.example"):
    listed = "\n".join(f'  - "{name}"' for name in topics)
    return STORY.format(title=title, url=url, topics=listed, outlet=outlet, domain=domain)


# File name, title, topics: none of them holds an ASCII letter.
FILES = {
    "ニュース.md": ("日本のニュース", "https://news.example/ja", ["日本"]),
    "Новости.md": ("Новости дня", "https://news.example/ru", ["Новости"]),
    "أخبار.md": ("أخبار اليوم", "https://news.example/ar", ["أخبار"]),
    "新闻.md": ("新闻", "https://news.example/zh-hans", ["新闻"]),
    "新聞.md": ("新聞", "https://news.example/zh-hant", ["新聞"]),
    "🎉.md": ("🎉🔥", "https://news.example/emoji", ["🎉"]),
    "….md": ("— … —", "https://news.example/dashes", ["—"]),
}


@pytest.fixture
def imported(tmp_path):
    for name, (title, url, topics) in FILES.items():
        write(tmp_path, name, story(title, url, topics))
    write(
        tmp_path,
        "idn.md",
        story("例え", "https://news.example/idn", ["日本"], outlet="例え", domain="例え.jp"),
    )
    code, out, err = run_import(tmp_path)
    assert code == 0, err
    return tmp_path


class TestSlugMaker:
    @pytest.mark.parametrize(
        ("text", "slug"),
        [
            ("日本のニュース", "ribennoniyusu"),
            ("Новости дня", "novosti-dnya"),
            ("新闻", "xinwen"),
            ("🎉🔥", "tada-fire"),
            ("Straße in Köln", "strasse-in-koln"),
            ("Plain ASCII title", "plain-ascii-title"),
        ],
    )
    def test_transliterates_any_script(self, text, slug):
        assert readable_slug(text) == slug

    @pytest.mark.parametrize("text", ["", "— … —", "\u200b", "!!!", None])
    def test_nothing_readable_is_empty(self, text):
        assert readable_slug(text) == ""

    def test_identity_fallback_is_stable_and_distinct(self):
        first = identity_slug("story", "https://news.example/a")
        assert first == identity_slug("story", "https://news.example/a")
        assert first != identity_slug("story", "https://news.example/b")
        assert SLUG.match(first)


class TestImportedAddresses:
    def test_every_story_and_topic_has_a_readable_unique_slug(self, imported):
        slugs = dict(Article.objects.values_list("web_url", "slug"))
        assert slugs["https://news.example/ja"] == "niyusu"  # the file's name
        assert slugs["https://news.example/ru"] == "novosti"
        assert slugs["https://news.example/emoji"] == "tada"
        # 新闻 and 新聞 both read "xinwen": the later one takes the next free slug.
        assert {slugs["https://news.example/zh-hans"], slugs["https://news.example/zh-hant"]} == {
            "xinwen",
            "xinwen-2",
        }
        # Nothing readable in the name or the title: derived from the story's URL.
        assert slugs["https://news.example/dashes"] == identity_slug(
            "story", "https://news.example/dashes"
        )
        topics = dict(Topic.objects.values_list("name", "slug"))
        assert topics["Новости"] == "novosti"
        assert topics["日本"] == "riben"
        assert topics["—"] == identity_slug("topic", "—")
        for slug in [*slugs.values(), *topics.values()]:
            assert SLUG.match(slug), slug
        assert len(set(slugs.values())) == len(slugs)
        assert len(set(topics.values())) == len(topics)

    def test_reimport_keeps_every_slug(self, imported):
        before = dict(Article.objects.values_list("web_url", "slug"))
        topics_before = dict(Topic.objects.values_list("name", "slug"))
        # Free "xinwen" so that a new computation would hand it to the other story.
        Article.objects.filter(slug="xinwen").update(slug="editors-choice")
        for name, (title, url, topics) in FILES.items():
            write(imported, name, story(title + " (updated)", url, topics))
        code, out, err = run_import(imported)
        assert code == 0, err
        after = dict(Article.objects.values_list("web_url", "slug"))
        changed = {url for url in before if before[url] != after[url]}
        assert len(changed) == 1 and after[changed.pop()] == "editors-choice"
        assert dict(Topic.objects.values_list("name", "slug")) == topics_before

    def test_a_topic_file_names_the_address_once(self, imported):
        """First read of its own file: its ``_id`` wins; later re-imports never move it."""
        write(imported, "topics/ru.yaml", "taxonomy: topic\n_id: russian-news\nname: Новости\n")
        assert run_import(imported / "topics")[0] == 0
        assert Topic.objects.get(name="Новости").slug == "russian-news"
        write(imported, "topics/ru.yaml", "taxonomy: topic\n_id: renamed\nname: Новости\n")
        assert run_import(imported / "topics")[0] == 0
        assert Topic.objects.get(name="Новости").slug == "russian-news"

    def test_a_topic_file_without_ascii_gets_a_readable_slug(self, tmp_path):
        write(tmp_path, "t.yaml", "taxonomy: topic\nname: أخبار العالم\n")
        assert run_import(tmp_path)[0] == 0
        assert Topic.objects.get().slug == "khbr-llm"


def public_urls(domain="nikkei.example"):
    story = Article.objects.get(web_url="https://news.example/dashes")
    topic = Topic.objects.get(name="—")
    return [
        "/",
        "/?q=%E6%96%B0",
        "/?q=news",
        "/feeds/rss/",
        "/feeds/atom/",
        f"/feeds/rss/?topic={topic.slug}",
        "/sitemap.xml",
        "/api/news/",
        f"/api/news/{topic.slug}/",
        story.get_absolute_url(),
        topic.get_absolute_url(),
        Provider.objects.get(domain=domain).get_absolute_url(),
        Provider.objects.get(domain="例え.jp").get_absolute_url(),
    ]


class TestPagesRender:
    def test_every_page_shows_objects_named_in_any_script(self, client, imported):
        for url in public_urls():
            response = client.get(url)
            assert response.status_code == 200, url
        home = client.get("/").content.decode()
        for slug in Article.objects.values_list("slug", flat=True):
            assert reverse("articles:detail", kwargs={"slug": slug}) in home

    def test_stored_empty_slugs_are_filled_and_pages_render(self, client, imported):
        """What older imports left behind (the column is unique: one empty slug per table)."""
        Article.objects.filter(web_url="https://news.example/ja").update(slug="")
        Topic.objects.filter(name="日本").update(slug="")
        assert fill_empty_slugs(Article, Topic) == 2
        assert not Article.objects.filter(slug="").exists()
        assert not Topic.objects.filter(slug="").exists()
        assert Article.objects.get(web_url="https://news.example/ja").slug == "niyusu"
        assert Topic.objects.get(name="日本").slug == "riben"
        for url in public_urls():
            assert client.get(url).status_code == 200, url

    def test_a_domain_stored_before_domains_were_checked(self, client, imported):
        """An outlet whose stored domain has a slash (no check refused it then) keeps an
        address; the pages linking it render."""
        Provider.objects.filter(domain="nikkei.example").update(domain="nikkei.example/ja")
        for url in public_urls(domain="nikkei.example/ja"):
            assert client.get(url).status_code == 200, url

    def test_the_provider_page_of_an_internationalised_domain(self, client, imported):
        provider = Provider.objects.get(domain="例え.jp")
        response = client.get(provider.get_absolute_url())
        assert response.status_code == 200
        assert "例え" in response.content.decode()


class TestSavedWithoutASlug:
    def test_model_save_gives_one(self, imported):
        article = Article.objects.get(web_url="https://news.example/ru")
        copy = Article.objects.create(
            title="Новости дня",
            web_url="https://news.example/ru-2",
            published_at=article.published_at,
            provider=article.provider,
        )
        assert copy.slug == "novosti-dnya"
        assert Topic.objects.create(name="Спорт").slug == "sport"

    def test_admin_add_topic_with_an_empty_slug(self, admin_client):
        response = admin_client.post(
            reverse("admin:articles_topic_add"),
            {"name": "Новости", "slug": "", "keywords": "[]", "hashtags": "[]"},
        )
        assert response.status_code == 302, response.context["adminform"].form.errors
        assert Topic.objects.get(name="Новости").slug == "novosti"
        assert LogEntry.objects.count() == 1

    def test_admin_keeps_a_slug_an_editor_gives(self, admin_client):
        admin_client.post(
            reverse("admin:articles_topic_add"),
            {"name": "Новости", "slug": "ru", "keywords": "[]", "hashtags": "[]"},
        )
        assert Topic.objects.get(name="Новости").slug == "ru"
