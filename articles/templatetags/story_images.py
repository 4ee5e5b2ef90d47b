"""``{% story_image image 640 %}`` and ``{% provider_logo provider 50 %}``.

Each renders one ``<img>`` (lazy, with ``width``/``height``, a 1x/2x ``srcset`` when
local thumbnails exist) or nothing when there is no http(s) image to show.
"""

from django import template

from articles.images.pictures import logo_picture, story_picture

register = template.Library()


@register.inclusion_tag("includes/picture_img.html")
def story_image(image, width=640, alt=None):
    """A story image (``ArticleImage`` or a source image mapping), ``width`` px wide."""
    return {"picture": story_picture(image, int(width), alt)}


@register.inclusion_tag("includes/picture_img.html")
def provider_logo(provider, size=50, alt=None):
    """An outlet's square logo, ``size`` px wide (alt defaults to the outlet's name)."""
    return {"picture": logo_picture(provider, int(size), alt)}
