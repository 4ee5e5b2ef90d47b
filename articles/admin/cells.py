"""One changelist column's cells, as Django's ``items_for_result`` shows them.

What does not depend on the row is settled once a list (:class:`Column`): which
field or function gives the value, the cell's classes, how the value is shown.
The common values are drawn without Django's per-value lookups (:class:`Shown`:
boolean icons drawn once, integers, dates formatted with the list's format and time
zone, the action checkbox); every other value goes through ``display_for_field`` or
``display_for_value`` as in Django.
"""

import datetime

from django.conf import settings
from django.contrib.admin import ModelAdmin, helpers
from django.contrib.admin.templatetags.admin_list import _boolean_icon, _coerce_field_name
from django.contrib.admin.utils import (
    FieldIsAForeignKeyColumnName,
    _get_non_gfk_field,
    display_for_field,
    display_for_value,
    get_fields_from_path,
    lookup_field,
)
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist
from django.db import models
from django.db.models.constants import LOOKUP_SEP
from django.utils import dateformat, timezone
from django.utils.formats import get_format
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from newsroom.formrender import escaped, render_input

NOWRAP_FIELDS = (models.DateField, models.TimeField, models.ForeignKey)


class Shown:
    """What every cell of one list is drawn with: the request's language, time zone and
    number settings, read once (Django reads them again for each value)."""

    def __init__(self):
        self.icons = {value: _boolean_icon(value) for value in (True, False, None)}
        self.plain_ints = not settings.USE_THOUSAND_SEPARATOR
        self.zone = timezone.get_current_timezone() if settings.USE_TZ else None
        self.datetime_format = get_format("DATETIME_FORMAT")
        self.select_label = gettext("Select this object for an action - {}")

    def integer(self, value, field, empty):
        """``display_for_field`` of an IntegerField: ``number_format``, plain without grouping."""
        if value is None:
            return empty
        if type(value) is int and self.plain_ints:
            return str(value)
        return display_for_field(value, field, empty)

    def moment(self, value, field, empty):
        """``display_for_field`` of a DateTimeField: localized in the current time zone."""
        if value is None:
            return empty
        aware = type(value) is datetime.datetime and value.utcoffset() is not None
        if aware and self.zone is not None:
            return dateformat.format(value.astimezone(self.zone), self.datetime_format)
        return display_for_field(value, field, empty)

    def icon(self, value, field, empty):
        """``display_for_field`` of a BooleanField: the yes, no or unknown icon."""
        if value is True or value is False or value is None:
            return self.icons[value]
        return display_for_field(value, field, empty)

    def checkbox(self, result):
        """``ModelAdmin.action_checkbox``: the row's checkbox, named after the object."""
        label = SafeString(self.select_label.format(escaped(str(result))))
        widget = {
            "type": "checkbox",
            "name": helpers.ACTION_CHECKBOX_NAME,
            "value": str(result.pk),
            "attrs": {"class": "action-select", "aria-label": label},
        }
        return render_input(widget)


def _fast_display(field, shown):
    """The :class:`Shown` method drawing ``field``'s values, if ``display_for_field`` would
    take the branch it stands for (not the password's, nor the choices')."""
    if getattr(field, "flatchoices", None) or field.name == "password":
        return None
    if isinstance(field, models.BooleanField):
        return shown.icon
    if isinstance(field, models.DateTimeField):
        return shown.moment
    if isinstance(field, models.IntegerField):
        return shown.integer
    return None


class Column:
    """One ``list_display`` entry: how each row's value is found and shown."""

    def __init__(self, cl, index, name, linked, first, shown):
        self.name, self.linked, self.shown_with = name, linked, shown
        self.tag = "th" if linked and first else "td"
        self.admin = admin = cl.model_admin
        self.empty = admin.get_empty_value_display()
        # Without "nowrap" nor "action-checkbox": a cell whose related object is missing.
        self.plain_classes = self.classes = f"field-{_coerce_field_name(name, index)}"
        self.field, self.attr, self.display, self.checkbox = None, None, None, False
        try:
            self.field = _get_non_gfk_field(cl.model._meta, name)
        except (FieldDoesNotExist, FieldIsAForeignKeyColumnName):
            # A function, a ModelAdmin method, or whatever lookup_field makes of it.
            if callable(name):
                self.attr = name
            elif hasattr(admin, name) and name != "__str__":
                self.attr = getattr(admin, name)
                self.checkbox = name == "action_checkbox" and (
                    type(admin).action_checkbox is ModelAdmin.action_checkbox
                )
        # A plain field edited in the list: its cell is the form's input whatever the value.
        self.editable = self.field is not None and not self.field.is_relation
        self.terminal = self.field
        if self.field is None and isinstance(name, str) and LOOKUP_SEP in name:
            try:
                self.terminal = get_fields_from_path(cl.model, name)[-1]
            except FieldDoesNotExist:
                pass
        if self.terminal is not None and not self.terminal.auto_created:
            if isinstance(self.terminal, NOWRAP_FIELDS):
                self.classes += " nowrap"
            self.display = _fast_display(self.terminal, shown)
        elif name == "action_checkbox":
            self.classes = "action-checkbox"

    def text(self, result):
        """The cell's text (safe or not) and its extra class (None: the plain classes only),
        as ``items_for_result`` finds them."""
        if self.checkbox:
            return self.shown_with.checkbox(result), ""
        try:
            if self.field is not None:
                attr, value = None, getattr(result, self.name)
            elif self.attr is not None:
                attr, value = self.attr, self.attr(result)
            else:
                _, attr, value = lookup_field(self.name, result, self.admin)
        except ObjectDoesNotExist:
            return self.empty, None
        empty = self.empty if attr is None else getattr(attr, "empty_value_display", self.empty)
        field = self.terminal
        if field is None or field.auto_created:
            boolean = getattr(attr, "boolean", False)
            if isinstance(attr, property) and hasattr(attr, "fget"):
                boolean = getattr(attr.fget, "boolean", False)
            if boolean and (value is True or value is False or value is None):
                shown = self.shown_with.icons[value]
            else:
                shown = display_for_value(value, empty, boolean)
            return shown, " nowrap" if isinstance(value, datetime.date | datetime.time) else ""
        if isinstance(field.remote_field, models.ManyToOneRel):
            return (empty if value is None else value), ""
        if self.display is not None:
            return self.display(value, field, empty), ""
        return display_for_field(value, field, empty, avoid_link=self.linked), ""
