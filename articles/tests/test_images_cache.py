"""``manage.py cache_images`` against a local server on 127.0.0.1 (no internet)."""

import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from PIL import Image

from articles.models import ArticleImage
from articles.pictures import story_thumbnail_name
from images.files import content_hash
from images.tests.image_files import GOOD_JPEG, GOOD_PNG, TALL_PNG, ImageServer
from providers.logos import LOGO_SIZES, logo_picture, logo_thumbnail_name

from .factories import ArticleFactory, ArticleImageFactory, ProviderFactory
from .public_support import image_urls, images_of

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def server():
    with ImageServer() as running:
        yield running


def run(*args):
    """Run cache_images; return (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    code = 0
    try:
        call_command("cache_images", *args, stdout=out, stderr=err)
    except SystemExit as exit:
        code = exit.code
    return code, out.getvalue(), err.getvalue()


def stored_size(name):
    with default_storage.open(name) as handle:
        return Image.open(handle).size


class TestCachingStoryImages:
    """A story image is copied under MEDIA_ROOT by content hash, with its real size."""

    def test_a_good_image_is_stored_with_its_real_size_and_thumbnails(self, server):
        image = ArticleImageFactory(
            url=server.url("/good.jpg"), width=999, height=111, is_cached=True
        )
        code, out, err = run("--allow-private-hosts")
        assert (code, out.strip(), err) == (0, "1 images: 1 cached, 0 skipped, 0 failed", "")
        image.refresh_from_db()
        digest = content_hash(GOOD_JPEG)
        assert image.local_file.name == f"images/{digest[:2]}/{digest}.jpg"
        assert default_storage.open(image.local_file.name).read() == GOOD_JPEG
        assert (image.local_width, image.local_height) == (1600, 900)
        assert image.cached_at is not None and image.cache_error == ""
        # The source's own values stay as they were, for a lossless export.
        assert (image.url, image.width, image.height, image.is_cached) == (
            server.url("/good.jpg"),
            999,
            111,
            True,
        )
        assert [stored_size(story_thumbnail_name(digest, w)) for w in (320, 640, 1280)] == [
            (320, 180),
            (640, 360),
            (1280, 720),
        ]

    def test_content_is_judged_by_pillow_not_by_the_content_type(self, server):
        image = ArticleImageFactory(url=server.url("/photo"))
        assert run("--allow-private-hosts")[0] == 0
        image.refresh_from_db()
        assert image.local_file.name.endswith(".jpg")

    def test_each_bad_response_fails_on_its_own_line_and_the_run_goes_on(self, server):
        bad = {
            "/too-large": "too large: more than 100,000 bytes",
            "/not-an-image": "not an image in an accepted format",
            "/slow": "timed out after 0.5s",
            "/loop": "too many redirects (more than 5)",
            "/bomb.png": "decompression bomb",
        }
        rows = {path: ArticleImageFactory(url=server.url(path)) for path in bad}
        good = ArticleImageFactory(url=server.url("/good.png"))
        code, out, err = run("--allow-private-hosts", "--timeout", "0.5", "--max-bytes", "100000")
        assert code == 1
        assert out.strip() == "6 images: 1 cached, 0 skipped, 5 failed"
        lines = err.strip().splitlines()
        assert len(lines) == 5
        for path, reason in bad.items():
            assert any(
                line.startswith(f"{server.url(path)}: ") and reason in line for line in lines
            )
            rows[path].refresh_from_db()
            assert reason in rows[path].cache_error
            assert not rows[path].local_file
        good.refresh_from_db()
        assert good.local_width == 300

    def test_images_that_used_to_end_the_run_are_recorded_and_the_run_goes_on(self, server):
        """A thumbnail too tall for WebP, a redirect to a malformed address, a trickle
        past the wall-clock cap: each is a ``cache_error``, run after run."""
        bad = {
            "/tall.png": "over WebP's limit of 16383 px",
            "/to-malformed": "invalid redirect to 'http://[::1/x'",
            "/trickle-slowly": "timed out after 1s",
        }
        rows = {path: ArticleImageFactory(url=server.url(path)) for path in bad}
        good = ArticleImageFactory(url=server.url("/good.png?after-the-bad-ones"))
        summaries = [
            "4 images: 1 cached, 0 skipped, 3 failed",
            "4 images: 0 cached, 1 skipped, 3 failed",
        ]
        for summary in summaries:
            code, out, err = run("--allow-private-hosts", "--timeout", "1")
            assert (code, out.strip()) == (1, summary)
            for path, reason in bad.items():
                assert f"{server.url(path)}: " in err
                rows[path].refresh_from_db()
                assert reason in rows[path].cache_error
                assert not rows[path].local_file
        good.refresh_from_db()
        assert good.local_width == 300
        # The refused tall image left no original or thumbnail behind.
        digest = content_hash(TALL_PNG)
        assert not default_storage.exists(f"images/{digest[:2]}/{digest}.png")
        assert not default_storage.exists(story_thumbnail_name(digest, 320))

    def test_a_logo_that_fails_unexpectedly_is_recorded_too(self, server):
        provider = ProviderFactory(source_images=[{"url": server.url("/to-malformed")}])
        code, _, err = run("--allow-private-hosts")
        assert code == 1 and "invalid redirect" in err
        provider.refresh_from_db()
        assert "invalid redirect" in provider.cached_logo_error

    def test_without_the_allow_flag_the_local_server_is_refused(self, server):
        image = ArticleImageFactory(url=server.url("/good.png"))
        before = len(server.requests)
        code, out, err = run()
        assert code == 1
        assert "refused: 127.0.0.1 resolves to non-public 127.0.0.1" in err
        assert out.strip() == "1 images: 0 cached, 0 skipped, 1 failed"
        assert len(server.requests) == before
        image.refresh_from_db()
        assert not image.local_file and "refused" in image.cache_error

    def test_the_allow_setting_works_like_the_flag(self, server, settings):
        settings.IMAGE_CACHE_ALLOW_PRIVATE_HOSTS = True
        ArticleImageFactory(url=server.url("/good.png"))
        assert run()[0] == 0


class TestReruns:
    """Re-runs skip what is cached; each URL is fetched once; --limit and --skip-failed."""

    def test_a_rerun_fetches_nothing(self, server):
        ArticleImageFactory(url=server.url("/good.png"))
        run("--allow-private-hosts")
        before = len(server.requests)
        code, out, _ = run("--allow-private-hosts")
        assert (code, out.strip()) == (0, "1 images: 0 cached, 1 skipped, 0 failed")
        assert len(server.requests) == before

    def test_one_url_in_many_stories_is_downloaded_once(self, server):
        rows = [ArticleImageFactory(url=server.url("/good.png?shared")) for _ in range(3)]
        before = len(server.requests)
        code, out, _ = run("--allow-private-hosts", "--concurrency", "3")
        assert (code, out.strip()) == (0, "3 images: 3 cached, 0 skipped, 0 failed")
        assert len(server.requests) - before == 1
        names = {ArticleImage.objects.get(pk=row.pk).local_file.name for row in rows}
        assert len(names) == 1

    def test_a_new_row_with_an_already_copied_url_is_linked_without_downloading(self, server):
        ArticleImageFactory(url=server.url("/good.png?again"))
        run("--allow-private-hosts")
        later = ArticleImageFactory(url=server.url("/good.png?again"))
        before = len(server.requests)
        code, out, _ = run("--allow-private-hosts")
        assert (code, out.strip()) == (0, "2 images: 1 cached, 1 skipped, 0 failed")
        assert len(server.requests) == before
        later.refresh_from_db()
        assert (later.local_width, later.local_height) == (300, 200)

    def test_limit_caps_the_downloads_of_a_run(self, server):
        for n in range(3):
            ArticleImageFactory(url=server.url(f"/good.png?n={n}"))
        code, out, _ = run("--allow-private-hosts", "--limit", "1")
        assert (code, out.strip()) == (
            0,
            "1 images: 1 cached, 0 skipped, 0 failed (2 left for a later run)",
        )
        assert ArticleImage.objects.exclude(local_file="").count() == 1

    def test_failed_images_are_retried_unless_told_otherwise(self, server):
        ArticleImageFactory(url=server.url("/not-an-image"))
        assert run("--allow-private-hosts")[0] == 1
        assert run("--allow-private-hosts")[0] == 1
        code, out, _ = run("--allow-private-hosts", "--skip-failed")
        assert (code, out.strip()) == (0, "1 images: 0 cached, 1 skipped, 0 failed")

    def test_non_http_urls_are_skipped_without_a_request(self, server):
        ArticleImageFactory(url="/assets/images/local.png")
        ArticleImageFactory(url="data:image/png;base64,AAAA")
        before = len(server.requests)
        code, out, _ = run("--allow-private-hosts")
        assert (code, out.strip()) == (0, "2 images: 0 cached, 2 skipped, 0 failed")
        assert len(server.requests) == before

    def test_a_file_given_to_the_field_is_named_by_its_content(self):
        image = ArticleImageFactory()
        image.local_file = ContentFile(GOOD_PNG, name="Upload.PNG")
        image.save()
        digest = content_hash(GOOD_PNG)
        assert image.local_file.name == f"images/{digest[:2]}/{digest}.png"

    def test_bad_arguments_are_errors(self):
        with pytest.raises(CommandError, match="--concurrency"):
            call_command("cache_images", "--concurrency", "0")


class TestCachingSourceLogos:
    """An outlet's largest remote source image is copied beside ``source_images``."""

    def test_the_largest_source_image_is_copied_and_the_source_list_is_untouched(self, server):
        source = [
            {"url": server.url("/good.jpg"), "width": 50, "height": 50},
            {"url": server.url("/good.png"), "width": 400, "height": 400, "isCached": True},
            {"url": "/assets/images/organizations/x-50x50.jpg", "width": 50, "height": 50},
        ]
        provider = ProviderFactory(source_images=[dict(item) for item in source])
        code, out, _ = run("--allow-private-hosts")
        assert (code, out.strip()) == (0, "1 images: 1 cached, 0 skipped, 0 failed")
        provider.refresh_from_db()
        assert provider.source_images == source
        assert provider.cached_logo_url == server.url("/good.png")
        assert (provider.cached_logo_width, provider.cached_logo_height) == (300, 200)
        digest = content_hash(GOOD_PNG)
        assert provider.cached_logo.name == f"images/{digest[:2]}/{digest}.png"
        for size in LOGO_SIZES:
            assert stored_size(logo_thumbnail_name(digest, size)) == (size, size)
        assert logo_picture(provider, 400).src == "/media/" + logo_thumbnail_name(digest, 400)

    def test_outlets_with_an_uploaded_logo_or_no_remote_image_are_skipped(self, server):
        ProviderFactory(
            logo="providers/logos/mine.png",
            source_images=[{"url": server.url("/good.png"), "width": 50, "height": 50}],
        )
        ProviderFactory(source_images=[{"url": "/assets/x.jpg", "width": 50, "height": 50}])
        before = len(server.requests)
        code, out, _ = run("--allow-private-hosts")
        assert (code, out.strip()) == (0, "2 images: 0 cached, 2 skipped, 0 failed")
        assert len(server.requests) == before

    def test_a_failed_logo_keeps_its_previous_copy(self, server):
        provider = ProviderFactory(source_images=[{"url": server.url("/good.png")}])
        run("--allow-private-hosts")
        # As a re-import of the organization file would: the source list changes.
        type(provider).objects.filter(pk=provider.pk).update(
            source_images=[{"url": server.url("/not-an-image")}]
        )
        code, _, err = run("--allow-private-hosts")
        assert code == 1 and "not an image" in err
        provider.refresh_from_db()
        assert provider.cached_logo_url == server.url("/good.png")
        assert provider.cached_logo_error.startswith(server.url("/not-an-image"))


class TestPagesShowTheCopies:
    """After a run the public pages show our copies: the local thumbnails, never the
    outlet's address, each file there at the shape its ``<img>`` states."""

    def test_cards_story_page_and_outlet_page_use_the_local_thumbnails(self, server, client):
        outlet = ProviderFactory(
            source_images=[{"url": server.url("/good.png"), "width": 400, "height": 400}]
        )
        article = ArticleFactory(provider=outlet)
        ArticleImageFactory(article=article, url=server.url("/good.jpg"), width=None, height=None)
        code, out, _ = run("--allow-private-hosts")
        assert (code, out.strip()) == (0, "2 images: 2 cached, 0 skipped, 0 failed")
        for path in ("/", article.get_absolute_url(), outlet.get_absolute_url()):
            html = client.get(path).content.decode()
            assert server.url("/") not in html.split("<body>", 1)[1], path
            pictures = images_of(html)
            assert pictures, path
            for picture in pictures:
                for url in image_urls(picture):
                    assert url.startswith("/media/"), (path, picture)
                    width, height = stored_size(url.removeprefix("/media/"))
                    shown = int(picture["width"]) / int(picture["height"])
                    assert abs(width / height - shown) < 0.01, (path, picture)
