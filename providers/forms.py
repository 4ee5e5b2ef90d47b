"""The provider form the admin uses: an uploaded logo is checked, cleaned and thumbnailed.

Wire it in with ``form = ProviderLogoForm`` on the provider's ``ModelAdmin``.
"""

from django import forms
from django.core.exceptions import ValidationError

from images.processing import ImageRejected

from .logos import LOGO_SIZES, clean_logo, max_logo_bytes, write_logo_thumbnails
from .models import Provider


def validate_logo(uploaded):
    """Check an uploaded file as a logo; return the ``CleanLogo`` or raise ``ValidationError``."""
    size = getattr(uploaded, "size", None)
    if size is not None and size > max_logo_bytes():
        # Refused before Pillow reads a byte of it.
        limit = max_logo_bytes() / 1048576
        raise ValidationError(
            "The logo is %(size).1f MiB; the limit is %(limit)g MiB.",
            code="file_too_large",
            params={"size": size / 1048576, "limit": limit},
        )
    uploaded.seek(0)
    try:
        return clean_logo(uploaded.read())
    except ImageRejected as error:
        raise ValidationError(
            "This logo cannot be used: %(reason)s.", code="invalid_image", params={"reason": error}
        ) from None
    finally:
        uploaded.seek(0)


class LogoField(forms.ImageField):
    """An image field that accepts PNG, JPEG, WebP and GIF within the size limit only."""

    default_error_messages = {
        "invalid_image": "Upload a PNG, JPEG, WebP or GIF image.",
    }

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "help_text",
            f"PNG, JPEG, WebP or GIF, at most {max_logo_bytes() / 1048576:g} MiB. "
            "It is stored without its metadata and shown as a square "
            f"({', '.join(map(str, LOGO_SIZES))} px, padded, never cropped).",
        )
        super().__init__(**kwargs)
        self.widget.attrs["accept"] = "image/png,image/jpeg,image/webp,image/gif"

    def to_python(self, data):
        # Not super().to_python(): our checks give more precise messages and
        # refuse oversized files before Pillow opens them.
        data = forms.FileField.to_python(self, data)
        if data is None:
            return None
        clean = validate_logo(data)
        result = clean.as_file()
        result.content_type = "image/png"
        result.clean_logo = clean
        return result


class ProviderLogoForm(forms.ModelForm):
    class Meta:
        model = Provider
        fields = ["name", "domain", "description", "logo", "source_images", "extra", "source_file"]
        field_classes = {"logo": LogoField}

    def save(self, commit=True):
        # Thumbnails are named by content, not by row, so they can be written
        # before the admin saves the provider (it calls save(commit=False)).
        logo = self.cleaned_data.get("logo")
        clean = getattr(logo, "clean_logo", None)
        if clean is not None:
            write_logo_thumbnails(clean.image, clean.digest)
        return super().save(commit)
