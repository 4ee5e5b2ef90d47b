"""Post an admin change form back as a browser would, with some values changed."""

from django.forms import MultiWidget


def change_form_data(response, **changes):
    """The change page's form and inline formsets as POST data, updated with ``changes``."""
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        forms += [inline.formset.management_form, *inline.formset.forms]
    data = {}
    for form in forms:
        for bound in form:
            data.update(_field_data(bound))
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}


def _field_data(bound):
    value, widget = bound.value(), bound.field.widget
    if isinstance(widget, MultiWidget):
        parts = value if isinstance(value, list) else widget.decompress(value)
        return {f"{bound.html_name}_{i}": _text(part) for i, part in enumerate(parts)}
    if value is False:
        return {}
    if value is True:
        return {bound.html_name: "on"}
    if isinstance(value, list | tuple):
        return {bound.html_name: [_text(v) for v in value]}
    return {bound.html_name: _text(value)}


def _text(value):
    return "" if value is None else str(value)
