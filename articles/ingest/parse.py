"""One file's bytes to one record: the part of an import that runs in workers."""

from articles.clusters.signatures import signed_many

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
    records = [parse_source(*item) for item in items]
    sign(records)
    return records


def sign(records):
    """Give each news record its clustering signature, keys and the signature's stored
    form (``record["signed"]``).

    Pure work on the record's own values, done here so the parse workers do it
    beside the writer instead of the writer's process after each batch. Where it
    fails, the records go unsigned and the clustering computes them from the
    stored story as before.
    """
    news = [record for record in records if record["kind"] == "news"]
    try:
        signed = signed_many(map(story_of, news))
    except Exception:  # the clustering's own path will meet and report it
        return
    for record, signed_story in zip(news, signed, strict=True):
        record["signed"] = signed_story


def story_of(record):
    """A news record's values as :func:`signed_many` takes a story."""
    fields = record["fields"]
    urls = [fields[name] for name in ("web_url", "original_url", "amp_web_url", "cdn_amp_web_url")]
    related = record["related"]
    return (
        fields["title"],
        fields["excerpt"],
        fields["published_at"],
        urls,
        [url for link in related for url in (link["web_url"], link["original_url"])],
        [(link["title"], link["excerpt"]) for link in related],
    )
