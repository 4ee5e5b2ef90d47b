"""The reference ``newsroom`` template library: the site's, with the cards as they were."""

from django import template

from articles.templatetags import newsroom as live

from . import cards

register = template.Library()
register.tags.update(live.register.tags)
register.filters.update(live.register.filters)
register.simple_tag(cards.story_cards, name="story_cards")
