"""A list's story card, whole: what articles/cards.py writes for each kind of story."""

import datetime as dt
import re

import pytest

from articles.tests.factories import (
    ArticleFactory,
    ArticleImageFactory,
    ProviderFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db

WHEN = dt.datetime(2024, 3, 5, 14, 30, tzinfo=dt.UTC)


def cards_of(html):
    return re.findall(r'<article class="card[^"]*">.*?</article>\n', html, re.S)


def test_a_card_with_a_picture_topics_and_scores(client):
    story = ArticleFactory(
        slug="chips",
        title="Chips <fast> & cheap",
        excerpt="Two lines & more.",
        published_at=WHEN,
        quality=None,
        heat=1200,
        provider=ProviderFactory(domain="daily.example", name="The Daily <D>"),
        topics=[TopicFactory(name="Chips", slug="chips"), TopicFactory(name="AI & ML", slug="ai")],
    )
    ArticleImageFactory(article=story, url="https://img.example/a.jpg", width=1200, height=630)
    [card] = cards_of(client.get("/").content.decode())
    assert card == (
        '<article class="card card--with-image">\n  \n  \n'
        '  <a class="card__image picture-frame" href="/articles/chips/" tabindex="-1"'
        ' aria-hidden="true"><span class="picture-frame__placeholder">The Daily &lt;D&gt;</span>'
        '<img src="https://img.example/a.jpg" width="640" height="336" alt=""'
        ' class="card__img" loading="eager" fetchpriority="high" decoding="async">\n\n</a>\n  \n'
        '  <div class="card__body">\n    \n'
        '    <h2 class="card__title"><a href="/articles/chips/">'
        "Chips &lt;fast&gt; &amp; cheap</a></h2>\n"
        '    <p class="meta">\n'
        '      <a href="/providers/daily.example/">The Daily &lt;D&gt;</a>\n'
        '      · <time datetime="2024-03-05T14:30:00+00:00">5 Mar 2024</time>\n'
        "      \n"
        '      · <span title="Popularity at the source">Heat 1200</span>\n'
        "    </p>\n    \n"
        '    <p class="card__excerpt">\nTwo lines &amp; more.\n</p>\n    \n'
        '    <ul class="tags" aria-label="Topics"><li><a href="/topics/chips/">Chips</a></li>'
        '<li><a href="/topics/ai/">AI &amp; ML</a></li></ul>\n    \n'
        "  </div>\n</article>\n"
    )


def test_a_plain_card(client):
    ArticleFactory(slug="plain", title="Plain", excerpt="", published_at=WHEN, quality=7, heat=None)
    [card] = cards_of(client.get("/").content.decode())
    assert card.startswith('<article class="card">\n  \n  <div class="card__body">\n    \n')
    assert '<span title="Editorial quality score">Quality 7</span>\n      \n    </p>' in card
    assert card.endswith('<p class="card__excerpt">\n\n</p>\n    \n  </div>\n</article>\n')
