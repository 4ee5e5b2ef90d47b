"""``{% topic_picture topic 64 frame="logo" %}``: a topic's picture as one ``<img>``, or nothing.

The topics' counterpart of ``{% provider_logo %}``: the same ``<img>``
(``images.pictures.img_html``), the same frame with the topic's initial behind it
while it loads or if it fails.
"""

from django import template

from articles.pictures import topic_picture as picture_of_topic
from images.pictures import img_html, monogram, with_class

register = template.Library()


@register.simple_tag
def topic_picture(topic, size=64, css_class=None, frame=None, loading="lazy"):
    picture = with_class(picture_of_topic(topic, int(size)), css_class)
    placeholder = monogram(topic.name) if picture and frame else ""
    return img_html(picture, loading, frame=frame, placeholder=placeholder)
