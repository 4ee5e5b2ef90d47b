"""The one http(s) check (``newsroom.http_urls``) and the importer, links and pictures asking it."""

import pytest

from articles.models import Article
from articles.pictures import story_picture
from images.fetch import FetchError, fetch_image
from newsroom.http_urls import http_url

from .helpers import news_text, run_import, write


class TestHttpUrl:
    @pytest.mark.parametrize(
        ("value", "expected"),
        [
            ("https://a.example/x", "https://a.example/x"),
            ("HTTP://A.example/x", "HTTP://A.example/x"),
            ("  https://a.example/x \n", "https://a.example/x"),
            ("javascript:alert(1)", ""),
            ("/assets/a.png", ""),
            ("https:///no-host", ""),
            ("http://[::1/x", ""),
            ("", ""),
            (None, ""),
            (42, ""),
        ],
    )
    def test_absolute_http_urls_only_stripped(self, value, expected):
        assert http_url(value) == expected


class TestEveryUseAgrees:
    """A URL the check accepts is a picture and a download target; one it refuses is neither."""

    @pytest.mark.parametrize("url", ["  https://a.example/x.png", "http://[::1/x", "ftp://a/x"])
    def test_pictures_and_downloads_follow_the_check(self, url):
        shown = story_picture({"url": url})
        assert (shown.src if shown else "") == http_url(url)
        if not http_url(url):
            with pytest.raises(FetchError):
                fetch_image(url)

    @pytest.mark.django_db
    def test_the_importer_refuses_a_malformed_address_by_name(self, tmp_path):
        write(tmp_path, "bad.md", news_text("Bad", "http://[::1/x"))
        write(tmp_path, "spaced.md", news_text("Spaced", "  https://example.com/spaced"))
        code, _out, err = run_import(tmp_path)
        assert code == 1
        assert f"{tmp_path / 'bad.md'}: " in err and "is not an http(s) URL" in err
        assert "Traceback" not in err
        assert list(Article.objects.values_list("title", flat=True)) == ["Spaced"]
