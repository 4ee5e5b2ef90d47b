"""Schedules and embargoes: enforced by the public rule when a page is asked for, no job run.

Times are moved with ``QuerySet.update()`` between requests: it sends no signal
and retires no cache, so only the query-time comparison can make the change show.
"""

import datetime as dt
import io
import json
import re

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.http import http_date, parse_http_date

from articles.models import Article, Cluster, Correction, Pin
from articles.schedules import last_public_change, next_public_change
from articles.tests.factories import ArticleFactory, ProviderFactory, TopicFactory
from articles.tests.helpers import news_text, run_import, write
from articles.tests.sitemap_helpers import every_section, section_path

pytestmark = pytest.mark.django_db

HOUR = dt.timedelta(hours=1)
TITLE = "Embargoed marvel"


@pytest.fixture
def embargoed():
    """A published story under an embargo an hour away, with a public neighbour on every page.

    The neighbour keeps the topic and the outlet public and shares the story's cluster
    (another outlet), so its page shows the embargoed story in its coverage once public.
    """
    topic = TopicFactory(name="Marvels", slug="marvels", source_file="topics/marvels.md")
    outlet = ProviderFactory(domain="marvel.example", name="Marvel Daily")
    cluster = Cluster.objects.create()
    story = ArticleFactory(
        title=TITLE,
        slug="embargoed-marvel",
        provider=outlet,
        topics=[topic],
        cluster=cluster,
        publish_at=timezone.now() + HOUR,
    )
    Correction.objects.create(article=story, text="The date was wrong.")
    ArticleFactory(title="Neighbour", provider=outlet, topics=[topic])
    ArticleFactory(
        title="Other outlet's copy",
        slug="other-copy",
        provider=ProviderFactory(domain="copy.example"),
        cluster=cluster,
    )
    return story


def api_titles(response):
    return [item["title"] for item in json.loads(response.content)["value"]]


# Each public path: how to ask it, and whether the answer shows the story.
PATHS = {
    "home": ("/", lambda r: TITLE in r.content.decode()),
    "story": ("/articles/embargoed-marvel/", lambda r: r.status_code == 200),
    "topic": ("/topics/marvels/", lambda r: TITLE in r.content.decode()),
    "outlet": ("/providers/marvel.example/", lambda r: TITLE in r.content.decode()),
    # PostgreSQL marks the matched word in the title: look for the story's link.
    "search": ("/?q=marvel", lambda r: 'href="/articles/embargoed-marvel/"' in r.text),
    "rss": ("/feeds/rss/", lambda r: TITLE in r.content.decode()),
    "atom": ("/feeds/atom/", lambda r: TITLE in r.content.decode()),
    "json feed": ("/feeds/json/", lambda r: TITLE in r.content.decode()),
    "api": ("/api/news/", lambda r: TITLE in api_titles(r)),
    "api topic": ("/api/news/marvels/", lambda r: TITLE in api_titles(r)),
    "sitemap": ("/sitemap.xml", lambda r: "/articles/embargoed-marvel/" in every_section(r.client)),
    "cluster coverage": ("/articles/other-copy/", lambda r: TITLE in r.content.decode()),
    "corrections": ("/corrections/", lambda r: TITLE in r.content.decode()),
    "api collapsed": ("/api/news/?collapse=clusters", lambda r: TITLE in api_titles(r)),
}


