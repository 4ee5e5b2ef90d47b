"""Addresses that are valid (issue 15, item 6): every ``href``, ``src``, ``srcset``
candidate and ``og:image`` on every kind of public page is a valid URL, whatever the
stored URL held (a space, a non-ASCII letter)."""

import re
from html.parser import HTMLParser

import pytest

from . import factories
from .demo_site import NOT_FOUND, public_pages

pytestmark = pytest.mark.django_db

VALID_URL = re.compile(r"(?:[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})+")
"""RFC 3986's characters, and ``%`` only before two hex digits."""
DESCRIPTOR = re.compile(r"\s+\d+(?:\.\d+)?[wx]$")
"""A ``srcset`` candidate's width or density, after its URL."""
SPACED = "https://img.example/a picture é.jpg"


class Addresses(HTMLParser):
    """Every address a page's tags hold, as (tag, attribute, address)."""

    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name in ("href", "src", "action"):
            if attributes.get(name) is not None:
                self.found.append((tag, name, attributes[name]))
        for candidate in (attributes.get("srcset") or "").split(","):
            if candidate.strip():
                self.found.append((tag, "srcset", DESCRIPTOR.sub("", candidate.strip())))
        if tag == "meta" and (attributes.get("property") or "").endswith((":image", ":url")):
            self.found.append((tag, attributes["property"], attributes.get("content") or ""))


def addresses(html):
    parser = Addresses()
    parser.feed(html)
    return parser.found


@pytest.fixture
def hostile_addresses(demo):
    """Stored URLs a page must encode: a story's picture and related link, an outlet's
    logo and a topic's picture, each with a space and a non-ASCII letter."""
    outlet = factories.ProviderFactory(domain="spaced.example", source_images=[{"url": SPACED}])
    topic = factories.TopicFactory(name="Spaced", slug="spaced", extra={"images": [SPACED]})
    story = factories.ArticleFactory(
        provider=outlet, topics=[topic], web_url="https://x.example/é b"
    )
    factories.ArticleImageFactory(article=story, url=SPACED)
    factories.RelatedLinkFactory(article=story, web_url="https://x.example/a b?q=1 2")
    return [story.get_absolute_url(), outlet.get_absolute_url(), topic.get_absolute_url()]


def test_every_address_on_every_page_is_a_valid_url(client, hostile_addresses):
    invalid = []
    checked = 0
    for path in [*public_pages(), *hostile_addresses]:
        response = client.get(path)
        assert response.status_code == (404 if path == NOT_FOUND else 200), path
        for tag, attribute, address in addresses(response.content.decode()):
            checked += 1
            if not VALID_URL.fullmatch(address):
                invalid.append(f"{path}: <{tag} {attribute}={address!r}>")
    assert invalid == []
    assert checked > 500  # the pages were read, not skipped


def test_an_invalid_address_is_caught():
    """The check above can fail: a space or a bare non-ASCII letter is refused."""
    found = addresses(f'<img src="{SPACED}" srcset="/a.webp 1x, /b é.webp 2x"><a href="%zz">')
    assert [bool(VALID_URL.fullmatch(address)) for *_, address in found] == [
        False,
        True,
        False,
        False,
    ]
