"""The seed format: the keys of news, image, related-story and taxonomy mappings.

For each key: how the files spell it, the model field that keeps it, how its value
is read, whether the files quote it, and whether the JSON API shows it. The
importer reads these tables to know the keys and where each value goes, the
exporter to write them back in the seed files' order and quoting, and the API to
build its items; a new key is one line here (and its model field).
"""

import datetime as dt
from dataclasses import dataclass

from articles import validators

TEXT, URL, INT, BOOL, TIMESTAMP, NESTED = "text", "url", "int", "bool", "timestamp", "nested"
"""How a value is read: ``URL`` is text that must be an http(s) address; ``NESTED``
values (provider, topics, images, related) have their own readers and writers."""

MAX_SHORT_TEXT = 100
"""``category`` and ``type``: short labels, kept in indexed-size columns."""


@dataclass(frozen=True)
class Key:
    name: str
    """As the files spell it (camelCase)."""
    field: str
    """The model field that keeps the value."""
    kind: str = TEXT
    quoted: bool = False
    """The seed files write the value in double quotes."""
    required: bool = False
    max_length: int | None = None
    absent: object = None
    """What the field holds when the file lacks the key ("" for a text column without NULL)."""
    api: bool = True
    """The JSON API's items show the value under this name."""
    validator: object = None
    """The field's one check (``articles.validators``), shared with the admin and the model."""


NEWS = (
    # The API shows the category as a one-item list, "categories".
    Key("category", "category", max_length=MAX_SHORT_TEXT, absent="", api=False),
    Key("title", "title", quoted=True, required=True),
    Key("excerpt", "excerpt", quoted=True, absent=""),
    Key("publishedDateTime", "published_at", TIMESTAMP, required=True),
    Key("originalUrl", "original_url", URL, quoted=True),
    Key("webUrl", "web_url", URL, quoted=True),
    Key("ampWebUrl", "amp_web_url", URL, quoted=True),
    Key("cdnAmpWebUrl", "cdn_amp_web_url", URL, quoted=True),
    Key("type", "type", max_length=MAX_SHORT_TEXT, absent=""),
    Key("quality", "quality", INT, api=False, validator=validators.QUALITY),
    Key("heat", "heat", INT, validator=validators.HEAT),
    Key("published", "published", BOOL, api=False),
    Key("provider", "provider", NESTED),
    Key("topics", "topics", NESTED),
    Key("images", "images", NESTED),
    Key("related", "related_links", NESTED, api=False),
    Key("secured", "secured", quoted=True, absent="", api=False),  # never shown publicly
)
"""A news file's keys, in the seed files' order (the export writes this order)."""

IMAGE = (
    Key("url", "url", quoted=True, required=True),
    Key("width", "width", INT, validator=validators.SIZE),
    Key("height", "height", INT, validator=validators.SIZE),
    Key("title", "title", quoted=True),
    Key("attribution", "attribution", quoted=True),
    Key("isCached", "is_cached", BOOL),
)
"""An image's keys (a story's images, and images kept as JSON), in the seed order."""

RELATED = (
    # URLs of related stories are kept as written, dirty or not: pages check them.
    Key("title", "title", quoted=True),
    Key("excerpt", "excerpt", quoted=True),
    Key("publishedDateTime", "published_at", TIMESTAMP),
    Key("originalUrl", "original_url", quoted=True),
    Key("webUrl", "web_url", quoted=True),
    Key("ampWebUrl", "amp_web_url", quoted=True),
    Key("cdnAmpWebUrl", "cdn_amp_web_url", quoted=True),
    Key("type", "type", max_length=MAX_SHORT_TEXT),
    Key("provider", "provider", NESTED),
    Key("quality", "quality", INT),
    Key("images", "images", NESTED),
)
"""A related story's keys, in the seed order."""

PROVIDER_ORDER = ("name", "domain", "images")
"""A story's provider mapping, in the seed order (kept as given, as JSON)."""

TOPIC_FIELDS = frozenset({"taxonomy", "name", "parent", "description", "keywords", "hashtags"})
"""Topic-file keys the model keeps in fields; the rest go to ``extra``."""
TOPIC_ORDER = ("taxonomy", "_id", "name", "shortname", "parent", "description")
TOPIC_TAIL = ("keywords", "hashtags", "images", "services")
"""A topic file's key order: ``TOPIC_ORDER``, then unknown keys, then ``TOPIC_TAIL``."""

ORGANIZATION_FIELDS = frozenset({"taxonomy", "name", "domain", "description", "images"})
ORGANIZATION_ORDER = ("taxonomy", "_id", "name", "otherNames", "domain", "description", "images")
"""An organization file's key order; unknown keys follow."""

_API_ORIGINAL_ORDER = (
    "path",
    "title",
    "excerpt",
    "sourceUrl",
    "webUrl",
    "originalUrl",
    "featuredContent",
    "highlight",
    "heat",
    "tags",
    "images",
    "content",
    "type",
    "ampWebUrl",
    "cdnAmpWebUrl",
    "publishedDateTime",
    "updatedDateTime",
    "provider",
    "locale",
    "categories",
    "topics",
)
API_ITEM_KEYS = _API_ORIGINAL_ORDER + tuple(
    key.name for key in NEWS if key.api and key.name not in _API_ORIGINAL_ORDER
)
"""The JSON API item's keys: the original site's, in its order, then any news key the
API shows that the original lacked. Keys that are neither a news key nor built by the
API itself come from the story's ``extra`` (null when the file had none)."""

API_ADDED_KEYS = ("corrections",)
"""Keys the API adds after the original's, which its clients can ignore (docs/api.md):
not in any seed file, so neither the importer nor the exporter reads them."""


def format_timestamp(value):
    """``2021-05-19T03:20:00Z``: the seed files' form, for the export and the API alike.

    UTC with a ``Z``; fractions of a second only when there are some, so no instant
    is rounded. A timestamp without a zone (one kept in ``extra``) stays without.
    """
    if value.tzinfo is None:
        return value.isoformat()
    return value.astimezone(dt.UTC).replace(tzinfo=None).isoformat() + "Z"
