"""Validate a file's mapping and turn it into a plain record for the writer.

Records are plain dicts (they cross process boundaries). Every rejection names
the field and says why; nothing here touches the database.
"""

import datetime as dt
import hashlib
import math
import pickle

from django.utils.text import slugify

from articles.identity import url_hash
from newsroom.http_urls import http_url

from .reading import InvalidFile
from .reading import describe_kind as _kind

INT_MIN, INT_MAX = -(2**31), 2**31 - 1
"""The range of an integer column on every database we support."""

NEWS_KEY_ORDER = [
    "category",
    "title",
    "excerpt",
    "publishedDateTime",
    "originalUrl",
    "webUrl",
    "ampWebUrl",
    "cdnAmpWebUrl",
    "type",
    "quality",
    "heat",
    "published",
    "provider",
    "topics",
    "images",
    "related",
    "secured",
]
"""A news file's known keys, in the seed files' order (the export writes this order)."""
NEWS_KEYS = frozenset(NEWS_KEY_ORDER)
IMAGE_KEYS = {"url", "width", "height", "title", "attribution", "isCached"}
RELATED_KEYS = {
    "title",
    "excerpt",
    "publishedDateTime",
    "webUrl",
    "originalUrl",
    "ampWebUrl",
    "cdnAmpWebUrl",
    "type",
    "quality",
    "provider",
    "images",
}
TOPIC_KEYS = {"taxonomy", "name", "parent", "description", "keywords", "hashtags"}
ORGANIZATION_KEYS = {"taxonomy", "name", "domain", "description", "images"}

MAX_SLUG = 200
MAX_SHORT_TEXT = 100
MAX_NAME = 200
MAX_DOMAIN = 253
MAX_PROVIDER_NAME = 500
"""Outlet names are indexed: PostgreSQL's btree refuses entries over ~2,700 bytes."""


def classify(data):
    """'news', 'topic', 'organization', or ('skip', reason) for other taxonomies."""
    taxonomy = data.get("taxonomy")
    if taxonomy is None:
        return "news"
    if taxonomy in ("topic", "organization"):
        return taxonomy
    return "skip", f"taxonomy {taxonomy!r} is not imported (only topic and organization)"


# --- news items ------------------------------------------------------------


def news_record(data, body, name):
    """Validate a news item's front matter; return the writer's record."""
    web_url = optional_url(data, "webUrl")
    original_url = optional_url(data, "originalUrl")
    identity = web_url if web_url is not None and web_url.strip() else original_url
    if identity is None or not identity.strip():
        raise InvalidFile("neither webUrl nor originalUrl is given: a story needs its URL")
    title = required_text(data, "title")
    quality = optional_int(data, "quality")
    if quality is not None and quality < 0:
        raise InvalidFile(f"quality: {quality} is negative; scores start at 0")
    published = data.get("published")
    if published is not None and not isinstance(published, bool):
        raise InvalidFile(f"published: {published!r} is not true or false")
    fields = {
        "title": title,
        "excerpt": optional_text(data, "excerpt") or "",
        "body": body,
        "category": optional_text(data, "category", MAX_SHORT_TEXT) or "",
        "type": optional_text(data, "type", MAX_SHORT_TEXT) or "",
        "published_at": required_datetime(data, "publishedDateTime"),
        "web_url": identity,
        "web_url_hash": url_hash(identity),
        "original_url": original_url,
        "amp_web_url": optional_url(data, "ampWebUrl"),
        "cdn_amp_web_url": optional_url(data, "cdnAmpWebUrl"),
        "heat": optional_int(data, "heat"),
        "secured": optional_text(data, "secured") or "",
        "extra": jsonable_extra(data, NEWS_KEYS, ""),
        "source_keys": list(data),
    }
    provider = provider_of(data)
    fields["provider_data"] = _check_jsonable(data["provider"], "provider")
    record = {
        "kind": "news",
        "name": name,
        "slug": slugify(name.rsplit(".", 1)[0])[:MAX_SLUG] or slugify(title)[:MAX_SLUG],
        "fields": fields,
        "published": published,
        "quality": quality,
        "provider": provider,
        "topics": topic_names(data),
        "images": images_of(data.get("images"), "images"),
        "related": related_of(data.get("related")),
    }
    record["fingerprint"] = fingerprint(record)
    return record


def fingerprint(record):
    """A hash of everything the file says except the editor-owned fields."""
    payload = {key: record[key] for key in ("fields", "provider", "topics", "images", "related")}
    # pickle is deterministic for the same values built the same way, and four
    # times cheaper than JSON here; a Python upgrade may count a changed file
    # as "updated" once.
    return hashlib.sha256(pickle.dumps(payload, protocol=5)).hexdigest()