class TestEveryPublicPath:
    @pytest.mark.parametrize("name", PATHS)
    def test_embargo_lifts_and_falls_between_two_requests(self, client, embargoed, name):
        """Hidden before publish_at, shown after it, hidden again after unpublish_at."""
        path, shows = PATHS[name]
        stories = Article.objects.filter(pk=embargoed.pk)
        before = client.get(path)
        assert not shows(before), f"{name}: shown before its embargo lifted"
        now = timezone.now()
        stories.update(publish_at=now - dt.timedelta(seconds=1))
        assert shows(client.get(path)), f"{name}: not shown once the embargo lifted"
        stories.update(publish_at=now - HOUR, unpublish_at=now - dt.timedelta(seconds=1))
        assert not shows(client.get(path)), f"{name}: still shown after unpublish_at"

    def test_cluster_count_follows_the_embargo(self, client, embargoed):
        """ "Also reported by N outlets" counts the copy only while it is public."""
        Article.objects.filter(title="Neighbour").delete()
        body = client.get("/").content.decode()
        assert "Also reported by" not in body
        Article.objects.filter(pk=embargoed.pk).update(publish_at=timezone.now() - HOUR)
        assert "Also reported by 1 outlet" in client.get("/").content.decode()

    def test_a_topic_known_only_through_an_embargoed_story_is_not_public(self, client):
        """Topics and outlets follow the rule too: no page before the embargo lifts."""
        topic = TopicFactory(slug="secret-topic")
        story = ArticleFactory(topics=[topic], publish_at=timezone.now() + HOUR)
        url = reverse("articles:topic", kwargs={"slug": "secret-topic"})
        assert client.get(url).status_code == 404
        Article.objects.filter(pk=story.pk).update(publish_at=timezone.now() - HOUR)
        assert client.get(url).status_code == 200

    def test_topics_and_outlets_known_only_through_it_follow_it_everywhere(self, client):
        """Their pages, the topic index and their sitemaps: out, in, and out again."""
        topic = TopicFactory(name="Secret topic", slug="secret-topic")
        outlet = ProviderFactory(domain="secret.example", name="Secret Outlet")
        story = ArticleFactory(topics=[topic], provider=outlet, publish_at=timezone.now() + HOUR)
        ArticleFactory()  # something public, so every list has a page

        def shown():
            return {
                "topic page": client.get("/topics/secret-topic/").status_code == 200,
                "outlet page": client.get("/providers/secret.example/").status_code == 200,
                "topic index": "Secret topic" in client.get("/topics/").content.decode(),
                "topic sitemap": "/topics/secret-topic/" in client.get("/sitemap-topics.xml").text,
                "outlet sitemap": "secret.example" in client.get("/sitemap-providers.xml").text,
            }

        assert not any(shown().values()), shown()
        now = timezone.now()
        Article.objects.filter(pk=story.pk).update(publish_at=now - dt.timedelta(seconds=1))
        assert all(shown().values()), shown()
        Article.objects.filter(pk=story.pk).update(
            publish_at=now - HOUR, unpublish_at=now - dt.timedelta(seconds=1)
        )
        assert not any(shown().values()), shown()


class TestTheRule:
    def test_object_and_queryset_agree_at_every_stage(self):
        """is_public() says of each story what published() says, schedules included."""
        now = timezone.now()
        ArticleFactory(title="open")
        ArticleFactory(title="lifts later", publish_at=now + HOUR)
        ArticleFactory(title="lifted", publish_at=now - HOUR)
        ArticleFactory(title="falls later", unpublish_at=now + HOUR)
        ArticleFactory(title="fell", unpublish_at=now - HOUR)
        ArticleFactory(title="window now", publish_at=now - HOUR, unpublish_at=now + HOUR)
        ArticleFactory(title="held, lifted", publish_at=now - HOUR, published=False)
        public = set(Article.objects.published(now).values_list("title", flat=True))
        assert public == {"open", "lifted", "falls later", "window now"}
        assert {a.title for a in Article.objects.all() if a.is_public(now)} == public
        hidden = set(Article.objects.unpublished(now).values_list("title", flat=True))
        assert hidden == {"lifts later", "fell", "held, lifted"}

    def test_the_database_refuses_a_window_that_ends_before_it_starts(self):
        now = timezone.now()
        with pytest.raises(IntegrityError), transaction.atomic():
            ArticleFactory(publish_at=now, unpublish_at=now - HOUR)

    def test_a_reimport_keeps_the_editors_schedule(self, tmp_path):
        """The seed format has no schedule: a re-import of a changed file never clears it."""
        write(tmp_path, "news/a.md", news_text(title="First version"))
        assert run_import(tmp_path)[0] == 0
        lifts, falls = timezone.now() + HOUR, timezone.now() + 2 * HOUR
        Article.objects.update(publish_at=lifts, unpublish_at=falls)
        write(tmp_path, "news/a.md", news_text(title="Second version"))
        code, out, _ = run_import(tmp_path)
        assert code == 0 and "1 updated" in out
        story = Article.objects.get()
        assert story.title == "Second version"
        assert (story.publish_at, story.unpublish_at) == (lifts, falls)

    def test_the_export_writes_no_schedule(self, tmp_path):
        """Schedules are the editors' own: kept out of the seed files (docs/export.md)."""
        ArticleFactory(publish_at=timezone.now() + HOUR, source_file="news/x.md")
        call_command("export_articles", str(tmp_path / "out"), stdout=io.StringIO())
        text = "".join(p.read_text() for p in (tmp_path / "out").rglob("*.md"))
        assert text and "publish" not in text.replace("published", "")


