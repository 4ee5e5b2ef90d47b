"""The reference ``{% topic_picture %}``: as it was, through ``includes/picture_img.html``."""

from django import template

from articles.pictures import topic_picture as picture_of_topic
from images.pictures import monogram, with_class

register = template.Library()


@register.inclusion_tag("includes/picture_img.html")
def topic_picture(topic, size=64, css_class=None, frame=None, loading="lazy"):
    picture = with_class(picture_of_topic(topic, int(size)), css_class)
    placeholder = monogram(topic.name) if picture and frame else ""
    return {"picture": picture, "loading": loading, "frame": frame, "placeholder": placeholder}
