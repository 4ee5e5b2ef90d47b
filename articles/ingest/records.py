"""Validate a file's mapping and turn it into a plain record for the writer.

Records are plain dicts (they cross process boundaries). Every rejection names
the field and says why; nothing here touches the database.
"""

import datetime as dt
import hashlib
import math
import pickle
from typing import NamedTuple

from django.core.exceptions import ValidationError

from articles import seed_format, validators
from articles.identity import url_hash
from articles.slugs import story_slug_base, topic_slug_base
from newsroom.http_urls import http_url

from .reading import InvalidFile
from .reading import describe_kind as _kind

JSON_INT_MIN, JSON_INT_MAX = -(2**63), 2**63 - 1
"""The integers a kept JSON value may hold: SQLite's JSON functions read any integer
outside the signed 64-bit range as a float, so it would not come back the same."""

NEWS_KEYS = frozenset(key.name for key in seed_format.NEWS)
IMAGE_KEYS = frozenset(key.name for key in seed_format.IMAGE)
RELATED_KEYS = frozenset(key.name for key in seed_format.RELATED)

MAX_NAME = 200
MAX_DOMAIN = validators.MAX_DOMAIN
MAX_PROVIDER_NAME = validators.MAX_PROVIDER_NAME


class Kind(NamedTuple):
    """What a file holds: ``name`` is 'news', 'topic', 'organization' or 'skip'."""

    name: str
    reason: str = ""
    """Why a 'skip' file is not imported."""


def classify(data):
    """The :class:`Kind` of a file's mapping; taxonomies other than ours are skipped."""
    taxonomy = data.get("taxonomy")
    if taxonomy is None:
        return Kind("news")
    if taxonomy in ("topic", "organization"):
        return Kind(taxonomy)
    return Kind("skip", f"taxonomy {taxonomy!r} is not imported (only topic and organization)")


# --- news items ------------------------------------------------------------


def news_record(data, body, name):
    """Validate a news item's front matter; return the writer's record."""
    fields = read_values(data, seed_format.NEWS, "")
    web_url, original_url = fields["web_url"], fields["original_url"]
    identity = web_url if web_url is not None and web_url.strip() else original_url
    if identity is None or not identity.strip():
        raise InvalidFile("neither webUrl nor originalUrl is given: a story needs its URL")
    # Editors own these two: the writer weighs them against what an import set before.
    quality, published = fields.pop("quality"), fields.pop("published")
    fields.update(
        body=body,
        web_url=identity,
        web_url_hash=url_hash(identity),
        extra=jsonable_extra(data, NEWS_KEYS, ""),
        source_keys=list(data),
    )
    provider = provider_of(data)
    fields["provider_data"] = _check_jsonable(data["provider"], "provider")
    record = {
        "kind": "news",
        "name": name,
        "slug": story_slug_base(name, fields["title"], identity),
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
    # times cheaper than JSON here; a Python upgrade, or a change to the order of
    # seed_format's tables, may count a changed file as "updated" once.
    return hashlib.sha256(pickle.dumps(payload, protocol=5)).hexdigest()


def provider_of(data):
    provider = data.get("provider")
    if provider is None:
        raise InvalidFile("provider: missing (a mapping with the outlet's name and domain)")
    if not isinstance(provider, dict):
        raise InvalidFile(
            f"provider: must be a mapping with name and domain, not {_kind(provider)}"
        )
    domain = required_domain(provider, "provider.domain")
    name = optional_text(provider, "name", MAX_PROVIDER_NAME, "provider.name") or domain
    images = provider.get("images")
    if images is not None and not (
        isinstance(images, list) and all(isinstance(i, dict) for i in images)
    ):
        raise InvalidFile("provider.images: must be a list of mappings")
    _check_jsonable(provider, "provider")
    return {"domain": domain, "name": name, "images": images or []}


def _list(items, where, nouns):
    """``items`` as a list: absent is empty, anything but a list an error naming ``where``."""
    if items is None:
        return []
    if not isinstance(items, list):
        raise InvalidFile(f"{where}: must be a list of {nouns}, not {_kind(items)}")
    return items


def topic_names(data):
    names = []
    for index, topic in enumerate(_list(data.get("topics"), "topics", "topic names")):
        if not isinstance(topic, str) or not topic.strip():
            raise InvalidFile(f"topics[{index}]: {topic!r} is not a topic name")
        topic = topic.strip()
        if len(topic) > MAX_NAME:
            raise InvalidFile(f"topics[{index}]: longer than {MAX_NAME} characters")
        if topic not in names:
            names.append(topic)
    return names


def _mappings(items, where, nouns, mapping):
    """(label, item) for each of a list of mappings; absent is empty, a wrong shape an error."""
    labelled = []
    for index, item in enumerate(_list(items, where, nouns)):
        label = f"{where}[{index}]"
        if not isinstance(item, dict):
            raise InvalidFile(f"{label}: must be {mapping}, not {_kind(item)}")
        labelled.append((label, item))
    return labelled


def images_of(images, where):
    result = []
    for label, image in _mappings(images, where, "images", "a mapping with a url"):
        values = read_values(image, seed_format.IMAGE, f"{label}.")
        values["extra"] = jsonable_extra(image, IMAGE_KEYS, f"{label}.")
        result.append(values)
    return result


def related_of(related):
    result = []
    for label, item in _mappings(related, "related", "stories", "a mapping"):
        provider = item.get("provider")
        if provider is not None and not isinstance(provider, dict):
            raise InvalidFile(f"{label}.provider: must be a mapping, not {_kind(provider)}")
        images_of(item.get("images"), f"{label}.images")  # validates the shape
        values = read_values(item, seed_format.RELATED, f"{label}.")
        values["web_url_hash"] = url_hash(values["web_url"]) if values["web_url"] else ""
        values["provider"] = _check_jsonable(provider, f"{label}.provider")
        values["images"] = _check_jsonable(item.get("images"), f"{label}.images")
        values["extra"] = jsonable_extra(item, RELATED_KEYS, f"{label}.")
        result.append(values)
    return result


# --- taxonomy files ----------------------------------------------------------


def topic_record(data, name):
    topic_name = required_text(data, "name", MAX_NAME).strip()
    parent = data.get("parent")
    if parent is not None and (not isinstance(parent, str) or not parent.strip()):
        raise InvalidFile(f"parent: {parent!r} is not a topic name")
    return {
        "kind": "topic",
        "name": name,
        "topic": {
            "name": topic_name,
            "slug": topic_slug_base(topic_name, data.get("_id")),
            "parent": parent.strip() if parent else None,
            "description": optional_text(data, "description") or "",
            "keywords": string_list(data, "keywords"),
            "hashtags": string_list(data, "hashtags"),
            "extra": jsonable_extra(data, seed_format.TOPIC_FIELDS, ""),
        },
    }


def organization_record(data, name):
    domain = required_domain(data, "domain")
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
            "extra": jsonable_extra(data, seed_format.ORGANIZATION_FIELDS, ""),
        },
    }