def provider_of(data):
    provider = data.get("provider")
    if provider is None:
        raise InvalidFile("provider: missing (a mapping with the outlet's name and domain)")
    if not isinstance(provider, dict):
        raise InvalidFile(
            f"provider: must be a mapping with name and domain, not {_kind(provider)}"
        )
    domain = required_text(provider, "domain", MAX_DOMAIN, "provider.domain").strip().lower()
    if not domain or any(ch.isspace() for ch in domain) or "/" in domain:
        raise InvalidFile(f"provider.domain: {provider['domain']!r} is not a domain name")
    name = optional_text(provider, "name", MAX_PROVIDER_NAME, "provider.name") or domain
    images = provider.get("images")
    if images is not None and not (
        isinstance(images, list) and all(isinstance(i, dict) for i in images)
    ):
        raise InvalidFile("provider.images: must be a list of mappings")
    _check_jsonable(provider, "provider")
    return {"domain": domain, "name": name, "images": images or []}


def topic_names(data):
    topics = data.get("topics")
    if topics is None:
        return []
    if not isinstance(topics, list):
        raise InvalidFile(f"topics: must be a list of topic names, not {_kind(topics)}")
    names = []
    for index, topic in enumerate(topics):
        if not isinstance(topic, str) or not topic.strip():
            raise InvalidFile(f"topics[{index}]: {topic!r} is not a topic name")
        topic = topic.strip()
        if len(topic) > MAX_NAME:
            raise InvalidFile(f"topics[{index}]: longer than {MAX_NAME} characters")
        if topic not in names:
            names.append(topic)
    return names


def images_of(images, where):
    if images is None:
        return []
    if not isinstance(images, list):
        raise InvalidFile(f"{where}: must be a list of images, not {_kind(images)}")
    result = []
    for index, image in enumerate(images):
        label = f"{where}[{index}]"
        if not isinstance(image, dict):
            raise InvalidFile(f"{label}: must be a mapping with a url, not {_kind(image)}")
        width = optional_int(image, "width", f"{label}.width")
        height = optional_int(image, "height", f"{label}.height")
        for key, value in (("width", width), ("height", height)):
            if value is not None and value < 0:
                raise InvalidFile(f"{label}.{key}: {value} is negative")
        is_cached = image.get("isCached")
        if is_cached is not None and not isinstance(is_cached, bool):
            raise InvalidFile(f"{label}.isCached: {is_cached!r} is not true or false")
        result.append(
            {
                "url": required_text(image, "url", None, f"{label}.url"),
                "width": width,
                "height": height,
                "title": optional_text(image, "title", None, f"{label}.title"),
                "attribution": optional_text(image, "attribution", None, f"{label}.attribution"),
                "is_cached": is_cached,
                "extra": jsonable_extra(image, IMAGE_KEYS, f"{label}."),
            }
        )
    return result


def related_of(related):
    if related is None:
        return []
    if not isinstance(related, list):
        raise InvalidFile(f"related: must be a list of stories, not {_kind(related)}")
    result = []
    for index, item in enumerate(related):
        label = f"related[{index}]"
        if not isinstance(item, dict):
            raise InvalidFile(f"{label}: must be a mapping, not {_kind(item)}")
        provider = item.get("provider")
        if provider is not None and not isinstance(provider, dict):
            raise InvalidFile(f"{label}.provider: must be a mapping, not {_kind(provider)}")
        images_of(item.get("images"), f"{label}.images")  # validates the shape
        web_url = optional_text(item, "webUrl", None, f"{label}.webUrl")
        result.append(
            {
                "title": optional_text(item, "title", None, f"{label}.title"),
                "excerpt": optional_text(item, "excerpt", None, f"{label}.excerpt"),
                "web_url": web_url,
                "web_url_hash": url_hash(web_url) if web_url else "",
                "original_url": optional_text(item, "originalUrl", None, f"{label}.originalUrl"),
                "amp_web_url": optional_text(item, "ampWebUrl", None, f"{label}.ampWebUrl"),
                "cdn_amp_web_url": optional_text(
                    item, "cdnAmpWebUrl", None, f"{label}.cdnAmpWebUrl"
                ),
                "published_at": optional_datetime(item, "publishedDateTime", label),
                "type": optional_text(item, "type", MAX_SHORT_TEXT, f"{label}.type"),
                "quality": optional_int(item, "quality", f"{label}.quality"),
                "provider": _check_jsonable(provider, f"{label}.provider"),
                "images": _check_jsonable(item.get("images"), f"{label}.images"),
                "extra": jsonable_extra(item, RELATED_KEYS, f"{label}."),
            }
        )
    return result


# --- taxonomy files ----------------------------------------------------------


def topic_record(data, name):
    topic_name = required_text(data, "name", MAX_NAME).strip()
    slug = data.get("_id")
    slug = slugify(slug) if isinstance(slug, str) and slugify(slug) else slugify(topic_name)
    parent = data.get("parent")
    if parent is not None and (not isinstance(parent, str) or not parent.strip()):
        raise InvalidFile(f"parent: {parent!r} is not a topic name")
    return {
        "kind": "topic",
        "name": name,
        "topic": {
            "name": topic_name,
            "slug": slug[:MAX_SLUG],
            "parent": parent.strip() if parent else None,
            "description": optional_text(data, "description") or "",
            "keywords": string_list(data, "keywords"),
            "hashtags": string_list(data, "hashtags"),
            "extra": jsonable_extra(data, TOPIC_KEYS, ""),
        },
    }


