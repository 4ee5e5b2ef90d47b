"""The filter form's widgets written in Python, byte for byte as Django's templates write them.

Django renders every widget, and every option of a select, through a template:
on a list page that was about 14 ms of a 50 ms page (8 fields, 40 topics, the
types, the sorts), for HTML that never varies in shape. :class:`PythonWidgets`
writes the inputs and selects the form uses directly and leaves any other
template to Django, so a widget added later still renders, only through the
slower path.
"""

from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe


def _text(value):
    """``{{ value|stringformat:"s" }}``: the value as text, escaped unless already safe."""
    return conditional_escape(value if isinstance(value, str) else str(value))


def attrs_html(attrs):
    """Django's ``attrs.html``: ``name="value"``, a bare name for True, nothing for False."""
    return "".join(
        f" {conditional_escape(name)}"
        if value is True
        else f' {conditional_escape(name)}="{_text(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def input_html(widget):
    """Django's ``input.html`` (and the text, number, date and search inputs that include it)."""
    value = "" if widget["value"] is None else f' value="{_text(widget["value"])}"'
    return (
        f'<input type="{conditional_escape(widget["type"])}" '
        f'name="{conditional_escape(widget["name"])}"{value}{attrs_html(widget["attrs"])}>'
    )


def option_html(option):
    """Django's ``select_option.html``, with the newline that template ends with."""
    return (
        f'<option value="{_text(option["value"])}"{attrs_html(option["attrs"])}>'
        f"{conditional_escape(option['label'])}</option>\n"
    )


def select_html(widget):
    """Django's ``select.html``: each option on its own line, optgroups labelled."""
    parts = [f'<select name="{conditional_escape(widget["name"])}"{attrs_html(widget["attrs"])}>']
    for group_name, options, _ in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
        parts.extend(f"\n  {option_html(option)}" for option in options)
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


WRITERS = {
    **{
        f"django/forms/widgets/{kind}.html": input_html
        for kind in ("input", "text", "search", "number", "date", "email", "url")
    },
    "django/forms/widgets/select.html": select_html,
}
"""The widget templates written here; each writes what the template would, stripped."""


class PythonWidgets(DjangoTemplates):
    """Django's form renderer, with the widgets of :data:`WRITERS` written in Python."""

    def render(self, template_name, context, request=None):
        write = WRITERS.get(template_name)
        if write is None or set(context) != {"widget"}:
            return super().render(template_name, context, request)
        return mark_safe(write(context["widget"]))  # every value above is escaped  # noqa: S308
