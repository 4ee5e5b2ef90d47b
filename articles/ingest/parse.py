"""One file's bytes to one record: the part of an import that runs in workers."""

from .reading import InvalidFile, read_mapping
from .records import classify, news_record, organization_record, topic_record


def parse_source(name, raw, suffix):
    """Return a record dict, or ``{"kind": "error"|"skip", "name", "reason"}``."""
    try:
        data, body = read_mapping(raw, suffix)
        kind = classify(data)
        if kind.name == "skip":
            return {"kind": "skip", "name": name, "reason": kind.reason}
        if kind.name == "topic":
            return topic_record(data, name)
        if kind.name == "organization":
            return organization_record(data, name)
        return news_record(data, body, name)
    except InvalidFile as error:
        return {"kind": "error", "name": name, "reason": str(error)}


def parse_many(items):
    """Parse a chunk of ``(name, raw, suffix)`` items (one task for a worker process)."""
    return [parse_source(*item) for item in items]
