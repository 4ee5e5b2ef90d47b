"""Addresses for stories and topics: readable, never empty, stable once given.

The one place slugs are made, for the importer, the admin and ``Model.save()``
alike. Text in any script is transliterated to ASCII with ``anyascii`` (so
``Новости`` becomes ``novosti`` and ``新闻`` ``xinwen``); when nothing readable is
left (a title of emoji modifiers or punctuation), the slug is derived from the
object's identity, so the same object gets the same slug on every database.
A slug is handed out once: re-imports never change it.
"""

import hashlib
from pathlib import PurePosixPath

from anyascii import anyascii
from django.utils.text import slugify

MAX_SLUG = 200
"""The longest slug made here; the columns leave room for a ``-N`` suffix."""
SUFFIX_ROOM = 8


def readable_slug(text, max_length=MAX_SLUG):
    """``text`` transliterated and slugified; ``""`` when nothing readable is left."""
    if not isinstance(text, str):
        return ""
    # anyascii spells emoji as ":name:"; the colons would glue the names together.
    ascii_text = anyascii(text).replace(":", " ")
    return slugify(ascii_text)[:max_length].strip("-")


def identity_slug(prefix, identity):
    """A short, stable slug from what identifies the object (its URL, its name)."""
    digest = hashlib.sha256(str(identity).encode("utf-8", "surrogatepass")).hexdigest()
    return f"{prefix}-{digest[:10]}"


def slug_base(candidates, *, prefix, identity, max_length=MAX_SLUG):
    """The first readable slug among ``candidates``, else one derived from ``identity``."""
    for text in candidates:
        if slug := readable_slug(text, max_length):
            return slug
    return identity_slug(prefix, identity)


def story_slug_base(file_name, title, identity):
    """A story's slug: its file's name (the seed files' dated names), else its title."""
    stem = PurePosixPath(file_name).name.rsplit(".", 1)[0] if file_name else ""
    return slug_base([stem, title], prefix="story", identity=identity)


def topic_slug_base(name, preferred=None):
    """A topic's slug: the file's ``_id`` where it has one, else its name."""
    return slug_base([preferred, name], prefix="topic", identity=name)


def first_free(base, taken):
    """``base``, or ``base-2``, ``base-3``… whichever ``taken`` does not hold."""
    if base not in taken:
        return base
    number = 2
    while f"{base}-{number}" in taken:
        number += 1
    return f"{base}-{number}"


def free_slug(model, base, exclude_pk=None):
    """``base`` made unique among ``model``'s slugs (one query)."""
    base = base[: model._meta.get_field("slug").max_length - SUFFIX_ROOM]
    taken = set(
        model._default_manager.filter(slug__startswith=base)
        .exclude(pk=exclude_pk)
        .values_list("slug", flat=True)
    )
    return first_free(base, taken)


def fill_empty_slugs(article_model, topic_model):
    """Give every stored story and topic without an address one; return how many.

    Older imports left slugs empty for titles and names without ASCII letters,
    and every page linking such an object failed. The data migration runs this
    with its historical models.
    """
    filled = 0
    for topic in topic_model._default_manager.filter(slug="").only("pk", "name"):
        topic.slug = free_slug(topic_model, topic_slug_base(topic.name), exclude_pk=topic.pk)
        topic.save(update_fields=["slug"])
        filled += 1
    stories = article_model._default_manager.filter(slug="")
    for story in stories.only("pk", "source_file", "title", "web_url"):
        base = story_slug_base(story.source_file, story.title, story.web_url)
        story.slug = free_slug(article_model, base, exclude_pk=story.pk)
        story.save(update_fields=["slug"])
        filled += 1
    return filled
