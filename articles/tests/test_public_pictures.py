"""Pictures on public pages: one http(s) rule decides a story's figure, card image and logo."""

import re

import pytest

from articles.tests.factories import ArticleFactory, ArticleImageFactory, ProviderFactory

pytestmark = pytest.mark.django_db

DIGEST = "cd" * 32


def story_page(client, article):
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def figures(html):
    return re.findall(r'<figure class="story__figure">(.*?)</figure>', html, re.S)


class TestStoryFigures:
    """A figure is shown exactly when its picture is: never an empty ``<figure>``."""

    def test_an_image_url_with_leading_spaces_shows_its_picture(self, client):
        image = ArticleImageFactory(url="   https://img.example/spaced.jpg", width=640, height=480)
        [figure] = figures(story_page(client, image.article))
        assert '<img src="https://img.example/spaced.jpg"' in figure

    @pytest.mark.parametrize(
        "url", ["javascript:alert(1)", "/assets/a.png", "http://[::1/x", "   ", "data:,x"]
    )
    def test_an_image_that_cannot_be_shown_has_no_figure(self, client, url):
        image = ArticleImageFactory(url=url, title="A caption")
        html = story_page(client, image.article)
        assert figures(html) == []
        assert "A caption" not in html

    def test_the_lead_image_is_the_first_that_can_be_shown(self, client):
        article = ArticleFactory()
        ArticleImageFactory(article=article, position=0, url="/assets/first.png")
        ArticleImageFactory(article=article, position=1, url=" https://img.example/second.jpg")
        html = story_page(client, article)
        assert '<meta property="og:image" content="https://img.example/second.jpg">' in html
        card = client.get("/").content.decode()
        assert 'class="card card--with-image"' in card
        assert 'src="https://img.example/second.jpg"' in card


class TestBylineLogo:
    """The byline asks ``providers.logos.logo_picture``, like the outlet's own page."""

    def test_an_uploaded_logo_wins_over_the_story_files_images(self, client):
        provider = ProviderFactory(logo=f"providers/logos/{DIGEST}.png")
        article = ArticleFactory(
            provider=provider, provider_data={"images": [{"url": "https://story.example/l.png"}]}
        )
        html = story_page(client, article)
        assert f'src="/media/providers/logos/thumbs/{DIGEST}-50.webp"' in html
        assert "story.example" not in html

    def test_the_story_files_logo_shows_stripped_when_the_outlet_has_none(self, client):
        article = ArticleFactory(
            provider_data={"images": [{"url": "  https://story.example/l.png", "width": 50}]}
        )
        html = story_page(client, article)
        assert '<img src="https://story.example/l.png" width="40" height="40" alt=""' in html

    def test_a_story_file_logo_that_is_not_http_shows_nothing(self, client):
        article = ArticleFactory(provider_data={"images": [{"url": "javascript:alert(1)"}]})
        html = story_page(client, article)
        assert 'class="logo"' not in html
