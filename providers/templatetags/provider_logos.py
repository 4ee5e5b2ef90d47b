"""``{% provider_logo provider 50 %}``: an outlet's square logo as one ``<img>``, or nothing."""

from django import template

from images.pictures import img_html, monogram, with_class
from providers.logos import logo_picture

register = template.Library()


@register.simple_tag
def provider_logo(
    provider, size=50, alt=None, css_class=None, story_images=None, loading="lazy", frame=None
):
    """The logo ``logo_picture`` chooses, ``size`` px wide (alt defaults to the outlet's name).

    ``story_images``: the outlet's images as a story file gives them, shown when the
    outlet has no logo of its own. ``loading="eager"`` for a logo above the fold.
    ``frame``: classes of a box round the logo with the outlet's initial behind it,
    which shows while the logo loads or if it fails (``static/js/pictures.js``).
    """
    picture = with_class(logo_picture(provider, int(size), alt, story_images), css_class)
    placeholder = monogram(provider.name) if picture and frame else ""
    return img_html(picture, loading, frame=frame, placeholder=placeholder)
