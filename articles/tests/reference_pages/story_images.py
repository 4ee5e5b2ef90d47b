"""The reference ``{% story_image %}``: the tag as it was, through ``includes/picture_img.html``."""

from django import template

from articles.pictures import card_loading, card_priority, story_picture
from images.pictures import boxed, with_class

register = template.Library()

LOADING = ("lazy", "eager")

register.filter("card_loading", card_loading)  # eager for the cards above the fold
register.filter("card_priority", card_priority)  # high for the first card


@register.inclusion_tag("includes/picture_img.html")
def story_image(image, width=640, alt=None, css_class=None, loading="lazy", priority=None):
    """A story image (``ArticleImage`` or a source image mapping), ``width`` px wide."""
    if loading not in LOADING:
        raise template.TemplateSyntaxError(f"story_image loading must be one of {LOADING}")
    picture = boxed(with_class(story_picture(image, int(width), alt), css_class), int(width))
    return {"picture": picture, "loading": loading, "priority": priority}
