"""``{% story_image image 640 %}`` and ``{% provider_logo provider 50 %}``.

Each renders one ``<img>`` (lazy, with ``width``/``height``, a 1x/2x ``srcset`` when
local thumbnails exist) or nothing when there is no http(s) image to show.
"""

from dataclasses import replace

from django import template

from articles.images.pictures import logo_picture, story_picture

register = template.Library()


@register.inclusion_tag("includes/picture_img.html")
def story_image(image, width=640, alt=None, css_class=None):
    """A story image (``ArticleImage`` or a source image mapping), ``width`` px wide."""
    return {"picture": _with_class(story_picture(image, int(width), alt), css_class)}


@register.inclusion_tag("includes/picture_img.html")
def provider_logo(provider, size=50, alt=None, css_class=None):
    """An outlet's square logo, ``size`` px wide (alt defaults to the outlet's name)."""
    return {"picture": _with_class(logo_picture(provider, int(size), alt), css_class)}


def _with_class(picture, css_class):
    """The page's own class for the ``<img>``, where it gives one."""
    return replace(picture, css_class=css_class) if picture and css_class else picture
