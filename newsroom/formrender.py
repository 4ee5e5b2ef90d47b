"""The form renderer: Django's templates, with the plain inputs and selects drawn in Python.

The editors' story list draws six inputs a row (the action checkbox, ``published``
and ``quality`` each with their page-load copy, the row's id): 600 on a page of
100, each through Django's ``input.html`` and ``attrs.html`` templates, about
half the page's time; the public filter form renders a select option per topic,
type and sort through ``select_option.html`` (~14 ms of a 50 ms list page). Those
templates only arrange the widget's name, value and attributes, so here they are
drawn by functions producing the same markup (``newsroom/tests/test_formrender.py``
compares the two, hostile values included), and an empty error list, which its
template draws as nothing, is not rendered; every other template renders as before.
"""

import html

from django.forms.renderers import DjangoTemplates
from django.utils.functional import Promise
from django.utils.safestring import SafeData, SafeString

# Django's widget templates that are exactly ``{% include "…/input.html" %}``.
PLAIN_INPUTS = frozenset(
    f"django/forms/widgets/{name}.html"
    for name in (
        "input",
        *("checkbox", "color", "date", "datetime", "email", "file", "hidden"),
        *("number", "password", "search", "tel", "text", "time", "url"),
    )
)
SELECT = "django/forms/widgets/select.html"
# A form's error lists: ``{% if errors %}<ul …>…</ul>{% endif %}``, nothing when empty.
ERROR_LISTS = frozenset(
    {"django/forms/errors/list/default.html", "django/forms/errors/list/ul.html"}
)
ERROR_LIST_CONTEXT = frozenset({"errors", "error_class"})


def escaped(value):
    """``conditional_escape(value)`` as text, without the lazy-string wrapper around
    Django's ``escape`` (a third of the escaping's cost; ~30,000 calls on a page of the
    editors' list)."""
    if type(value) is str:
        return html.escape(value)
    if isinstance(value, Promise):
        value = str(value)
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


def _formatted(value):
    """``{{ value|stringformat:'s' }}``: safe text stays unescaped, the rest is escaped."""
    kind = type(value)
    if kind is str:
        return html.escape(value)
    if kind is int:
        return str(value)  # digits and a sign: nothing to escape
    text = str(value)
    return text if isinstance(value, SafeData) else escaped(text)


_NAMES = {}  # attribute name or input type -> its escaped text: a handful, used thousands of times


def _name(name):
    if type(name) is not str:
        return escaped(name)
    shown = _NAMES.get(name)
    if shown is None:
        shown = html.escape(name)
        if len(_NAMES) < 512:
            _NAMES[name] = shown
    return shown


def attrs_html(attrs):
    """Django's ``attrs.html``: ``name="value"``, a bare name for True, nothing for False."""
    return "".join(
        f" {_name(name)}" if value is True else f' {_name(name)}="{_formatted(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def render_input(widget):
    """What ``django/forms/widgets/input.html`` renders for the ``widget`` context."""
    value = "" if widget["value"] is None else f' value="{_formatted(widget["value"])}"'
    # SafeString, not mark_safe: every part is escaped, and mark_safe's lazy wrapper
    # cost as much as the rest of this function.
    return SafeString(
        f'<input type="{_name(widget["type"])}"'
        f' name="{escaped(widget["name"])}"{value}{attrs_html(widget["attrs"])}>'
    )


def _option_html(option):
    """Django's ``select_option.html``, with the newline that template ends with."""
    return (
        f'<option value="{_formatted(option["value"])}"{attrs_html(option["attrs"])}>'
        f"{escaped(option['label'])}</option>\n"
    )


def render_select(widget):
    """What ``django/forms/widgets/select.html`` renders: an option a line, groups labelled."""
    parts = [f'<select name="{escaped(widget["name"])}"{attrs_html(widget["attrs"])}>']
    for group_name, options, _ in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{escaped(group_name)}">')
        parts.extend(f"\n  {_option_html(option)}" for option in options)
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return SafeString("".join(parts))  # every part is escaped


class FastWidgetRenderer(DjangoTemplates):
    """Django's renderer, drawing :data:`PLAIN_INPUTS` and the select without templates,
    and an empty error list (each list-edit field's, 200 a story-list page) as nothing."""

    def render(self, template_name, context, request=None):
        keys = context.keys()
        if keys == {"widget"}:
            if template_name in PLAIN_INPUTS:
                return render_input(context["widget"])
            if template_name == SELECT:
                return render_select(context["widget"])
        elif keys == ERROR_LIST_CONTEXT and template_name in ERROR_LISTS:
            if not context["errors"]:
                return ""
        return super().render(template_name, context, request)
