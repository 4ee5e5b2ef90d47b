"""One file's bytes to one record: the part of an import that runs in workers."""

from .reading import InvalidFile, read_mapping
from .records import classify, news_record, organization_record, topic_record

UNEXPECTED = "the importer itself failed on this file; please report it"
"""The reason given for a file that broke the importer (the tests look for it)."""


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
    except Exception as error:  # one file must never end the run
        # A gap in the checks above: reported like any bad file, and named as a bug.
        detail = f"{type(error).__name__}: {error}"[:200]
        return {"kind": "error", "name": name, "reason": f"{UNEXPECTED} ({detail})"}


def parse_many(items):
    """Parse a chunk of ``(name, raw, suffix)`` items (one task for a worker process)."""
    return [parse_source(*item) for item in items]
