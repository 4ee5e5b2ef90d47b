"""The reference ``newsroom`` library: the site's, with the cards' and pager's tags as they were."""

from django import template

from articles.templatetags import newsroom as live

from . import cards

register = template.Library()
register.tags.update(live.register.tags)
register.filters.update(live.register.filters)
register.simple_tag(cards.story_cards, name="story_cards")


@register.filter
def rough_pages_of(number, paginator):
    """How many pages ``paginator`` has, as page ``number`` may state it (``CappedPaginator``)."""
    return paginator.rough_pages(number)
