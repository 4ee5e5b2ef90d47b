"""The reference story cards: ``articles/cards.py`` as it was (its picture through a template).

A card was an ``{% include %}`` per story with two more inside it: about 0.6 ms
a card, 12 ms of a 45 ms list page, spent resolving template variables. Here the
list is one function and a card one f-string; the HTML is the same, byte for
byte, as the templates wrote it (``articles/tests/test_public_cards.py``
shows each part). A card's picture still goes through ``{% story_image %}``'s
template (``includes/picture_img.html``), the one ``<img>`` every page writes.
"""

from django.template.defaultfilters import date
from django.template.loader import get_template
from django.utils.formats import localize
from django.utils.html import conditional_escape as esc
from django.utils.safestring import mark_safe
from django.utils.timezone import template_localtime

from articles.pictures import card_loading, card_priority, lead_image
from articles.search import safe_headline

from .story_images import story_image

FEATURED_FLAG = '<p class="card__flag">Featured</p>'


def story_cards(stories, featured=False):
    """The cards of ``stories``; the main list's first ones load their pictures first."""
    return mark_safe(  # noqa: S308  # every value is escaped in story_card
        "".join(
            story_card(story, None if featured else position, featured)
            for position, story in enumerate(stories, start=1)
        )
    )


def story_card(article, position=None, featured=False):
    """One ``<article class="card">``: picture, title, outlet, date, scores, excerpt, topics."""
    url = esc(article.get_absolute_url())
    provider = esc(str(article.provider))
    image = lead_image(article.images.all())
    title = getattr(article, "title_headline", None)
    title = safe_headline(title) if title else esc(article.title)
    published = template_localtime(article.published_at)
    meta = [
        f'<a href="{esc(article.provider.get_absolute_url())}">{provider}</a>',
        f'· <time datetime="{esc(date(published, "c"))}">{esc(date(published, "j M Y"))}</time>',
        _score("Editorial quality score", "Quality", article.quality),
        _score("Popularity at the source", "Heat", article.heat),
    ]
    meta = "\n      ".join(meta)
    return (
        f'<article class="card{" card--with-image" if image else ""}">\n  '
        f"{_picture(url, provider, image, position) if image else ''}\n"
        '  <div class="card__body">\n'
        f"    {FEATURED_FLAG if featured else ''}\n"
        f'    <h2 class="card__title"><a href="{url}">{title}</a></h2>\n'
        f'    <p class="meta">\n      {meta}\n    </p>\n'
        f"    {_coverage(url, getattr(article, 'other_outlets', None))}\n"
        f'    <p class="card__excerpt">\n{_excerpt(article)}\n</p>\n'
        f"    {_topics(article.topics.all())}\n"
        "  </div>\n</article>\n"
    )


def _score(title, name, value):
    if value is None:
        return ""
    return f'· <span title="{title}">{name} {esc(localize(value))}</span>'


def _coverage(url, others):
    if not others:
        return ""
    plural = "" if others == 1 else "s"
    return (
        f'<p class="card__coverage"><a href="{url}#coverage">'
        f"Also reported by {esc(localize(others))} outlet{plural}</a></p>"
    )


def _excerpt(article):
    """A search's matching passage (its marks kept), else the excerpt."""
    headline = getattr(article, "headline", None)
    return safe_headline(headline) if headline else esc(article.excerpt)


def _topics(topics):
    if not topics:
        return ""
    items = "".join(
        f'<li><a href="{esc(topic.get_absolute_url())}">{esc(topic.name)}</a></li>'
        for topic in topics
    )
    return f'\n    <ul class="tags" aria-label="Topics">{items}</ul>\n    '


def _picture(url, provider, image, position):
    """The card's picture, linked; the outlet's name shows while it loads or if it fails.

    The first cards are above the fold (eager, the first one first); the rest load
    lazily (static/js/pictures.js shows the name behind a picture that fails).
    """
    picture = story_image(
        image,
        640,
        "",
        "card__img",
        card_loading(position),
        card_priority(position),
    )
    img = get_template("includes/picture_img.html").render(picture)
    return (
        f'\n  \n  <a class="card__image picture-frame" href="{url}" tabindex="-1"'
        f' aria-hidden="true"><span class="picture-frame__placeholder">{provider}</span>'
        f"{img}\n</a>\n  "
    )
