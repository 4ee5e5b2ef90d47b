"""Topic pages: the taxonomy around a topic and its published stories."""

import pytest
from django.urls import reverse

from articles.tests.factories import ArticleFactory, TopicFactory
from articles.tests.public_support import NAV_QUERIES, full_story

pytestmark = pytest.mark.django_db


@pytest.fixture
def taxonomy():
    """Topics defined by taxonomy files: public even before any story carries them."""
    ai = TopicFactory(
        name="AI", slug="ai", description="Everything <em>AI</em>.", source_file="ai.yaml"
    )
    vision = TopicFactory(
        name="Computer Vision", slug="computer-vision", parent=ai, source_file="vision.yaml"
    )
    TopicFactory(name="Robotics", slug="robotics", parent=ai, source_file="robotics.yaml")
    return ai, vision


def url(topic):
    return reverse("articles:topic", kwargs={"slug": topic.slug})


class TestTopicPage:
    def test_lists_its_published_stories(self, client, taxonomy):
        """Only the topic's published stories are listed."""
        ai, vision = taxonomy
        ArticleFactory(title="Seeing machines", topics=[vision])
        ArticleFactory(title="Draft vision", topics=[vision], published=False)
        ArticleFactory(title="General AI", topics=[ai])
        response = client.get(url(vision))
        assert [a.title for a in response.context["articles"]] == ["Seeing machines"]

    def test_shows_description_parent_and_children(self, client, taxonomy):
        """The page shows the escaped description, the parent and the subtopics."""
        ai, vision = taxonomy
        body = client.get(url(ai)).content.decode()
        assert "Everything &lt;em&gt;AI&lt;/em&gt;." in body
        assert 'href="/topics/computer-vision/"' in body
        assert 'href="/topics/robotics/"' in body
        assert 'href="/topics/ai/"' in client.get(url(vision)).content.decode()

    def test_links_its_feeds(self, client, taxonomy):
        """The page links its own RSS and Atom feeds (alternate links included)."""
        _, vision = taxonomy
        body = client.get(url(vision), {"min_quality": "5"}).content.decode()
        assert 'href="/feeds/rss/?topic=computer-vision&amp;min_quality=5"' in body
        assert (
            '<link rel="alternate" type="application/atom+xml" title="Computer Vision (Atom)" '
            'href="/feeds/atom/?topic=computer-vision&amp;min_quality=5">'
        ) in body

    def test_filterable_without_topic_field(self, client, taxonomy):
        """The other filters work; the topic is fixed by the page, so it leaves the form."""
        _, vision = taxonomy
        ArticleFactory(title="Good", topics=[vision], quality=90)
        ArticleFactory(title="Weak", topics=[vision], quality=5)
        response = client.get(url(vision), {"min_quality": "50"})
        assert [a.title for a in response.context["articles"]] == ["Good"]
        assert 'name="topic"' not in response.content.decode()

    def test_unknown_topic_is_404(self, client):
        """A topic that does not exist is a 404."""
        assert client.get("/topics/nope/").status_code == 404

    def test_query_count_does_not_grow(self, client, taxonomy, django_assert_num_queries):
        """One story and twenty cost the same queries."""
        _, vision = taxonomy
        full_story(topics=[vision])
        # Budget: the topic, the page count and page, the topics and images prefetches,
        # the filter form's type and outlet choices, the taxonomy (the navigation's,
        # which also gives the parent and the subtopics), and the stories featured on the topic.
        with django_assert_num_queries(8 + NAV_QUERIES):
            client.get(url(vision))
        for _ in range(19):
            full_story(topics=[vision])
        with django_assert_num_queries(8 + NAV_QUERIES):
            assert len(client.get(url(vision)).context["articles"]) == 20
