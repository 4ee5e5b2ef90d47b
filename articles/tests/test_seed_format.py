"""The importer, the exporter and the API agree on the seed format because they all
read articles/seed_format.py: a full file goes in, comes back byte for byte, and the
API shows every key the format says it shows, with the same values and timestamps."""

import datetime as dt
import json

import pytest

from articles import seed_format
from articles.models import Article

from .helpers import run_import, write
from .test_export_corpus import SEED_NEW, run_export

pytestmark = pytest.mark.django_db

IMAGE_EXTRAS = '    title: "A chip"\n    attribution: "Google"\n'
RELATED_ORIGINAL = '    originalUrl: "https://www.thehindu.com/original"\n'


@pytest.fixture
def full_file(corpus):
    """A real news file with every key of the format, nested ones included, and a
    timestamp with a fraction of a second (no real file has all of them)."""
    text = (corpus / "news" / SEED_NEW).read_text(encoding="utf-8")
    for old, new in [
        (
            "publishedDateTime: 2021-06-16T12:10:00Z",
            "publishedDateTime: 2021-06-16T12:10:00.250000Z",
        ),
        ("published: false", "published: true"),
        ("    height: 682\n", "    height: 682\n" + IMAGE_EXTRAS),
        (
            "    publishedDateTime: 2021-06-14T07:06:00Z\n",
            "    publishedDateTime: 2021-06-14T07:06:00Z\n" + RELATED_ORIGINAL,
        ),
    ]:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


@pytest.fixture
def imported(tmp_path, full_file):
    write(tmp_path / "in", SEED_NEW, full_file)
    code, _, err = run_import(tmp_path / "in")
    assert code == 0, err
    return Article.objects.get()


def plain_keys(table):
    return [key for key in table if key.kind != seed_format.NESTED]


def test_the_importer_keeps_every_key_in_its_field(imported):
    article = imported
    assert article.extra == {}  # every key of the file is one the format knows
    assert article.published_at == dt.datetime(2021, 6, 16, 12, 10, 0, 250000, tzinfo=dt.UTC)
    for key in plain_keys(seed_format.NEWS):
        assert getattr(article, key.field) not in (None, ""), key.name
    image, link = article.images.first(), article.related_links.first()
    for model, table in ((image, seed_format.IMAGE), (link, seed_format.RELATED)):
        assert model.extra == {}
        for key in table:
            assert getattr(model, key.field) not in (None, ""), key.name


def test_the_export_writes_every_key_back_byte_for_byte(tmp_path, imported, full_file):
    code, _, err = run_export(tmp_path / "out", "--no-taxonomy")
    assert code == 0, err
    exported = (tmp_path / "out" / "news" / SEED_NEW).read_text(encoding="utf-8")
    assert exported == full_file
    for key in seed_format.NEWS:
        assert f"\n{key.name}:" in exported, key.name


def test_the_api_shows_every_key_the_format_says_with_the_files_values(client, imported, full_file):
    response = client.get("/api/news/")
    [item] = json.loads(response.content)["value"]
    assert tuple(item) == seed_format.API_ITEM_KEYS + seed_format.API_ADDED_KEYS
    shown = [key for key in seed_format.NEWS if key.api]
    assert {key.name for key in shown} <= set(item)
    article = imported
    for key in plain_keys(shown):
        value = item[key.name]
        if key.kind == seed_format.TIMESTAMP:
            # The file's instant, fraction kept, in the original API's zone and offset.
            assert f"{key.name}: 2021-06-16T12:10:00.250000Z\n" in full_file
            assert value == "2021-06-16T05:10:00.250000-07:00"
        else:
            assert value == getattr(article, key.field), key.name
    assert tuple(item["images"][0]) == tuple(key.name for key in seed_format.IMAGE)
    assert item["images"][0]["attribution"] == "Google"


def test_timestamps_have_one_form_fractions_only_when_present():
    moment = dt.datetime(2021, 5, 19, 3, 20, tzinfo=dt.UTC)
    assert seed_format.format_timestamp(moment) == "2021-05-19T03:20:00Z"
    assert seed_format.format_timestamp(moment.replace(microsecond=5)) == (
        "2021-05-19T03:20:00.000005Z"
    )
    offset = dt.timezone(dt.timedelta(hours=-7))
    assert seed_format.format_timestamp(dt.datetime(2021, 5, 18, 20, 20, tzinfo=offset)) == (
        "2021-05-19T03:20:00Z"
    )
