"""Story pages: content, escaping, the URL-scheme rule, related links and staff preview."""

import pytest
from django.urls import reverse

from articles.tests.factories import (
    ArticleFactory,
    ArticleImageFactory,
    ProviderFactory,
    RelatedLinkFactory,
    TopicFactory,
)
from articles.tests.public_support import NAV_QUERIES, full_story

pytestmark = pytest.mark.django_db


def page(client, article):
    return client.get(article.get_absolute_url())


class TestStoryPage:
    def test_shows_the_story(self, client):
        """Title, excerpt, outlet, a <time> element, topics, sized image and the way out."""
        topic = TopicFactory(name="Robotics", slug="robotics")
        article = ArticleFactory(
            title="Robots pick fruit",
            excerpt="Farms try machines.",
            provider=ProviderFactory(name="Farm News", domain="farm.example"),
            original_url="https://farm.example/robots",
            topics=[topic],
        )
        ArticleImageFactory(
            article=article, url="https://img.example/r.jpg", width=800, height=400, title="A robot"
        )
        body = page(client, article).content.decode()
        assert '<h1 class="story__title">Robots pick fruit</h1>' in body
        assert "Farms try machines." in body
        assert 'href="/providers/farm.example/"' in body
        assert f'<time datetime="{article.published_at.isoformat()}">' in body
        assert 'href="/topics/robotics/"' in body
        # Shown 640 px wide with the source's aspect ratio (local thumbnails: test_images_tags).
        image = '<img src="https://img.example/r.jpg" width="640" height="320" alt="A robot"'
        # The lead picture is above the fold: eager, fetched first.
        assert image + ' class="story__img" loading="eager" fetchpriority="high"' in body
        assert 'href="https://farm.example/robots"' in body

    def test_provider_logo_from_the_story(self, client):
        """The outlet's logo from the story file shows when the outlet has none of its own."""
        article = ArticleFactory(
            provider_data={"images": [{"url": "https://logo.example/l.png", "width": 50}]}
        )
        assert 'src="https://logo.example/l.png"' in page(client, article).content.decode()

    def test_seo_tags(self, client):
        """Canonical link, Open Graph and Twitter card tags describe the story."""
        article = full_story(title="Chips & dips")
        body = page(client, article).content.decode()
        url = f"http://testserver{article.get_absolute_url()}"
        assert f'<link rel="canonical" href="{url}">' in body
        assert f'<meta property="og:url" content="{url}">' in body
        assert '<meta property="og:title" content="Chips &amp; dips">' in body
        assert '<meta property="og:image" content="https://img.example/' in body
        assert '<meta name="twitter:card" content="summary_large_image">' in body

    def test_markdown_body_is_sanitized(self, client):
        """The body's Markdown renders; scripts, handlers and javascript: links do not."""
        article = ArticleFactory(
            body="Some **bold** text and [a link](javascript:alert(1)).\n\n"
            "<script>alert('x')</script><img src=x onerror=alert(1)>\n\n[ok](https://ok.example)"
        )
        body = page(client, article).content.decode()
        assert "<strong>bold</strong>" in body
        assert "<script>alert" not in body
        assert "onerror" not in body
        assert "javascript:" not in body
        assert 'href="https://ok.example"' in body

    def test_everything_is_escaped(self, client):
        """Markup in a title, excerpt or outlet name is shown as text."""
        article = ArticleFactory(
            title='<b>Bold</b> & "quoted"',
            excerpt="<i>tilted</i>",
            provider=ProviderFactory(name="<script>x</script>"),
        )
        body = page(client, article).content.decode()
        assert "<b>Bold</b>" not in body
        assert "&lt;b&gt;Bold&lt;/b&gt; &amp; &quot;quoted&quot;" in body
        assert "&lt;i&gt;tilted&lt;/i&gt;" in body
        assert "<script>x</script>" not in body

    def test_javascript_urls_never_become_links(self, client):
        """A stored javascript: URL is shown as text; images with such URLs are left out."""
        article = ArticleFactory(web_url="javascript:alert(1)", original_url="javascript:alert(2)")
        ArticleImageFactory(article=article, url="javascript:alert(3)")
        RelatedLinkFactory(article=article, title="Sneaky", web_url="javascript:alert(4)")
        body = page(client, article).content.decode()
        assert 'href="javascript' not in body
        assert 'src="javascript' not in body
        assert "<span>Sneaky</span>" in body


