"""Admin lists answer a query string they cannot use with a 400 and a plain reason.

Django's changelist turns filter values it cannot use into a redirect to
``?e=1`` and a "Database error" page that names nothing, and some values
(a year past 9998, ids past 2**63, a search of a hundred words) escape its
checks and end in a 500. Here every such value is checked up front, and
whatever the list cannot use is answered with a 400 page that says which part
of the address is wrong, with a link back to the unfiltered list.
"""

import datetime as dt

from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.template.response import TemplateResponse

from ..search import validate_search

MAX_ID = 2**63 - 1
"""The largest primary key any of our databases stores."""


class BadListQuery(Exception):
    """The list's query string holds a value the list cannot use; the message says which."""


def reason(error):
    """A readable reason from what Django's changelist raised."""
    cause = error.__cause__ or (error.args[0] if error.args else None)
    if isinstance(cause, ValidationError):
        return "; ".join(cause.messages)
    if isinstance(cause, BaseException):
        return str(cause)
    return str(error) or "a filter in this address cannot be used"


def id_value(parameter, value):
    """``value`` as a primary key, or ``IncorrectLookupParameters`` naming the parameter."""
    if value.isascii() and value.isdigit() and 0 < int(value) <= MAX_ID:
        return int(value)
    raise IncorrectLookupParameters(f"{parameter}: {value[:40]!r} is not an id")


def text_value(parameter, value):
    """``value`` as filter text, or ``IncorrectLookupParameters`` if the database
    cannot take it (PostgreSQL refuses NUL characters)."""
    try:
        ProhibitNullCharactersValidator()(value)
    except ValidationError:
        raise IncorrectLookupParameters(f"{parameter}: text may not hold NUL characters") from None
    return value


def search_too_long(term):
    """Whether the site's search rule (``articles.search``) refuses ``term``."""
    try:
        validate_search(term)
    except ValidationError:
        return True
    return False


def check_search(term):
    """Refuse a search the site's search rule refuses, saying why."""
    try:
        validate_search(term)
    except ValidationError as error:
        raise IncorrectLookupParameters(f"search: {'; '.join(error.messages)}") from None


def check_date_drilldown(params, field):
    """Refuse a ``date_hierarchy`` year, month or day that makes no date range.

    Django computes the range itself, but a year of 9999 (whose range ends in
    year 10000) or one past C's integers raises out of its check.
    """
    year, month, day = (params.get(f"{field}__{part}") for part in ("year", "month", "day"))
    if year is None:
        return
    try:
        _drilldown_range(year, month, day)
    except (ValueError, OverflowError):
        shown = "-".join(part[:12] for part in (year, month, day) if part is not None)
        raise IncorrectLookupParameters(
            f"{field}: {shown!r} is not a date this list can show (years 1 to 9998)"
        ) from None


def _drilldown_range(year, month, day):
    """The dates Django's changelist filters between, computed as it does."""
    start = dt.date(_number(year), _number(month or "1"), _number(day or "1"))
    if day:
        return start, start + dt.timedelta(days=1)
    if month:
        return start, (start + dt.timedelta(days=32)).replace(day=1)
    return start, start.replace(year=start.year + 1)


def _number(text):
    if not (text.isascii() and text.isdigit()):
        raise ValueError(f"{text[:12]!r} is not a number")
    return int(text)


def _sentence(text):
    return text.rstrip(". ")


class PlainListErrors:
    """For a ModelAdmin: a query string the list cannot use is a 400 with its reason."""

    def get_changelist_instance(self, request):
        try:
            return super().get_changelist_instance(request)
        except IncorrectLookupParameters as error:
            raise BadListQuery(_sentence(reason(error))) from error

    def changelist_view(self, request, extra_context=None):
        try:
            return super().changelist_view(request, extra_context)
        except BadListQuery as error:
            context = {
                **self.admin_site.each_context(request),
                "title": "This list cannot be shown",
                "opts": self.opts,
                "reason": str(error),
            }
            return TemplateResponse(request, "admin/bad_list_query.html", context, status=400)
