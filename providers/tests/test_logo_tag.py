"""The ``provider_logo`` tag: uploaded, copied, remote, the story's, or nothing."""

import re

import pytest
from django.template import Context, Template

from articles.tests.factories import ProviderFactory
from providers.logos import logo_thumbnail_name

pytestmark = pytest.mark.django_db

DIGEST = "ab" * 32


def render(source, **context):
    return Template("{% load provider_logos %}" + source).render(Context(context)).strip()


def attributes(html):
    assert html.startswith("<img ") and html.endswith(">"), html
    return dict(re.findall(r'(\w+)="([^"]*)"', html))


class TestProviderLogo:
    """Uploaded logo, then our copy of the source's, then the remote image, else nothing."""

    def test_an_uploaded_logo_uses_its_square_thumbnails(self):
        provider = ProviderFactory(name="Acme", logo=f"providers/logos/{DIGEST}.png")
        attrs = attributes(render("{% provider_logo provider %}", provider=provider))
        one = "/media/" + logo_thumbnail_name(DIGEST, 50)
        two = "/media/" + logo_thumbnail_name(DIGEST, 100)
        assert (attrs["src"], attrs["srcset"]) == (one, f"{one} 1x, {two} 2x")
        assert (attrs["width"], attrs["height"], attrs["alt"]) == ("50", "50", "Acme")
        assert attrs["class"] == "provider-logo" and attrs["loading"] == "lazy"

    def test_the_large_size_uses_the_400_thumbnail(self):
        provider = ProviderFactory(logo=f"providers/logos/{DIGEST}.png")
        attrs = attributes(render("{% provider_logo provider 400 %}", provider=provider))
        assert attrs["src"] == "/media/" + logo_thumbnail_name(DIGEST, 400)
        assert attrs["width"] == "400"

    def test_a_cached_source_logo_is_used_when_nothing_was_uploaded(self):
        provider = ProviderFactory(
            cached_logo=f"images/ab/{DIGEST}.jpg",
            source_images=[{"url": "https://cdn.example/logo.png"}],
        )
        attrs = attributes(render("{% provider_logo provider %}", provider=provider))
        assert attrs["src"] == "/media/" + logo_thumbnail_name(DIGEST, 50)

    def test_a_logo_with_a_foreign_name_is_shown_as_it_is(self):
        provider = ProviderFactory(logo="providers/logos/old-upload.png")
        attrs = attributes(render("{% provider_logo provider %}", provider=provider))
        assert attrs["src"] == "/media/providers/logos/old-upload.png"
        assert "srcset" not in attrs

    def test_remote_source_images_pair_sizes_for_1x_and_2x(self):
        provider = ProviderFactory(
            source_images=[
                {"url": "https://cdn.example/l-400.png", "width": 400, "height": 400},
                {"url": "https://cdn.example/l-50.png", "width": 50, "height": 50},
            ]
        )
        attrs = attributes(render("{% provider_logo provider %}", provider=provider))
        assert attrs["src"] == "https://cdn.example/l-50.png"
        assert (
            attrs["srcset"] == "https://cdn.example/l-50.png 1x, https://cdn.example/l-400.png 2x"
        )

    def test_site_relative_source_images_render_nothing(self):
        provider = ProviderFactory(source_images=[{"url": "/assets/images/o/x-50x50.jpg"}])
        assert render("{% provider_logo provider %}", provider=provider) == ""

    def test_the_alt_text_can_be_emptied_when_the_name_is_beside_it(self):
        provider = ProviderFactory(logo=f"providers/logos/{DIGEST}.png")
        attrs = attributes(render('{% provider_logo provider 50 "" %}', provider=provider))
        assert attrs["alt"] == ""

    def test_a_source_url_with_surrounding_spaces_is_shown_stripped(self):
        provider = ProviderFactory(source_images=[{"url": "  https://cdn.example/l.png "}])
        assert attributes(render("{% provider_logo provider %}", provider=provider))["src"] == (
            "https://cdn.example/l.png"
        )


class TestStoryImagesFallback:
    """The outlet's images a story file gives are the last resort, never a replacement."""

    STORY = [{"url": "https://story.example/l.png", "width": 50}]

    def test_they_show_when_the_outlet_has_no_logo(self):
        html = render(
            "{% provider_logo provider 40 story_images=images %}",
            provider=ProviderFactory(),
            images=self.STORY,
        )
        assert attributes(html)["src"] == "https://story.example/l.png"

    def test_the_outlets_own_remote_logo_comes_first(self):
        provider = ProviderFactory(source_images=[{"url": "https://own.example/l.png"}])
        html = render(
            "{% provider_logo provider 40 story_images=images %}",
            provider=provider,
            images=self.STORY,
        )
        assert attributes(html)["src"] == "https://own.example/l.png"

    @pytest.mark.parametrize("images", [None, "", [{"url": "javascript:alert(1)"}], ["x"]])
    def test_anything_else_renders_nothing(self, images):
        html = render(
            "{% provider_logo provider 40 story_images=images %}",
            provider=ProviderFactory(),
            images=images,
        )
        assert html == ""