class TestRelatedStories:
    def test_published_target_links_inside(self, client):
        """A related story we publish links to our own page."""
        target = ArticleFactory(title="Our copy")
        article = ArticleFactory()
        RelatedLinkFactory(article=article, title="Related", target=target)
        body = page(client, article).content.decode()
        assert f'<a href="{target.get_absolute_url()}" class="related__internal">' in body

    def test_unpublished_target_links_out(self, client):
        """A related story whose copy is unpublished links to its outlet, never inside."""
        target = ArticleFactory(published=False)
        article = ArticleFactory()
        RelatedLinkFactory(
            article=article, title="Elsewhere", web_url="https://out.example/s", target=target
        )
        body = page(client, article).content.decode()
        assert target.get_absolute_url() not in body
        assert 'href="https://out.example/s" class="related__external"' in body

    def test_untargeted_link_goes_out(self, client):
        """A related story we do not have links to its web address."""
        article = ArticleFactory()
        RelatedLinkFactory(article=article, web_url=" https://out.example/x ")
        assert 'href="https://out.example/x"' in page(client, article).content.decode()


class TestPublishGate:
    def test_unpublished_is_404_for_readers(self, client):
        """Readers get a 404 for an unpublished story."""
        article = ArticleFactory(published=False)
        assert page(client, article).status_code == 404

    def test_unknown_slug_is_404(self, client):
        """A story that does not exist is a 404 with the site's page."""
        response = client.get(reverse("articles:detail", kwargs={"slug": "nope"}))
        assert response.status_code == 404

    def test_staff_preview(self, admin_client):
        """Staff see an unpublished story with a banner and a response nobody caches."""
        article = ArticleFactory(published=False)
        response = page(admin_client, article)
        assert response.status_code == 200
        assert "Preview — not published" in response.content.decode()
        cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
        assert {"no-cache", "no-store", "private"} <= cache_control
        assert "ETag" not in response

    def test_staff_see_edit_link(self, admin_client, client):
        """Staff get an "Edit in admin" link; readers do not."""
        article = ArticleFactory()
        edit = reverse("admin:articles_article_change", args=[article.pk])
        assert f'href="{edit}"' in page(admin_client, article).content.decode()
        assert edit not in page(client, article).content.decode()
        assert "Preview" not in page(admin_client, article).content.decode()


class TestStoryQueries:
    # Budget: the story with its outlet, then topics, images, corrections and related
    # links (each with its target joined), and the topic navigation: fixed, however many
    # of each there are.
    BUDGET = 5 + NAV_QUERIES

    def test_query_count_does_not_grow(self, client, django_assert_num_queries):
        """A story with one of everything and one with twenty cost the same."""
        small = full_story(topics=[TopicFactory()])
        RelatedLinkFactory(article=small, target=ArticleFactory())
        with django_assert_num_queries(self.BUDGET):
            page(client, small)
        big = full_story(topics=[TopicFactory() for _ in range(5)])
        for _ in range(20):
            ArticleImageFactory(article=big)
            RelatedLinkFactory(article=big, target=ArticleFactory())
        with django_assert_num_queries(self.BUDGET):
            page(client, big)


def test_related_link_with_a_space_is_a_valid_url(client):
    """A related story's URL holding a space (as a seed file has) is printed percent-encoded."""
    story = ArticleFactory()
    RelatedLinkFactory(article=story, web_url="https://x.example/a b?q=1 2")
    page = client.get(story.get_absolute_url()).content.decode()
    assert 'href="https://x.example/a%20b?q=1%202"' in page
    assert "a b?q" not in page
