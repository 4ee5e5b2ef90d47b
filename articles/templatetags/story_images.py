"""``{% story_image image 640 %}``: one ``<img>`` for a story image, or nothing.

Always with ``width``/``height`` (a remote image of unknown size takes the fixed
box's, see ``images.pictures.boxed``), a 1x/2x ``srcset`` when local thumbnails
exist; lazy unless the page says the picture is above the fold (``loading="eager"``,
and ``priority="high"`` for the one that matters most). Nothing when there is no
local copy and no http(s) URL. ``{% provider_logo %}`` is the outlets' counterpart,
in ``providers``' ``provider_logos`` library.
"""

from django import template

from articles.pictures import card_loading, card_priority, story_picture
from images.pictures import boxed, img_html, with_class

register = template.Library()

LOADING = ("lazy", "eager")

register.filter("card_loading", card_loading)  # eager for the cards above the fold
register.filter("card_priority", card_priority)  # high for the first card


@register.simple_tag
def story_image(image, width=640, alt=None, css_class=None, loading="lazy", priority=None):
    """A story image (``ArticleImage`` or a source image mapping), ``width`` px wide."""
    if loading not in LOADING:
        raise template.TemplateSyntaxError(f"story_image loading must be one of {LOADING}")
    return img_html(picture_of(image, int(width), alt, css_class), loading, priority)


def picture_of(image, width, alt=None, css_class=None):
    """The ``Picture`` of a story image shown ``width`` px wide, boxed when its size is unknown."""
    return boxed(with_class(story_picture(image, width, alt), css_class), width)
