"""JSON Feed 1.1 (https://jsonfeed.org/version/1.1) as a Django feed generator.

A :class:`~django.utils.feedgenerator.SyndicationFeed`, filled by ``articles.feeds``
with the same items, titles and links as the RSS and Atom generators. JSON has
no forbidden characters and its strings are plain text: titles and summaries go
out as stored.
"""

import json

from django.utils.feedgenerator import SyndicationFeed

VERSION = "https://jsonfeed.org/version/1.1"


def _date(value):
    return value.isoformat() if value is not None else None


def _without_nulls(mapping):
    return {key: value for key, value in mapping.items() if value not in (None, [], "")}


class JsonFeed(SyndicationFeed):
    content_type = "application/feed+json; charset=utf-8"

    def write(self, outfile, encoding):
        feed = {
            "version": VERSION,
            **_without_nulls(
                {
                    "title": self.feed["title"],
                    "home_page_url": self.feed["link"],
                    "feed_url": self.feed["feed_url"],
                    "description": self.feed["description"],
                    "language": self.feed["language"],
                }
            ),
            "items": [self.item(item) for item in self.items],
        }
        outfile.write(json.dumps(feed, ensure_ascii=False, indent=1))

    def item(self, item):
        author = item["author_name"]
        return {
            "id": item["unique_id"] or item["link"],
            **_without_nulls(
                {
                    "url": item["link"],
                    "external_url": item.get("external_url"),
                    "title": item["title"],
                    "content_text": item["description"] or "",
                    "summary": item["description"],
                    "image": item.get("image"),
                    "date_published": _date(item["pubdate"]),
                    "date_modified": _date(item["updateddate"]),
                    "authors": [{"name": author}] if author else None,
                    "tags": list(item["categories"]),
                }
            ),
        }
