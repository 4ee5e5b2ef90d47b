"""The ``story_image`` tag, rendered directly: local thumbnails, remote URLs or nothing."""

import re

import pytest
from django.template import Context, Template, TemplateSyntaxError

from articles.pictures import story_thumbnail_name

from .factories import ArticleImageFactory

pytestmark = pytest.mark.django_db

DIGEST = "ab" * 32


def render(source, **context):
    return Template("{% load story_images %}" + source).render(Context(context)).strip()


def attributes(html):
    assert html.startswith("<img ") and html.endswith(">"), html
    return dict(re.findall(r'(\w+)="([^"]*)"', html))


def cached_image(width=1600, height=900, **fields):
    return ArticleImageFactory(
        local_file=f"images/ab/{DIGEST}.jpg", local_width=width, local_height=height, **fields
    )


class TestStoryImage:
    """A cached image gets local 1x/2x thumbnails; otherwise the remote http(s) URL or nothing."""

    def test_a_cached_image_uses_local_thumbnails_with_a_2x_candidate(self):
        image = cached_image(title="A robot")
        attrs = attributes(render("{% story_image image 640 %}", image=image))
        one = "/media/" + story_thumbnail_name(DIGEST, 640)
        two = "/media/" + story_thumbnail_name(DIGEST, 1280)
        assert attrs == {
            "src": one,
            "srcset": f"{one} 1x, {two} 2x",
            "width": "640",
            "height": "360",
            "alt": "A robot",
            "class": "story-image",
            "loading": "lazy",
            "decoding": "async",
        }

    def test_a_small_cached_image_is_not_enlarged_and_has_no_useless_2x(self):
        attrs = attributes(render("{% story_image image 640 %}", image=cached_image(500, 250)))
        assert (attrs["width"], attrs["height"]) == ("500", "250")
        assert attrs["srcset"] == "/media/" + story_thumbnail_name(DIGEST, 640) + " 1x"

    def test_the_card_size_pairs_320_with_640(self):
        attrs = attributes(render("{% story_image image 320 %}", image=cached_image()))
        assert attrs["srcset"].endswith(story_thumbnail_name(DIGEST, 640) + " 2x")
        assert (attrs["width"], attrs["height"]) == ("320", "180")

    def test_an_uncached_image_uses_the_remote_url_and_the_source_size(self):
        image = ArticleImageFactory(url="https://cdn.example/a.jpg?w=1&h=2", width=1200, height=600)
        attrs = attributes(render("{% story_image image 640 %}", image=image))
        assert attrs["src"] == "https://cdn.example/a.jpg?w=1&amp;h=2"
        assert (attrs["width"], attrs["height"], attrs["loading"]) == ("640", "320", "lazy")
        assert "srcset" not in attrs

    def test_an_unknown_source_size_takes_the_boxes_size(self):
        """The page never waits for the file to learn its size: 16:9 at the shown width, boxed."""
        image = ArticleImageFactory(url="http://cdn.example/a.jpg", width=None, height=None)
        attrs = attributes(render("{% story_image image 320 css_class='card__img' %}", image=image))
        assert (attrs["width"], attrs["height"]) == ("320", "180")
        assert attrs["class"] == "card__img picture--boxed"

    def test_a_known_size_is_not_boxed(self):
        attrs = attributes(render("{% story_image image 640 %}", image=cached_image()))
        assert attrs["class"] == "story-image"

    def test_above_the_fold_loads_eagerly_the_first_with_high_priority(self):
        image = cached_image()
        eager = attributes(render('{% story_image image loading="eager" %}', image=image))
        first = render('{% story_image image loading="eager" priority="high" %}', image=image)
        assert (eager["loading"], "fetchpriority" in eager) == ("eager", False)
        assert attributes(first)["fetchpriority"] == "high"

    def test_an_unknown_loading_is_a_template_error(self):
        with pytest.raises(TemplateSyntaxError, match="loading must be one of"):
            render('{% story_image image loading="soon" %}', image=cached_image())

    @pytest.mark.parametrize(
        "url",
        ["javascript:alert(1)", "/assets/a.png", "data:image/png;base64,AA", "http://[::1/x"],
    )
    def test_a_url_that_is_not_http_renders_nothing(self, url):
        assert render("{% story_image image %}", image=ArticleImageFactory(url=url)) == ""

    def test_surrounding_spaces_are_stripped_as_for_links(self):
        """The one http(s) check strips; the picture and the page's other checks agree."""
        image = ArticleImageFactory(url="  http://x.example/a.jpg ")
        assert attributes(render("{% story_image image %}", image=image))["src"] == (
            "http://x.example/a.jpg"
        )

    def test_source_mappings_such_as_related_images_work_too(self):
        related = {"url": "https://cdn.example/r.jpg", "width": 300, "height": 220}
        attrs = attributes(render("{% story_image image 320 %}", image=related))
        assert (attrs["src"], attrs["width"], attrs["height"]) == (related["url"], "300", "220")

    def test_text_is_escaped(self):
        image = ArticleImageFactory(url='https://cdn.example/"><script>', title='"><b>x</b>')
        html = render("{% story_image image %}", image=image)
        assert "<script>" not in html and "<b>" not in html
        assert 'alt="&quot;&gt;&lt;b&gt;x&lt;/b&gt;"' in html

    def test_rendering_costs_no_query_whatever_the_number_of_images(
        self, django_assert_num_queries
    ):
        """Everything comes from the row: no query, no storage lookup, for 1 or 20 images."""
        template = "{% for image in images %}{% story_image image 320 %}{% endfor %}"
        one = [cached_image()]
        twenty = [cached_image() for _ in range(10)] + [ArticleImageFactory() for _ in range(10)]
        with django_assert_num_queries(0):
            assert render(template, images=one).count("<img") == 1
        with django_assert_num_queries(0):
            assert render(template, images=twenty).count("<img") == 20
