"""Logo uploads: only real PNG/JPEG/WebP/GIF within the limit, re-encoded, thumbnailed."""

import io

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from articles.tests.factories import ProviderFactory
from images.files import content_hash
from images.tests.image_files import (
    NOT_AN_IMAGE,
    image_bytes,
    jpeg_with_exif,
    png_header_only,
)
from providers.forms import ProviderLogoForm
from providers.logos import LOGO_SIZES, MAX_LOGO_SIDE, logo_thumbnail_name
from providers.models import Provider

pytestmark = pytest.mark.django_db


def upload(data, name="logo.png"):
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


PROVIDER_FIELDS = {
    "name": "Acme News",
    "domain": "acme.example",
    "description": "",
    "source_images": "[]",
    "extra": "{}",
    "source_file": "",
}
"""A valid provider form, but for the logo."""


def submit(data, name="logo.png", instance=None):
    return ProviderLogoForm(PROVIDER_FIELDS, {"logo": upload(data, name)}, instance=instance)


def open_stored(name):
    with default_storage.open(name) as handle:
        image = Image.open(io.BytesIO(handle.read()))
        image.load()
    return image


class TestGoodLogos:
    """An accepted logo is stored as a metadata-free PNG named by its hash, with thumbnails."""

    @pytest.mark.parametrize(
        ("format", "name"),
        [("PNG", "a.png"), ("JPEG", "a.jpg"), ("WEBP", "a.webp"), ("GIF", "a.gif")],
    )
    def test_each_accepted_format_is_stored_as_png_with_square_thumbnails(self, format, name):
        form = submit(image_bytes(format, (120, 60), (0, 90, 200)), name)
        assert form.is_valid(), form.errors
        provider = form.save()
        stored = open_stored(provider.logo.name)
        assert stored.format == "PNG" and stored.size == (120, 60)
        with default_storage.open(provider.logo.name) as handle:
            digest = content_hash(handle.read())
        assert provider.logo.name == f"providers/logos/{digest}.png"
        for size in LOGO_SIZES:
            thumb = open_stored(logo_thumbnail_name(digest, size))
            assert (thumb.format, thumb.size) == ("WEBP", (size, size))

    def test_the_sizes_the_pages_use_are_made(self):
        assert set(LOGO_SIZES) >= {50, 400}

    def test_metadata_is_stripped_and_the_orientation_applied(self):
        form = submit(jpeg_with_exif((80, 40), orientation=6), "photo.jpg")
        assert form.is_valid(), form.errors
        provider = form.save()
        stored = open_stored(provider.logo.name)
        assert stored.size == (40, 80)
        assert not stored.getexif()
        assert not ({"exif", "icc_profile", "xmp"} & set(stored.info))

    def test_a_wide_logo_is_padded_not_cropped(self):
        form = submit(image_bytes("PNG", (200, 50), (255, 0, 0)))
        assert form.is_valid(), form.errors
        digest = content_hash(open_stored_bytes(form.save().logo.name))
        thumb = open_stored(logo_thumbnail_name(digest, 400)).convert("RGBA")
        assert thumb.getpixel((200, 10))[3] == 0  # transparent band above
        assert thumb.getpixel((2, 200))[3] == 255  # the left edge of the logo is kept
        assert thumb.getpixel((397, 200))[3] == 255  # and the right edge

    def test_a_very_large_logo_is_scaled_down(self):
        form = submit(image_bytes("PNG", (3000, 1500)))
        assert form.is_valid(), form.errors
        assert open_stored(form.save().logo.name).size == (MAX_LOGO_SIDE, MAX_LOGO_SIDE // 2)

    def test_saving_without_a_new_file_keeps_the_logo(self):
        form = submit(image_bytes("PNG", (20, 20)))
        assert form.is_valid(), form.errors
        provider = form.save()
        name = provider.logo.name
        again = ProviderLogoForm(
            {
                "name": "Renamed",
                "domain": provider.domain,
                "source_images": "[]",
                "extra": "{}",
            },
            instance=provider,
        )
        assert again.is_valid(), again.errors
        assert again.save().logo.name == name


def open_stored_bytes(name):
    with default_storage.open(name) as handle:
        return handle.read()


class TestBadLogos:
    """Bad uploads get a clear form error and nothing is stored."""

    def errors_for(self, data, name="logo.png"):
        form = submit(data, name)
        assert not form.is_valid()
        assert not default_storage.exists("providers/logos")
        return form.errors["logo"]

    def test_a_file_over_5_mib_is_refused_before_pillow_reads_it(self):
        errors = self.errors_for(b"\x89PNG" + b"\x00" * (5 * 1024 * 1024))
        assert errors == ["The logo is 5.0 MiB; the limit is 5 MiB."]

    def test_the_limit_is_a_setting(self, settings):
        settings.LOGO_MAX_BYTES = 1024 * 1024
        errors = self.errors_for(image_bytes("BMP", (800, 800)), "big.bmp")
        assert errors == ["The logo is 1.8 MiB; the limit is 1 MiB."]

    def test_a_decompression_bomb_is_refused(self):
        (error,) = self.errors_for(png_header_only(60_000, 60_000))
        assert error.startswith("This logo cannot be used: decompression bomb")

    def test_a_file_that_is_not_an_image_is_refused(self):
        assert self.errors_for(NOT_AN_IMAGE) == [
            "This logo cannot be used: not an image in an accepted format (PNG, JPEG, WebP or GIF)."
        ]

    @pytest.mark.parametrize(("format", "name"), [("BMP", "a.bmp"), ("TIFF", "a.tif")])
    def test_other_image_formats_are_refused(self, format, name):
        (error,) = self.errors_for(image_bytes(format, (20, 20)), name)
        assert "not an image in an accepted format" in error


class TestAdminUpload:
    """Through the real admin: the provider admin's form extends ProviderLogoForm."""

    def post(self, client, data, name="logo.png"):
        return client.post(
            "/admin/providers/provider/add/",
            {**PROVIDER_FIELDS, "logo": upload(data, name)},
        )

    def test_a_good_upload_saves_the_logo_and_its_thumbnails(self, admin_client):
        response = self.post(admin_client, image_bytes("JPEG", (90, 30)), "logo.jpg")
        assert response.status_code == 302
        provider = Provider.objects.get(domain="acme.example")
        digest = content_hash(open_stored_bytes(provider.logo.name))
        for size in LOGO_SIZES:
            assert open_stored(logo_thumbnail_name(digest, size)).size == (size, size)

    def test_a_bad_upload_shows_the_reason_on_the_form(self, admin_client):
        response = self.post(admin_client, NOT_AN_IMAGE)
        assert response.status_code == 200
        assert "This logo cannot be used: not an image" in response.content.decode()
        assert not Provider.objects.filter(domain="acme.example").exists()

    def test_the_change_page_renders_for_an_outlet_with_a_logo(self, admin_client):
        provider = ProviderFactory(logo="providers/logos/" + "c" * 64 + ".png")
        response = admin_client.get(f"/admin/providers/provider/{provider.pk}/change/")
        assert response.status_code == 200
        assert 'accept="image/png,image/jpeg,image/webp,image/gif"' in response.content.decode()