def organization_record(data, name):
    domain = required_text(data, "domain", MAX_DOMAIN).strip().lower()
    images = data.get("images")
    if images is not None and not (
        isinstance(images, list) and all(isinstance(i, dict) for i in images)
    ):
        raise InvalidFile("images: must be a list of mappings")
    _check_jsonable(images, "images")
    return {
        "kind": "organization",
        "name": name,
        "provider": {
            "domain": domain,
            "name": optional_text(data, "name", MAX_PROVIDER_NAME) or domain,
            "description": optional_text(data, "description") or "",
            "source_images": images or [],
            "extra": jsonable_extra(data, ORGANIZATION_KEYS, ""),
        },
    }


# --- field helpers -------------------------------------------------------------


def required_text(data, key, max_length=None, label=None):
    value = optional_text(data, key, max_length, label)
    if value is None or not value.strip():
        raise InvalidFile(f"{label or key}: missing")
    return value


def optional_text(data, key, max_length=None, label=None):
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise InvalidFile(f"{label or key}: must be text, not {_kind(value)} ({value!r})")
    if max_length and len(value) > max_length:
        raise InvalidFile(f"{label or key}: longer than {max_length} characters")
    return value


def optional_url(data, key):
    """A story URL: kept as written, but it must be http(s) to be a link at all."""
    value = optional_text(data, key)
    if value is None or not value.strip():
        return value
    if not http_url(value):
        raise InvalidFile(f"{key}: {value[:80]!r} is not an http(s) URL")
    return value


def optional_int(data, key, label=None):
    value = data.get(key)
    if value is None:
        return None
    label = label or key
    if isinstance(value, bool):
        raise InvalidFile(f"{label}: {value!r} is not a number")
    if isinstance(value, float):
        if not value.is_integer():
            raise InvalidFile(f"{label}: {value!r} is not a whole number")
        value = int(value)
    elif isinstance(value, str):
        try:
            value = int(value.strip())
        except ValueError:
            raise InvalidFile(f"{label}: {value[:40]!r} is not a number") from None
    elif not isinstance(value, int):
        raise InvalidFile(f"{label}: {value!r} is not a number")
    if not INT_MIN <= value <= INT_MAX:
        raise InvalidFile(f"{label}: {value} is out of range")
    return value


def required_datetime(data, key):
    value = optional_datetime(data, key, "")
    if value is None:
        raise InvalidFile(f"{key}: missing")
    return value


def optional_datetime(data, key, where):
    """A YAML timestamp or ISO text; no zone means UTC, a bare date means midnight UTC."""
    value = data.get(key)
    label = f"{where}.{key}" if where else key
    if value is None:
        return None
    if isinstance(value, str):
        text = value.strip()
        try:
            value = dt.datetime.fromisoformat(text)
        except ValueError:
            try:
                value = dt.date.fromisoformat(text)
            except ValueError:
                raise InvalidFile(f"{label}: {value[:40]!r} is not a date and time") from None
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        try:
            return value.astimezone(dt.UTC)
        except OverflowError:  # 0001-01-01T00:00+01:00 is before year 1 in UTC
            raise InvalidFile(f"{label}: {value.isoformat()} is out of range") from None
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day, tzinfo=dt.UTC)
    raise InvalidFile(f"{label}: {value!r} is not a date and time")


def string_list(data, key):
    value = data.get(key)
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise InvalidFile(f"{key}: must be a list of text values")
    return value


def jsonable_extra(data, known, label_prefix):
    """The keys the model does not know, made storable as JSON."""
    extra = {key: value for key, value in data.items() if key not in known}
    for key, value in extra.items():
        extra[key] = _check_jsonable(value, f"{label_prefix}{key}")
    return extra


def _check_jsonable(value, label):
    """Return ``value`` as JSON can hold it (dates become ISO text); refuse the rest."""
    if value is None or isinstance(value, str | bool | int | float):
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) > 2**63:
            raise InvalidFile(f"{label}: {value} is too large a number")
        if isinstance(value, float) and not math.isfinite(value):
            # JSON has no NaN or infinity; PostgreSQL's jsonb refuses them.
            raise InvalidFile(f"{label}: {value} is not a number JSON can hold")
        return value
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat().replace("+00:00", "Z")
    if isinstance(value, list):
        return [_check_jsonable(item, f"{label}[{i}]") for i, item in enumerate(value)]
    if isinstance(value, dict):
        result = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise InvalidFile(f"{label}: key {key!r} is not text")
            result[key] = _check_jsonable(item, f"{label}.{key}")
        return result
    raise InvalidFile(f"{label}: {_kind(value)} values cannot be stored")
