"""Our API items against the original site's, item by item, for every story both have.

The original's pages are in ../shared/corpus/api/; we import the corpus's story,
topic and organization files and compare each original item with ours key by
key. The only differences allowed are the ones docs/api.md documents.
"""

import json

import pytest

from articles import seed_format
from articles.api import items_of
from articles.models import Article

from .helpers import run_import

pytestmark = pytest.mark.django_db

DOCUMENTED = {
    # A popularity score that moves: the original's pages and the files were taken apart.
    "heat": lambda ours, original: True,
    # The original's "content" is its renderer's empty body ("\r\n"); the files keep none.
    "content": lambda ours, original: ours == "" and original.strip() == "",
    # The original's site-wide locale; a story file does not say its language.
    "locale": lambda ours, original: ours is None and original == "en-us",
}
"""Keys that may differ, and how (docs/api.md, "Differences from the original")."""


@pytest.fixture
def original_items(corpus):
    pages = sorted((corpus / "api").glob("*.json"))
    assert pages, "no original API pages in the corpus"
    return [item for page in pages for item in json.loads(page.read_text())["value"]]


def test_every_item_matches_the_original(corpus, original_items):
    """Key by key, our item equals the original's but for the documented differences."""
    code, _, err = run_import(corpus)
    assert code == 0, err
    both = [item for item in original_items if (corpus / "news" / file_name(item)).is_file()]
    assert both, "no story is in both the corpus files and the original's pages"
    # Files are tracked by their path in the folder imported (here news/<name>).
    stories = Article.objects.filter(source_file__startswith="news/")
    by_file = {item["path"].removeprefix("_news/"): item for item in items_of(stories)}
    differences = []
    for original in both:
        ours = by_file[file_name(original)]
        # Keys the original lacked come last; its clients ignore them (docs/api.md).
        added = list(ours)[len(original) :]
        assert added == list(seed_format.API_ADDED_KEYS), original["path"]
        assert list(ours)[: len(original)] == list(original), original["path"]
        for key, value in original.items():
            allowed = DOCUMENTED.get(key, lambda *_: False)
            if ours[key] != value and not allowed(ours[key], value):
                differences.append((original["path"], key, ours[key], value))
    assert differences == []


def file_name(original_item):
    return original_item["path"].rsplit("/", 1)[-1]
