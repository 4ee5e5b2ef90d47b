"""Pillow checks: what counts as an image, bombs, metadata and thumbnail sizes."""

import io

import pytest
from PIL import Image

from images.processing import (
    ImageRejected,
    normalized,
    open_image,
    square_thumbnail,
    upright_size,
    width_thumbnail,
    width_thumbnail_size,
)

from .image_files import NOT_AN_IMAGE, image_bytes, jpeg_with_exif, png_header_only


def checked(data):
    """``(format, width, height)`` of ``data`` once opened and decoded, as the cache does."""
    with open_image(data) as image:
        normalized(image)
        return image.format, image.width, image.height


class TestOpenImage:
    """Only real PNG, JPEG, WebP and GIF files pass; the reason is given otherwise."""

    @pytest.mark.parametrize("format", ["PNG", "JPEG", "WEBP", "GIF"])
    def test_accepted_formats(self, format):
        assert checked(image_bytes(format, (30, 20))) == (format, 30, 20)

    @pytest.mark.parametrize("format", ["BMP", "TIFF"])
    def test_other_formats_are_rejected(self, format):
        with pytest.raises(ImageRejected, match="not an image in an accepted format"):
            checked(image_bytes(format, (30, 20)))

    def test_text_is_rejected(self):
        with pytest.raises(ImageRejected, match="not an image"):
            checked(NOT_AN_IMAGE)

    def test_a_truncated_file_is_rejected(self):
        data = image_bytes("PNG", (300, 300), (1, 2, 3))
        with pytest.raises(ImageRejected, match="broken image"):
            checked(data[: len(data) // 2])

    def test_a_header_claiming_ten_billion_pixels_is_a_bomb(self):
        with pytest.raises(ImageRejected, match="decompression bomb"):
            checked(png_header_only(100_000, 100_000))

    def test_our_own_pixel_limit_applies_below_pillows(self, settings):
        settings.IMAGE_MAX_PIXELS = 1000
        with pytest.raises(ImageRejected, match=r"decompression bomb: 40×30 pixels"):
            checked(image_bytes("PNG", (40, 30)))
        assert checked(image_bytes("PNG", (30, 30)))[1] == 30


class TestNormalized:
    """The working copy is upright, in RGB(A), and carries no metadata."""

    def test_exif_is_gone_after_re_encoding(self):
        with open_image(jpeg_with_exif()) as image:
            assert image.getexif()
            picture = normalized(image)
        reencoded = Image.open(io.BytesIO(width_thumbnail(picture, 640)))
        assert not reencoded.getexif()
        assert "exif" not in reencoded.info

    def test_orientation_is_applied_and_sizes_are_upright(self):
        with open_image(jpeg_with_exif((80, 40), orientation=6)) as image:
            assert upright_size(image) == (40, 80)
            assert normalized(image).size == (40, 80)

    def test_transparency_survives(self):
        with open_image(image_bytes("PNG", (10, 10), (0, 0, 0, 0), mode="RGBA")) as image:
            assert normalized(image).mode == "RGBA"


class TestThumbnails:
    """Width thumbnails keep the aspect ratio and never enlarge; squares pad."""

    def test_width_thumbnail_scales_down(self):
        picture = Image.new("RGB", (1600, 900))
        thumb = Image.open(io.BytesIO(width_thumbnail(picture, 640)))
        assert (thumb.format, thumb.size) == ("WEBP", (640, 360))

    def test_a_thumbnail_webp_cannot_hold_is_refused_with_the_reason(self):
        """WebP stops at 16383 px a side; Pillow's own error there is a bare encoder error."""
        assert width_thumbnail_size(Image.new("RGB", (10, 16383)), 320) == (10, 16383)
        with pytest.raises(ImageRejected, match=r"10×16384 thumbnail is over WebP's limit"):
            width_thumbnail(Image.new("RGB", (10, 16384)), 320)

    def test_width_thumbnail_never_enlarges(self):
        thumb = Image.open(io.BytesIO(width_thumbnail(Image.new("RGB", (300, 200)), 640)))
        assert thumb.size == (300, 200)

    def test_square_thumbnail_pads_a_wide_image_with_transparency(self):
        wide = Image.new("RGB", (200, 100), (255, 0, 0))
        thumb = Image.open(io.BytesIO(square_thumbnail(wide, 50))).convert("RGBA")
        assert thumb.size == (50, 50)
        assert thumb.getpixel((25, 2))[3] == 0  # padding above
        red, green, _blue, alpha = thumb.getpixel((25, 25))  # the logo itself (lossy WebP)
        assert (red > 240, green < 15, alpha) == (True, True, 255)
        assert thumb.getpixel((0, 25))[3] == 255  # full width kept
