"""The anonymous page cache: per-URL entries, staff bypass, and retirement on every change.

Each test runs on a memory cache and on a real Redis (the ``page_cache`` fixture in
conftest.py; bin/with-redis starts one;
bin/test runs the suite beside it). Writes here commit for real (``transaction=True``):
the cache is retired when a change commits, as in production.
"""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from articles import publishing
from articles.ingest.importer import import_paths
from articles.models import Article
from articles.tests.factories import ArticleFactory, ProviderFactory, TopicFactory
from articles.tests.helpers import news_text, write

pytestmark = pytest.mark.django_db(transaction=True)

HOME = reverse("articles:list")


@pytest.fixture
def editor(django_user_model):
    """A staff member who may change stories (the Editors group is flushed with the data)."""
    user = django_user_model.objects.create_user("editor", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="change_article"))
    return user


def served_from_cache(response):
    return response.headers.get("X-Page-Cache") == "hit"


def test_second_anonymous_request_is_served_without_queries(
    page_cache, client, django_assert_num_queries
):
    ArticleFactory(title="Cached story")
    first = client.get(HOME)
    assert first.headers["X-Page-Cache"] == "miss"
    with django_assert_num_queries(0):
        second = client.get(HOME)
    assert served_from_cache(second)
    assert second.content == first.content
    assert "Cached story" in second.content.decode()


def test_each_filter_and_page_has_its_own_entry(page_cache, client):
    topic = TopicFactory(name="Robots")
    ArticleFactory(title="About robots", topics=[topic])
    ArticleFactory(title="About something else")
    everything = client.get(HOME).content.decode()
    robots = client.get(HOME, {"topic": topic.slug})
    assert not served_from_cache(robots)
    assert "About something else" in everything
    assert "About something else" not in robots.content.decode()
    assert served_from_cache(client.get(HOME, {"topic": topic.slug}))


def test_staff_neither_get_nor_fill_a_readers_copy(page_cache, client, editor):
    ArticleFactory(title="Public story")
    client.get(HOME)  # a reader fills the cache
    client.force_login(editor)
    staff_page = client.get(HOME)
    assert "X-Page-Cache" not in staff_page.headers
    client.logout()
    other = client.get(reverse("articles:feed-rss"))
    client.force_login(editor)
    client.get(reverse("articles:feed-atom"))  # staff's visit stores nothing...
    client.logout()
    assert not served_from_cache(client.get(reverse("articles:feed-atom")))  # ...for readers
    assert other.status_code == 200


def test_staff_preview_of_a_draft_is_never_stored(page_cache, client, editor):
    draft = ArticleFactory(title="Secret draft", published=False)
    client.force_login(editor)
    assert client.get(draft.get_absolute_url()).status_code == 200
    client.logout()
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_publishing_in_bulk_retires_cached_pages(page_cache, client, editor):
    ArticleFactory(title="Already out")
    draft = ArticleFactory(title="Fresh news", published=False)
    assert "Fresh news" not in client.get(HOME).content.decode()
    publishing.publish(Article.objects.filter(pk=draft.pk), editor)
    page = client.get(HOME)
    assert not served_from_cache(page)
    assert "Fresh news" in page.content.decode()


def test_unpublishing_retires_the_story_page_and_feeds(page_cache, client, editor):
    story = ArticleFactory(title="Taken down soon")
    feed = reverse("articles:feed-rss")
    assert client.get(story.get_absolute_url()).status_code == 200
    assert "Taken down soon" in client.get(feed).content.decode()
    publishing.unpublish(Article.objects.filter(pk=story.pk), editor)
    assert client.get(story.get_absolute_url()).status_code == 404
    assert "Taken down soon" not in client.get(feed).content.decode()


def test_an_edit_through_the_orm_retires_cached_pages(page_cache, client):
    story = ArticleFactory(title="Old headline")
    assert "Old headline" in client.get(HOME).content.decode()
    story.title = "New headline"
    story.save()
    assert "New headline" in client.get(HOME).content.decode()


def test_renaming_an_outlet_retires_cached_pages(page_cache, client):
    outlet = ProviderFactory(name="Old Outlet Name")
    ArticleFactory(provider=outlet)
    assert "Old Outlet Name" in client.get(HOME).content.decode()
    outlet.name = "New Outlet Name"
    outlet.save()
    assert "New Outlet Name" in client.get(HOME).content.decode()


def test_deleting_a_story_retires_cached_pages(page_cache, client):
    story = ArticleFactory(title="Deleted later")
    assert "Deleted later" in client.get(HOME).content.decode()
    story.delete()
    assert "Deleted later" not in client.get(HOME).content.decode()


def test_an_import_retires_cached_pages_and_a_no_op_one_does_not(page_cache, client, tmp_path):
    assert "Imported story" not in client.get(HOME).content.decode()
    write(tmp_path, "news.md", news_text(title="Imported story"))
    import_paths([tmp_path])
    assert "Imported story" in client.get(HOME).content.decode()
    import_paths([tmp_path])  # nothing changed: the cached pages stay
    assert served_from_cache(client.get(HOME))


def test_a_dry_run_import_keeps_cached_pages(page_cache, client, tmp_path):
    client.get(HOME)
    write(tmp_path, "news.md", news_text(title="Only checked"))
    import_paths([tmp_path], dry_run=True)
    assert served_from_cache(client.get(HOME))


def test_a_conditional_request_to_a_cached_page_gets_304(page_cache, client):
    ArticleFactory()
    etag = client.get(HOME).headers["ETag"]
    assert client.get(HOME, headers={"if-none-match": etag}).status_code == 304


def test_admin_and_errors_are_never_stored(page_cache, client):
    assert client.get("/articles/no-such-story/").status_code == 404
    assert client.get("/articles/no-such-story/").headers.get("X-Page-Cache") is None
    client.get(reverse("admin:login"))
    assert "X-Page-Cache" not in client.get(reverse("admin:login")).headers


def test_off_by_default_without_a_shared_cache(settings, client):
    settings.PAGE_CACHE_SECONDS = 0
    ArticleFactory()
    client.get(HOME)
    assert "X-Page-Cache" not in client.get(HOME).headers
