"""The one check of each field that files, the admin and the models all write.

The importer runs these on every file (turning a ``ValidationError`` into the
file's one-line reason), the models list them in ``validators=`` (so every
admin form checks them), and the admin's bulk actions build their form fields
from them: an editor can store nothing a file could not.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils.deconstruct import deconstructible

INT_MIN, INT_MAX = -(2**31), 2**31 - 1
"""The range of an integer column on every database we support."""

MAX_DOMAIN = 253
MAX_DOMAIN_LABEL = 63


@deconstructible(path="articles.validators.IntRange")
class IntRange:
    """A whole number's allowed range, as a validator and as a form field."""

    def __init__(self, low, high):
        self.low, self.high = low, high

    def __call__(self, value):
        if value is None:
            return
        if value < self.low:
            message = (
                "%(value)s is negative"
                if self.low == 0
                else "%(value)s is out of range (at least %(low)s)"
            )
            raise ValidationError(message, code="out_of_range", params=self._params(value))
        if value > self.high:
            raise ValidationError(
                "%(value)s is out of range (at most %(high)s)",
                code="out_of_range",
                params=self._params(value),
            )

    def _params(self, value):
        return {"value": value, "low": self.low, "high": self.high}

    def form_field(self, **kwargs):
        """An integer form field that refuses what this range refuses, in the same words."""
        field = forms.IntegerField(validators=[self], **kwargs)
        field.widget.attrs.update(min=self.low, max=self.high)
        return field

    def __eq__(self, other):
        return isinstance(other, IntRange) and (self.low, self.high) == (other.low, other.high)

    def __hash__(self):
        return hash((self.low, self.high))


INTEGER = IntRange(INT_MIN, INT_MAX)
"""Any number an integer column holds (SQLite would take more; PostgreSQL would not)."""
QUALITY = IntRange(0, INT_MAX)
"""An editorial score: 0 and up."""
HEAT = INTEGER
"""A popularity score from the source."""
SIZE = IntRange(0, INT_MAX)
"""An image's width or height in pixels."""

MAX_PROVIDER_NAME = 500
"""Outlet names are indexed: PostgreSQL's btree refuses entries over ~2,700 bytes."""
provider_name = MaxLengthValidator(MAX_PROVIDER_NAME)


def normalise_domain(value):
    """How a domain is stored: without surrounding spaces, lower-case."""
    return value.strip().lower()


def validate_domain(value):
    """An outlet's domain: a host name, since it becomes a path segment of its page.

    Labels of letters (any script), digits, hyphens and underscores, joined by
    single dots; no slash, space or other character that would break the URL.
    """
    if not value:
        raise ValidationError("the domain is empty", code="invalid_domain")
    if len(value) > MAX_DOMAIN:
        raise ValidationError(
            "%(value)s… is longer than %(max)s characters",
            code="invalid_domain",
            params={"value": value[:40], "max": MAX_DOMAIN},
        )
    if not all(_is_label(label) for label in value.split(".")):
        raise ValidationError(
            "%(value)r is not a domain name (letters, digits and hyphens between dots)",
            code="invalid_domain",
            params={"value": value[:80]},
        )


def _is_label(label):
    return (
        0 < len(label) <= MAX_DOMAIN_LABEL
        and not label.startswith("-")
        and not label.endswith("-")
        and all(char.isalnum() or char in "-_" for char in label)
    )


def messages_of(error):
    """A ``ValidationError``'s messages as one line."""
    return "; ".join(error.messages)


SCHEDULE_ORDER = "The unpublish time must be later than the publish time."


def check_schedule(publish_at, unpublish_at):
    """A story's public window: it must end after it starts (an empty end is open)."""
    if publish_at is not None and unpublish_at is not None and unpublish_at <= publish_at:
        raise ValidationError({"unpublish_at": SCHEDULE_ORDER}, code="schedule_order")
