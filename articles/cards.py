"""The story cards of every list page, written in Python in one loop.

A card was an ``{% include %}`` per story with two more inside it: about 0.6 ms
a card, 12 ms of a 45 ms list page, spent resolving template variables. Here the
list is one function and a card one f-string; the HTML is the same, byte for
byte, as the templates wrote it (``articles/tests/test_public_cards.py``
shows each part, ``test_list_page_bytes.py`` whole pages). What Django's ``date``
filter, ``localize`` and ``conditional_escape`` did per value (a third of a card's
time) is done here for the values a card has: its dates in the current time zone,
whole numbers, text.
"""

from django.conf import settings
from django.utils import timezone
from django.utils.dates import MONTHS_3
from django.utils.formats import localize
from django.utils.safestring import SafeString

from images.pictures import img_html
from newsroom.formrender import escaped as esc

from .pictures import card_loading, card_priority, lead_image
from .search import safe_headline
from .templatetags.story_images import picture_of

FEATURED_FLAG = '<p class="card__flag">Featured</p>'
CARD_FIELDS = (
    *("slug", "title", "excerpt", "published_at", "quality", "heat"),
    *("provider__name", "provider__domain"),
)
"""The story's and outlet's columns a card shows: a list kept compiled loads only these
(``QuerySet.only``), not the body, the source's JSON and the bookkeeping of each row."""


def story_cards(stories, featured=False):
    """The cards of ``stories``; the main list's first ones load their pictures first."""
    zone = timezone.get_current_timezone() if settings.USE_TZ else None
    seen = {}  # one list's links and month names, which its cards share (see story_card)
    return SafeString(  # every value is escaped in story_card
        "".join(
            story_card(story, None if featured else position, featured, zone, seen)
            for position, story in enumerate(stories, start=1)
        )
    )


def story_card(article, position=None, featured=False, zone=None, seen=None):
    """One ``<article class="card">``: picture, title, outlet, date, scores, excerpt, topics.

    ``zone``: the time zone dates are shown in (the current one, as templates show them);
    ``seen``: what the cards of one list (one request) share, worked out once: an
    outlet's or a topic's escaped link, a month's name in the current language.
    """
    seen = {} if seen is None else seen
    url = esc(article.get_absolute_url())
    provider = esc(str(article.provider))
    image = lead_image(_related(article, "images"))
    title = getattr(article, "title_headline", None)
    title = safe_headline(title) if title else esc(article.title)
    published = article.published_at
    if zone is not None and timezone.is_aware(published):
        published = published.astimezone(zone)  # as template_localtime does
    meta = [
        f'<a href="{_link(seen, article.provider)}">{provider}</a>',
        f'· <time datetime="{esc(published.isoformat())}">{esc(_day(published, seen))}</time>',
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
        f"    {_topics(_related(article, 'topics'), seen)}\n"
        "  </div>\n</article>\n"
    )


def _related(article, name):
    """``article.<name>.all()``: the prefetched rows, without making a related manager
    for each card (a third of a card's time); a relation not prefetched is asked as usual."""
    rows = getattr(article, "_prefetched_objects_cache", {}).get(name)
    return getattr(article, name).all() if rows is None else rows


def _link(seen, obj):
    """``obj.get_absolute_url()``, escaped, once per list for each outlet or topic."""
    key = (type(obj), obj.pk)
    link = seen.get(key)
    if link is None:
        link = seen[key] = esc(obj.get_absolute_url())
    return link


def _day(moment, seen=None):
    """``{{ moment|date:"j M Y" }}``: the day, the month's abbreviation (translated), the year."""
    seen = {} if seen is None else seen
    month = seen.get(("month", moment.month))
    if month is None:
        month = seen[("month", moment.month)] = MONTHS_3[moment.month].title()
    return f"{moment.day} {month} {moment.year:04d}"


def _number(value):
    """``localize(value)``: a whole number's digits unless thousands are separated."""
    if type(value) is int and not settings.USE_THOUSAND_SEPARATOR:
        return str(value)
    return esc(localize(value))


def _score(title, name, value):
    if value is None:
        return ""
    return f'· <span title="{title}">{name} {_number(value)}</span>'


def _coverage(url, others):
    if not others:
        return ""
    plural = "" if others == 1 else "s"
    return (
        f'<p class="card__coverage"><a href="{url}#coverage">'
        f"Also reported by {_number(others)} outlet{plural}</a></p>"
    )


def _excerpt(article):
    """A search's matching passage (its marks kept), else the excerpt."""
    headline = getattr(article, "headline", None)
    return safe_headline(headline) if headline else esc(article.excerpt)


def _topics(topics, seen):
    if not topics:
        return ""
    items = "".join(
        f'<li><a href="{_link(seen, topic)}">{esc(topic.name)}</a></li>' for topic in topics
    )
    return f'\n    <ul class="tags" aria-label="Topics">{items}</ul>\n    '


def _picture(url, provider, image, position):
    """The card's picture, linked; the outlet's name shows while it loads or if it fails.

    The first cards are above the fold (eager, the first one first); the rest load
    lazily (static/js/pictures.js shows the name behind a picture that fails).
    """
    picture = picture_of(image, 640, "", "card__img")
    img = img_html(picture, card_loading(position), card_priority(position))
    return (
        f'\n  \n  <a class="card__image picture-frame" href="{url}" tabindex="-1"'
        f' aria-hidden="true"><span class="picture-frame__placeholder">{provider}</span>'
        f"{img}\n</a>\n  "
    )
