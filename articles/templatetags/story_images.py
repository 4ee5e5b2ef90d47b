"""``{% story_image image 640 %}``: one ``<img>`` for a story image, or nothing.

Lazy, with ``width``/``height`` and a 1x/2x ``srcset`` when local thumbnails exist;
nothing when there is no local copy and no http(s) URL. ``{% provider_logo %}`` is
the outlets' counterpart, in ``providers``' ``provider_logos`` library.
"""

from django import template

from articles.pictures import story_picture
from images.pictures import with_class

register = template.Library()


@register.inclusion_tag("includes/picture_img.html")
def story_image(image, width=640, alt=None, css_class=None):
    """A story image (``ArticleImage`` or a source image mapping), ``width`` px wide."""
    return {"picture": with_class(story_picture(image, int(width), alt), css_class)}
