"""Provider pages: an outlet's logo, description and its published stories."""

import pytest

from articles.tests.factories import ArticleFactory, ProviderFactory
from articles.tests.public_support import NAV_QUERIES, full_story

pytestmark = pytest.mark.django_db


@pytest.fixture
def outlet():
    return ProviderFactory(
        domain="gazette.example",
        name="The <Gazette>",
        description="Daily news & views.",
        source_images=[{"url": "https://gazette.example/logo.png", "width": 50, "height": 50}],
        source_file="gazette.example.md",  # defined by its organization file: public
    )


class TestProviderPage:
    def test_lists_its_published_stories(self, client, outlet):
        """Only the outlet's published stories are listed."""
        ArticleFactory(title="Ours", provider=outlet)
        ArticleFactory(title="Our draft", provider=outlet, published=False)
        ArticleFactory(title="Someone else's")
        response = client.get(outlet.get_absolute_url())
        assert [a.title for a in response.context["articles"]] == ["Ours"]

    def test_shows_logo_and_escaped_details(self, client, outlet):
        """Logo, name and description show, escaped."""
        body = client.get(outlet.get_absolute_url()).content.decode()
        assert 'src="https://gazette.example/logo.png"' in body
        assert "<h1>The &lt;Gazette&gt;</h1>" in body
        assert "Daily news &amp; views." in body

    def test_site_relative_logo_is_not_shown(self, client):
        """A logo path that is not an absolute http(s) URL is left out."""
        outlet = ProviderFactory(source_images=[{"url": "/assets/logo.png"}])
        assert "/assets/logo.png" not in client.get(outlet.get_absolute_url()).content.decode()

    def test_links_its_feed(self, client, outlet):
        """The page links the feed of its stories."""
        body = client.get(outlet.get_absolute_url()).content.decode()
        assert 'href="/feeds/rss/?provider=gazette.example"' in body

    def test_domain_is_case_insensitive(self, client, outlet):
        """/providers/Gazette.Example/ finds the outlet."""
        assert client.get("/providers/Gazette.Example/").status_code == 200

    def test_unknown_provider_is_404(self, client):
        """An outlet that does not exist is a 404."""
        assert client.get("/providers/nowhere.example/").status_code == 404

    def test_query_count_does_not_grow(self, client, outlet, django_assert_num_queries):
        """One story and twenty cost the same queries."""
        full_story(provider=outlet)
        # Budget: the outlet, the page count and page, the topics and images
        # prefetches, the filter form's type choices, and the scorecard's figures and
        # chart weeks, and the topic navigation (the form's topics too).
        with django_assert_num_queries(8 + NAV_QUERIES):
            client.get(outlet.get_absolute_url())
        for _ in range(19):
            full_story(provider=outlet)
        with django_assert_num_queries(8 + NAV_QUERIES):
            assert len(client.get(outlet.get_absolute_url()).context["articles"]) == 20