# --- field helpers -------------------------------------------------------------


def read_values(data, keys, prefix):
    """The plain values of ``keys`` (a seed_format table) by model field, in table order.

    Nested keys are left to their own readers; ``prefix`` names where the mapping
    is (``related[2].``) in messages.
    """
    values = {}
    for key in keys:
        if key.kind == seed_format.NESTED:
            continue
        label = f"{prefix}{key.name}"
        value = _READERS[key.kind](data, key, label)
        if key.required and (value is None or (isinstance(value, str) and not value.strip())):
            raise InvalidFile(f"{label}: missing")
        if key.validator is not None:
            checked(value, key.validator, label)
        values[key.field] = key.absent if value is None else value
    return values


def required_text(data, key, max_length=None, label=None):
    value = optional_text(data, key, max_length, label)
    if value is None or not value.strip():
        raise InvalidFile(f"{label or key}: missing")
    return value


def required_domain(data, label):
    """The outlet's domain, normalised and checked as the admin and the model check it."""
    key = label.rsplit(".", 1)[-1]
    domain = validators.normalise_domain(required_text(data, key, MAX_DOMAIN, label))
    return checked(domain, validators.validate_domain, label)


def checked(value, validator, label):
    """``value`` if the field's shared validator (``articles.validators``) accepts it."""
    try:
        validator(value)
    except ValidationError as error:
        raise InvalidFile(f"{label}: {validators.messages_of(error)}") from None
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


def optional_url(data, key, label=None):
    """A story URL: kept as written, but it must be http(s) to be a link at all."""
    value = optional_text(data, key, None, label)
    if value is None or not value.strip():
        return value
    if not http_url(value):
        raise InvalidFile(f"{label or key}: {value[:80]!r} is not an http(s) URL")
    return value


def optional_bool(data, key, label=None):
    value = data.get(key)
    if value is not None and not isinstance(value, bool):
        raise InvalidFile(f"{label or key}: {value!r} is not true or false")
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
    return checked(value, validators.INTEGER, label)


def optional_datetime(data, key, label=None):
    """A YAML timestamp or ISO text; no zone means UTC, a bare date means midnight UTC."""
    value = data.get(key)
    label = label or key
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


_READERS = {
    seed_format.TEXT: lambda data, key, label: optional_text(data, key.name, key.max_length, label),
    seed_format.URL: lambda data, key, label: optional_url(data, key.name, label),
    seed_format.INT: lambda data, key, label: optional_int(data, key.name, label),
    seed_format.BOOL: lambda data, key, label: optional_bool(data, key.name, label),
    seed_format.TIMESTAMP: lambda data, key, label: optional_datetime(data, key.name, label),
}
"""How each kind of seed_format value is read and checked."""


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
        is_int = isinstance(value, int) and not isinstance(value, bool)
        if is_int and not JSON_INT_MIN <= value <= JSON_INT_MAX:
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
