"""Stories, topics and outlets back to the mappings their files held.

The importer keeps what it needs for this: the file's top-level keys in order
(``Article.source_keys``), the provider mapping as given (``provider_data``),
unknown keys (``extra``), and NULL where a key was absent. A key the source did
not have stays absent, unless the value has since been set (by an editor, or on
a story made in the CMS), which is the only way the database can tell.
"""

import datetime as dt
import re

from articles import seed_format
from articles.slugs import readable_slug

from .yamltext import Quoted

NEWS_ORDER = [key.name for key in seed_format.NEWS]

# What the importer makes of a YAML timestamp kept in ``extra`` (records._check_jsonable).
_ISO_TIMESTAMP = re.compile(
    r"\d{4}-\d\d-\d\d(T\d\d:\d\d:\d\d(\.\d{1,6})?(Z|[+-]\d\d:\d\d)?)?", re.ASCII
)


def article_document(article, topic_names):
    """The front matter of a story as an ordered mapping, plus its body.

    ``article`` comes with ``provider``, ``images`` and ``related_links`` loaded;
    ``topic_names`` is in the order the file listed them.
    """
    source_keys = list(dict.fromkeys(article.source_keys or []))
    from_file = article.imported_published is not None
    values = {
        key.name: _written(key, getattr(article, key.field))
        for key in seed_format.NEWS
        if key.kind != seed_format.NESTED
    }
    values.update(
        provider=provider_mapping(article),
        topics=list(topic_names),
        images=[image_mapping(image) for image in article.images.all()],
        related=[related_mapping(link) for link in article.related_links.all()],
    )
    extra = {key: from_json(value) for key, value in (article.extra or {}).items()}
    # Absent in the file means NULL, "" or [] here: any other value was set since.
    wanted = {
        key
        for key, value in values.items()
        if value not in (None, "", []) and key not in ("webUrl", "published")
    }
    if article.web_url != article.original_url:
        wanted.add("webUrl")
    if not from_file or article.published != article.imported_published:
        wanted.add("published")
    keys = _merge_order(source_keys, wanted | set(extra))
    front = {}
    for key in keys:
        if key in values:
            front[key] = values[key]
        elif key in extra:
            front[key] = extra[key]
    return front, article.body


def _merge_order(source_keys, wanted):
    """The source's keys in its order; keys it lacked go where the seed format puts them."""
    keys = list(source_keys)
    for key in NEWS_ORDER:
        if key in wanted and key not in keys:
            before = NEWS_ORDER[: NEWS_ORDER.index(key)]
            after = NEWS_ORDER[NEWS_ORDER.index(key) + 1 :]
            position = _insert_position(keys, before, after)
            keys.insert(position, key)
    for key in sorted(wanted - set(keys)):  # unknown keys new to the file: before secured
        keys.insert(keys.index("secured") if "secured" in keys else len(keys), key)
    return keys


def _insert_position(keys, before, after):
    for index in range(len(keys) - 1, -1, -1):
        if keys[index] in before:
            return index + 1
    for index, key in enumerate(keys):
        if key in after:
            return index
    return len(keys)


def provider_mapping(article):
    """The provider as the file gave it, unless an editor moved the story to another outlet."""
    data = article.provider_data or {}
    domain = data.get("domain")
    provider = article.provider
    if not (isinstance(domain, str) and domain.strip().lower() == provider.domain):
        data = {"name": provider.name, "domain": provider.domain}
        if provider.source_images:
            data["images"] = provider.source_images
    return _provider_data(data)


def _provider_data(data):
    result = _ordered(data, seed_format.PROVIDER_ORDER)
    if isinstance(result.get("images"), list):
        result["images"] = [_json_image(image) for image in result["images"]]
    return result


def image_mapping(image):
    mapping = {
        key.name: _written(key, getattr(image, key.field))
        for key in seed_format.IMAGE
        if getattr(image, key.field) is not None
    }
    mapping.update((key, from_json(value)) for key, value in (image.extra or {}).items())
    return mapping


