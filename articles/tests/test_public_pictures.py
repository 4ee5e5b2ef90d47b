"""Pictures on public pages: one http(s) rule decides a story's figure, card image and logo."""

import re

import pytest

from articles.tests.factories import (
    ArticleFactory,
    ArticleImageFactory,
    ProviderFactory,
    TopicFactory,
)
from articles.tests.public_support import image_urls, images_of

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
        assert 'class="logo' not in html and "picture-frame" not in html

    def test_the_logo_waits_in_a_frame_with_the_outlets_initial_behind_it(self, client):
        """Shown while the logo loads or if it fails: never an empty gap in the byline."""
        outlet = ProviderFactory(name="«the» Wire", source_images=[{"url": "https://w.example/l"}])
        html = story_page(client, ArticleFactory(provider=outlet))
        assert (
            '<span class="picture-frame logo"><span class="picture-frame__placeholder"'
            ' aria-hidden="true">T</span><img src="https://w.example/l" width="40" height="40"'
            ' alt="" class="logo__img" loading="eager" decoding="async"></span>'
        ) in html


def cards_of(html):
    return re.findall(r'<article class="card[^"]*">.*?</article>', html, re.S)


@pytest.fixture
def every_kind_of_picture():
    """Stories with a known-size remote picture, an unknown-size one, a local copy, none,
    and outlets with a remote logo: every way an ``<img>`` can be made."""
    topic = TopicFactory(
        name="Pictures", slug="pictures", extra={"images": ["https://img.example/topic.jpg"]}
    )
    outlet = ProviderFactory(
        domain="pics.example",
        source_images=[{"url": "https://pics.example/logo.png"}],  # a logo of unknown size
    )
    made = []
    for n, fields in enumerate(
        [
            {"url": "https://img.example/known.jpg", "width": 1200, "height": 600},
            {"url": "https://img.example/unknown.jpg", "width": None, "height": None},
            {"local_file": f"images/cd/{DIGEST}.jpg", "local_width": 800, "local_height": 600},
        ]
    ):
        article = ArticleFactory(
            title=f"Picture story {n}",
            topics=[topic],
            provider=outlet,
            provider_data={"images": [{"url": "https://pics.example/logo.png"}]},
        )
        ArticleImageFactory(article=article, **fields)
        made.append(article)
    ArticleFactory(title="Picture story without one", topics=[topic], provider=outlet)
    return made


class TestEveryImgIsSized:
    @pytest.mark.parametrize(
        "page",
        ["home", "search", "topic", "outlet", "story known", "story unknown", "story local"],
    )
    def test_width_and_height_on_every_img(self, client, every_kind_of_picture, page):
        """No picture moves the page when it arrives: each ``<img>`` states its box."""
        stories = every_kind_of_picture
        path = {
            "home": "/",
            "search": "/?q=picture",
            "topic": "/topics/pictures/",
            "outlet": "/providers/pics.example/",
            "story known": stories[0].get_absolute_url(),
            "story unknown": stories[1].get_absolute_url(),
            "story local": stories[2].get_absolute_url(),
        }[page]
        images = images_of(client.get(path).content.decode())
        assert images, f"{path} shows no picture"
        for image in images:
            assert image.get("width", "").isdigit() and image.get("height", "").isdigit(), image
            assert int(image["width"]) > 0 and int(image["height"]) > 0, image


class TestValidSources:
    """A stored image URL holding a space or a non-ASCII letter is written as a valid URL."""

    def test_story_pictures_and_logos_are_percent_encoded(self, client):
        outlet = ProviderFactory(
            source_images=[
                {"url": "https://logo.example/small logo.png", "width": 50},
                {"url": "https://logo.example/grand-logo-é.png", "width": 400},
            ]
        )
        article = ArticleFactory(provider=outlet)
        ArticleImageFactory(article=article, url="https://img.example/a picture.jpg")
        for html in (story_page(client, article), client.get("/").content.decode()):
            for image in images_of(html):
                for url in image_urls(image):
                    assert " " not in url and url.isascii(), image
        html = story_page(client, article)
        assert 'src="https://img.example/a%20picture.jpg"' in html
        assert (
            'srcset="https://logo.example/small%20logo.png 1x,'
            ' https://logo.example/grand-logo-%C3%A9.png 2x"'
        ) in html


class TestCardPictures:
    def test_the_first_cards_load_eagerly_the_rest_lazily(self, client):
        """Above the fold (the first two cards) eager, the first fetched first; below, lazy."""
        for _ in range(5):
            ArticleImageFactory(article=ArticleFactory())
        cards = cards_of(client.get("/").content.decode())
        pictures = [images_of("<body>" + card)[0] for card in cards]
        assert [p["loading"] for p in pictures] == ["eager", "eager", "lazy", "lazy", "lazy"]
        assert [p.get("fetchpriority") for p in pictures] == ["high", None, None, None, None]

    def test_a_cached_picture_uses_the_local_thumbnails(self, client):
        image = ArticleImageFactory(
            local_file=f"images/cd/{DIGEST}.jpg", local_width=1600, local_height=900
        )
        [card] = cards_of(client.get("/").content.decode())
        [picture] = images_of("<body>" + card)
        thumbs = f"/media/images/thumbs/cd/{DIGEST}"
        assert picture["src"] == f"{thumbs}-640.webp"
        assert picture["srcset"] == f"{thumbs}-640.webp 1x, {thumbs}-1280.webp 2x"
        assert image.url not in card

    def test_a_picture_waits_in_a_frame_with_the_outlets_name_behind_it(self, client):
        """Shown while the picture loads or if it fails: never an empty box."""
        outlet = ProviderFactory(name="The Daily <Pic>")
        ArticleImageFactory(article=ArticleFactory(provider=outlet), width=None, height=None)
        [card] = cards_of(client.get("/").content.decode())
        assert '<a class="card__image picture-frame"' in card
        assert '<span class="picture-frame__placeholder">The Daily &lt;Pic&gt;</span><img ' in card
        assert 'class="card__img picture--boxed"' in card

    @pytest.mark.parametrize("url", ["", "javascript:alert(1)", "/relative.png"])
    def test_a_story_without_a_usable_picture_gets_a_card_without_a_box(self, client, url):
        article = ArticleFactory()
        if url:
            ArticleImageFactory(article=article, url=url)
        [card] = cards_of(client.get("/").content.decode())
        assert card.startswith('<article class="card">')
        assert "picture-frame" not in card and "<img" not in card


class TestStoryPictures:
    def test_the_lead_figure_is_eager_the_others_lazy(self, client):
        article = ArticleFactory()
        ArticleImageFactory(article=article, position=0, url="/not-http.png")
        for position in (1, 2):
            ArticleImageFactory(article=article, position=position)
        html = story_page(client, article)
        pictures = [images_of("<body>" + figure)[0] for figure in figures(html)]
        assert [(p["loading"], p.get("fetchpriority")) for p in pictures] == [
            ("eager", "high"),
            ("lazy", None),
        ]

    def test_a_figure_of_unknown_size_is_boxed(self, client):
        image = ArticleImageFactory(width=None, height=None)
        [figure] = figures(story_page(client, image.article))
        assert 'width="640" height="360"' in figure
        assert 'class="story__img picture--boxed"' in figure

    def test_pages_load_the_failed_picture_script_allowed_by_the_csp(self, client):
        """No inline handler (the CSP forbids them): one static script marks failed pictures."""
        html = client.get("/").content.decode()
        head = html.split("</head>", 1)[0]
        assert '<script src="/static/js/pictures.js"></script>' in head
        assert "onerror" not in html
