"""The form renderer: Django's templates, with plain inputs drawn in Python.

The editors' story list draws six inputs a row (the action checkbox, ``published``
and ``quality`` each with their page-load copy, the row's id): 600 on a page of
100, each through Django's ``input.html`` and ``attrs.html`` templates, about
half the page's time. The templates of the plain ``<input>`` widgets only
arrange the widget's name, value and attributes, so here they are drawn by a
function producing the same markup (``newsroom/tests/test_formrender.py``
compares the two); every other template renders as before.
"""

from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, mark_safe

# Django's widget templates that are exactly ``{% include "…/input.html" %}``.
PLAIN_INPUTS = frozenset(
    f"django/forms/widgets/{name}.html"
    for name in (
        "input",
        *("checkbox", "color", "date", "datetime", "email", "file", "hidden"),
        *("number", "password", "search", "tel", "text", "time", "url"),
    )
)


def _formatted(value):
    """``{{ value|stringformat:'s' }}``: safe text stays unescaped, the rest is escaped."""
    text = str(value)
    return text if isinstance(value, SafeData) else conditional_escape(text)


def render_input(widget):
    """What ``django/forms/widgets/input.html`` renders for the ``widget`` context."""
    parts = [
        f'<input type="{conditional_escape(widget["type"])}"'
        f' name="{conditional_escape(widget["name"])}"'
    ]
    if widget["value"] is not None:
        parts.append(f' value="{_formatted(widget["value"])}"')
    for name, value in widget["attrs"].items():
        if value is False:
            continue
        parts.append(f" {conditional_escape(name)}")
        if value is not True:
            parts.append(f'="{_formatted(value)}"')
    parts.append(">")
    return mark_safe("".join(parts))


class FastInputRenderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        if template_name in PLAIN_INPUTS and "widget" in context:
            return render_input(context["widget"])
        return super().render(template_name, context, request)