class TestNextChange:
    def test_is_the_earliest_future_lift_fall_or_pin_expiry(self):
        now = timezone.now()
        assert next_public_change(now) is None
        story = ArticleFactory(publish_at=now + 3 * HOUR, unpublish_at=now + 4 * HOUR)
        assert next_public_change(now) == now + 3 * HOUR
        ArticleFactory(publish_at=now - HOUR, unpublish_at=now + 2 * HOUR)
        assert next_public_change(now) == now + 2 * HOUR
        Pin.objects.create(article=story, expires_at=now + HOUR)
        assert next_public_change(now) == now + HOUR
        # A schedule of a story nobody published changes nothing by itself.
        ArticleFactory(published=False, publish_at=now + dt.timedelta(minutes=1))
        assert next_public_change(now) == now + HOUR

    def test_costs_one_query(self, django_assert_num_queries):
        ArticleFactory(publish_at=timezone.now() + HOUR)
        with django_assert_num_queries(1):
            next_public_change()


class TestSitemapLastModified:
    """The sitemap's Last-Modified moves when an embargo lifts or falls: no stale 304."""

    def last_modified(self, client, story):
        response = client.get(section_path(story))
        return parse_http_date(response.headers["Last-Modified"])

    def test_moves_when_an_embargo_lifts_and_when_one_falls(self, client):
        long_ago = timezone.now() - 30 * 24 * HOUR
        shown = ArticleFactory()  # its section is the one asked for
        story = ArticleFactory(publish_at=timezone.now() + HOUR)
        Article.objects.update(updated_at=long_ago)
        first = self.last_modified(client, shown)
        since = client.get(section_path(shown), headers={"if-modified-since": http_date(first)})
        assert since.status_code == 304
        lifted_at = timezone.now().replace(microsecond=0) - dt.timedelta(seconds=5)
        Article.objects.filter(pk=story.pk).update(publish_at=lifted_at)
        assert self.last_modified(client, shown) == int(lifted_at.timestamp()) > first
        response = client.get(section_path(shown), headers={"if-modified-since": http_date(first)})
        assert response.status_code == 200
        fell_at = timezone.now().replace(microsecond=0) - dt.timedelta(seconds=1)
        Article.objects.filter(pk=story.pk).update(unpublish_at=fell_at)
        assert self.last_modified(client, shown) == int(fell_at.timestamp())
        assert last_public_change() == fell_at

    def test_a_lifted_story_is_dated_by_its_lift(self, client):
        lifted_at = timezone.now().replace(microsecond=0) - dt.timedelta(minutes=5)
        story = ArticleFactory(slug="lifted", publish_at=lifted_at)
        Article.objects.filter(pk=story.pk).update(updated_at=lifted_at - 24 * HOUR)
        body = client.get(section_path(story)).content.decode()
        entry = re.search(r"<url><loc>[^<]*/articles/lifted/</loc><lastmod>([^<]+)<", body)
        assert entry and entry.group(1).startswith(lifted_at.date().isoformat())