def related_mapping(link):
    mapping = {}
    for key in seed_format.RELATED:
        value = getattr(link, key.field)
        if value is None:
            continue
        if key.name == "provider":
            value = _provider_data(value) if isinstance(value, dict) else from_json(value)
        elif key.name == "images":
            value = [_json_image(image) for image in value] if isinstance(value, list) else value
        else:
            value = _written(key, value)
        mapping[key.name] = value
    mapping.update((key, from_json(value)) for key, value in (link.extra or {}).items())
    return mapping


def _json_image(image):
    """An image mapping kept as JSON: known keys in the seed order, quoted as in news files."""
    if not isinstance(image, dict):
        return from_json(image)
    result = _ordered(image, [key.name for key in seed_format.IMAGE])
    for key in seed_format.IMAGE:
        if key.quoted and isinstance(result.get(key.name), str):
            result[key.name] = Quoted(result[key.name])
    return result


def _written(key, value):
    """A plain value as the export writes it: quoted where the seed files quote the key."""
    return Quoted(value) if key.quoted and value is not None else value


def _ordered(data, order):
    """Known keys in ``order``, then the rest as stored (PostgreSQL's jsonb reorders keys)."""
    result = {key: from_json(data[key]) for key in order if key in data}
    result.update((key, from_json(value)) for key, value in data.items() if key not in result)
    return result


def from_json(value):
    """A value kept as JSON, with the timestamps the importer turned into text made timestamps.

    A quoted text that looks exactly like a timestamp comes back as one: JSON
    cannot tell them apart, and unquoted timestamps are what front matter holds.
    """
    if isinstance(value, str) and _ISO_TIMESTAMP.fullmatch(value):
        parsed = _parse_timestamp(value)
        if parsed is not None:
            return parsed
    if isinstance(value, list):
        return [from_json(item) for item in value]
    if isinstance(value, dict):
        return {key: from_json(item) for key, item in value.items()}
    return value


def _parse_timestamp(text):
    try:
        if "T" not in text:
            return dt.date.fromisoformat(text)
        return dt.datetime.fromisoformat(text)
    except ValueError:
        return None


# --- taxonomy -----------------------------------------------------------------


def topic_document(topic):
    """A topic file's mapping (topic files are plain YAML documents)."""
    extra = {key: from_json(value) for key, value in (topic.extra or {}).items()}
    values = {"taxonomy": "topic", "name": topic.name}
    slug_id = extra.get("_id")
    if not (isinstance(slug_id, str) and readable_slug(slug_id) == topic.slug):
        slug_id = topic.slug  # the slug an editor chose wins over the file's old _id
    values["_id"] = slug_id
    if topic.parent_id:
        values["parent"] = topic.parent.name
    if topic.description:
        values["description"] = topic.description
    if topic.keywords:
        values["keywords"] = list(topic.keywords)
    if topic.hashtags:
        values["hashtags"] = list(topic.hashtags)
    values.update((key, value) for key, value in extra.items() if key not in values)
    return _in_order(values, seed_format.TOPIC_ORDER, seed_format.TOPIC_TAIL)


def organization_document(provider):
    """An organization file's mapping (a front-matter-only file)."""
    extra = {key: from_json(value) for key, value in (provider.extra or {}).items()}
    values = {
        "taxonomy": "organization",
        "name": provider.name,
        "domain": provider.domain,
    }
    if provider.description:
        values["description"] = provider.description
    if provider.source_images:
        values["images"] = [from_json(image) for image in provider.source_images]
    values.update((key, value) for key, value in extra.items() if key not in values)
    return _in_order(values, seed_format.ORGANIZATION_ORDER, [])


def _in_order(values, head, tail):
    middle = [key for key in values if key not in head and key not in tail]
    return {key: values[key] for key in [*head, *middle, *tail] if key in values}
