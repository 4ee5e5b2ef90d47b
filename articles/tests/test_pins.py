"""Featured slots: pinned public stories first on the home and topic pages, expiry at query time."""

import datetime as dt
import json

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Pin
from articles.tests.factories import ArticleFactory, TopicFactory
from articles.tests.public_support import NAV_QUERIES, full_story

pytestmark = pytest.mark.django_db

HOME = "/"
PIN_LIST = reverse("admin:articles_pin_changelist")
HOUR = dt.timedelta(hours=1)


def featured_titles(response):
    return [story.title for story in response.context.get("featured_stories") or []]


class TestHomePage:
    def test_pinned_stories_show_first_in_position_order(self, client):
        second, first = ArticleFactory(title="Second"), ArticleFactory(title="First")
        ArticleFactory(title="Not pinned")
        Pin.objects.create(article=second, position=2)
        Pin.objects.create(article=first, position=1)
        response = client.get(HOME)
        assert featured_titles(response) == ["First", "Second"]
        body = response.content.decode()
        assert body.index("First") < body.index("Second") < body.index("Not pinned")
        assert body.count('class="card__flag">Featured<') == 2

    def test_an_expired_pin_disappears_by_itself(self, client):
        pin = Pin.objects.create(article=ArticleFactory(title="Brief fame"))
        assert featured_titles(client.get(HOME)) == ["Brief fame"]
        Pin.objects.filter(pk=pin.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
        assert featured_titles(client.get(HOME)) == []

    def test_a_pinned_story_the_public_may_not_see_never_shows(self, client):
        draft = ArticleFactory(title="Pinned draft", published=False)
        embargoed = ArticleFactory(title="Pinned embargo", publish_at=timezone.now() + HOUR)
        Pin.objects.create(article=draft, position=0)
        Pin.objects.create(article=embargoed, position=1)
        response = client.get(HOME)
        assert featured_titles(response) == []
        assert "Pinned draft" not in response.content.decode()
        Article.objects.filter(pk=embargoed.pk).update(publish_at=timezone.now() - HOUR)
        assert featured_titles(client.get(HOME)) == ["Pinned embargo"]

    def test_only_the_unfiltered_first_page_features(self, client):
        Pin.objects.create(article=ArticleFactory(title="Pinned"))
        ArticleFactory.create_batch(25)
        assert featured_titles(client.get(HOME, {"page": 2})) == []
        assert featured_titles(client.get(HOME, {"q": "Pinned"})) == []

    def test_a_topic_pin_is_not_on_the_home_page(self, client):
        topic = TopicFactory()
        Pin.objects.create(article=ArticleFactory(topics=[topic]), topic=topic)
        assert featured_titles(client.get(HOME)) == []

    def test_query_count_does_not_grow_with_pins(self, client, django_assert_num_queries):
        """Budget: the list's (test_public_list, featured query included) plus the
        featured stories' topics and images, which run only when some are pinned."""
        Pin.objects.create(article=full_story(topics=[TopicFactory()]))
        with django_assert_num_queries(9 + NAV_QUERIES):
            client.get(HOME)
        for position in range(1, 20):
            Pin.objects.create(article=full_story(topics=[TopicFactory()]), position=position)
        with django_assert_num_queries(9 + NAV_QUERIES):
            assert len(featured_titles(client.get(HOME))) == 20


class TestTopicPage:
    def test_topic_pins_show_on_their_topic_only(self, client):
        robots, other = TopicFactory(slug="robots"), TopicFactory(slug="other")
        story = ArticleFactory(title="Robot news", topics=[robots, other])
        Pin.objects.create(article=story, topic=robots)
        Pin.objects.create(article=ArticleFactory(title="Home pin"))
        robots_page = client.get(reverse("articles:topic", kwargs={"slug": "robots"}))
        assert featured_titles(robots_page) == ["Robot news"]
        other_page = client.get(reverse("articles:topic", kwargs={"slug": "other"}))
        assert featured_titles(other_page) == []

    def test_a_pin_whose_story_is_not_in_the_topic_never_shows(self, client):
        robots, other = TopicFactory(slug="robots"), TopicFactory(slug="other")
        stray = ArticleFactory(title="Stray story", topics=[other])
        leaving = ArticleFactory(title="Leaving story", topics=[robots])
        Pin.objects.create(article=stray, topic=robots)  # as a script could
        Pin.objects.create(article=leaving, topic=robots, position=1)
        robots_url = reverse("articles:topic", kwargs={"slug": "robots"})
        assert featured_titles(client.get(robots_url)) == ["Leaving story"]
        leaving.topics.remove(robots)  # the editor takes the story out of the topic
        assert featured_titles(client.get(robots_url)) == []
        items = json.loads(client.get("/api/news/").content)["value"]
        assert all(item["featuredContent"] is None for item in items)


class TestApi:
    def test_featured_content_and_highlight(self, client):
        topic = TopicFactory(slug="robots", name="Robots")
        story = ArticleFactory(title="Pinned", topics=[topic])
        ArticleFactory(title="Plain", topics=[topic])
        expires = timezone.now() + HOUR
        Pin.objects.create(article=story, position=3, expires_at=expires)
        items = {i["title"]: i for i in json.loads(client.get("/api/news/").content)["value"]}
        (featured,) = items["Pinned"]["featuredContent"]
        assert {k: featured[k] for k in ("place", "topic", "position")} == {
            "place": "home",
            "topic": None,
            "position": 3,
        }
        assert dt.datetime.fromisoformat(featured["expiresDateTime"]) == expires
        assert items["Pinned"]["highlight"] is True
        assert items["Plain"]["featuredContent"] is None and items["Plain"]["highlight"] is None
        topic_items = json.loads(client.get("/api/news/robots/").content)["value"]
        pinned = next(i for i in topic_items if i["title"] == "Pinned")
        assert pinned["highlight"] is None  # featured on the home page, not on this topic

    def test_an_expired_pin_is_not_reported(self, client):
        Pin.objects.create(article=ArticleFactory(), expires_at=timezone.now() - HOUR)
        item = json.loads(client.get("/api/news/").content)["value"][0]
        assert item["featuredContent"] is None and item["highlight"] is None


class TestModel:
    def test_a_story_is_pinned_once_per_place(self):
        story, topic = ArticleFactory(), TopicFactory()
        Pin.objects.create(article=story)
        Pin.objects.create(article=story, topic=topic)
        with pytest.raises(IntegrityError), transaction.atomic():
            Pin.objects.create(article=story)
        with pytest.raises(IntegrityError), transaction.atomic():
            Pin.objects.create(article=story, topic=topic)


class TestAdmin:
    def test_pin_list_budget_is_constant(self, editor_client, django_assert_num_queries):
        """Budget: session, user, permissions (2), the count, the page (story and topic
        joined), the topic filter's choices."""

        def count():
            with django_assert_num_queries(7) as captured:
                assert editor_client.get(PIN_LIST).status_code == 200
            return len(captured)

        Pin.objects.create(article=ArticleFactory())
        one = count()
        for position in range(20):
            Pin.objects.create(article=ArticleFactory(), topic=TopicFactory(), position=position)
        assert count() == one

    def test_positions_are_edited_in_the_list(self, editor_client):
        first = Pin.objects.create(article=ArticleFactory(), position=0)
        second = Pin.objects.create(article=ArticleFactory(), position=1)
        data = {
            "form-TOTAL_FORMS": "2",
            "form-INITIAL_FORMS": "2",
            "form-0-id": str(first.pk),
            "form-0-position": "5",
            "form-0-expires_at_0": "",
            "form-0-expires_at_1": "",
            "form-1-id": str(second.pk),
            "form-1-position": "1",
            "form-1-expires_at_0": "",
            "form-1-expires_at_1": "",
            "_save": "Save",
        }
        response = editor_client.post(PIN_LIST, data)
        assert response.status_code == 302
        first.refresh_from_db()
        assert first.position == 5

    def test_pin_to_home_action_appends_after_existing_pins(self, editor_client):
        Pin.objects.create(article=ArticleFactory(), position=4)
        chosen = ArticleFactory.create_batch(2)
        data = {"action": "pin_to_home", "index": "0", "_selected_action": [a.pk for a in chosen]}
        response = editor_client.post(
            reverse("admin:articles_article_changelist"), data, follow=True
        )
        assert [str(m) for m in response.context["messages"]] == [
            "Pinned 2 stories to the home page."
        ]
        positions = sorted(
            Pin.objects.filter(article__in=chosen).values_list("position", flat=True)
        )
        assert positions == [5, 6]
        again = editor_client.post(reverse("admin:articles_article_changelist"), data, follow=True)
        assert [str(m) for m in again.context["messages"]] == [
            "Pinned 0 stories to the home page. 2 were pinned there already."
        ]

    def test_add_page_and_showing_column(self, editor_client):
        Pin.objects.create(article=ArticleFactory(title="Live pin"))
        Pin.objects.create(article=ArticleFactory(title="Gone pin"), expires_at=timezone.now())
        body = editor_client.get(PIN_LIST).content.decode()
        assert "Live pin" in body and "Gone pin" in body
        assert body.count('alt="True"') == 1
        assert editor_client.get(reverse("admin:articles_pin_add")).status_code == 200

    def test_the_form_refuses_a_topic_the_story_is_not_in_naming_the_field(self, editor_client):
        robots, other = TopicFactory(name="Robots"), TopicFactory(name="Other")
        story = ArticleFactory(title="Robot arms", topics=[robots])
        data = {"article": story.pk, "position": "0", "expires_at_0": "", "expires_at_1": ""}
        add = reverse("admin:articles_pin_add")
        response = editor_client.post(add, {**data, "topic": other.pk})
        assert response.status_code == 200
        assert response.context["adminform"].form.errors["topic"] == [
            "topic: the story “Robot arms” is not in the topic “Other”; add the topic to the "
            "story first, or choose one of its topics (or none: the home page)."
        ]
        assert not Pin.objects.exists()
        assert editor_client.post(add, {**data, "topic": robots.pk}).status_code == 302
        assert Pin.objects.get().topic == robots

    def test_showing_column_says_no_for_a_pin_out_of_its_topic(self, editor_client):
        robots = TopicFactory()
        Pin.objects.create(article=ArticleFactory(title="In place", topics=[robots]), topic=robots)
        Pin.objects.create(article=ArticleFactory(title="Out of place"), topic=robots)
        body = editor_client.get(PIN_LIST).content.decode()
        assert body.count('alt="True"') == 1 and body.count('alt="False"') == 1
