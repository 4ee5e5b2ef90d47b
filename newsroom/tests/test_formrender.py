"""The plain inputs drawn in Python are the markup Django's templates draw."""

from pathlib import Path

import django.forms
import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.forms.utils import ErrorList
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from newsroom.formrender import PLAIN_INPUTS, FastWidgetRenderer, escaped

WIDGETS = Path(django.forms.__file__).parent / "templates"

ATTRS = [
    {},
    {"class": "vIntegerField", "aria-label": 'Quality (A "quoted" <title> & more)'},
    {"disabled": True, "checked": True, "data-off": False, "min": 0},
    {"data-safe": mark_safe("<b>kept</b>"), "data-n": 3.5},
    {'data-"odd"&<name>': -7, mark_safe("data-<safe>"): "x", "max": 10**20},
]
VALUES = [None, "", "plain", 'a "quote" <tag> & amp', 0, 42, True, False, mark_safe("<i>x</i>")]


def widgets():
    yield forms.TextInput()
    yield forms.NumberInput()
    yield forms.HiddenInput()
    yield forms.EmailInput()
    yield forms.URLInput()
    yield forms.PasswordInput(render_value=True)
    yield forms.CheckboxInput()
    yield forms.CheckboxInput(check_test=lambda value: False)
    yield forms.DateInput()
    yield forms.TimeInput()
    yield forms.DateTimeInput()


@pytest.mark.parametrize("widget", list(widgets()), ids=lambda widget: type(widget).__name__)
@pytest.mark.parametrize("attrs", ATTRS)
@pytest.mark.parametrize("value", VALUES, ids=repr)
def test_same_markup_as_the_templates(widget, attrs, value):
    name = 'form-0-"quality"'
    assert widget.render(name, value, attrs, FastWidgetRenderer()) == widget.render(
        name, value, attrs, DjangoTemplates()
    )


def test_only_templates_that_are_the_plain_input():
    """Each template drawn in Python holds nothing but the input (or is the input itself)."""
    include = '{% include "django/forms/widgets/input.html" %}'
    for template in PLAIN_INPUTS - {"django/forms/widgets/input.html"}:
        assert (WIDGETS / template).read_text().strip() == include, template


def test_other_templates_render_as_before():
    widget = forms.CheckboxSelectMultiple(choices=[("a", "A & B")])
    assert widget.render("pick", "a", None, FastWidgetRenderer()) == widget.render(
        "pick", "a", None, DjangoTemplates()
    )


def test_is_the_sites_renderer(settings):
    assert settings.FORM_RENDERER == "newsroom.formrender.FastWidgetRenderer"


class _SafeStr:
    """An object whose ``str()`` is marked safe (``"%s" % it`` is that safe string)."""

    def __str__(self):
        return mark_safe("<b>x</b>")

    def __repr__(self):
        return "_SafeStr()"  # the same test id in every pytest-xdist worker


@pytest.mark.parametrize(
    "value",
    [*VALUES, gettext_lazy("Select all"), mark_safe(gettext_lazy("a & b")), 3.5, _SafeStr()],
    ids=repr,
)
def test_escaped_is_conditional_escape(value):
    assert escaped(value) == conditional_escape(value)


def test_what_str_marks_safe_stays_unescaped():
    widget = forms.TextInput()
    attrs = {"data-x": _SafeStr()}
    assert widget.render("n", _SafeStr(), attrs, FastWidgetRenderer()) == widget.render(
        "n", _SafeStr(), attrs, DjangoTemplates()
    )


@pytest.mark.parametrize("template", ["default", "ul"])
@pytest.mark.parametrize("messages", [[], ["Enter a <number>."], ["One", "Two & three"]])
@pytest.mark.parametrize("field_id", [None, "id_form-0-quality"])
def test_error_lists_as_the_templates_draw_them(template, messages, field_id):
    """An empty error list is drawn as the template draws it (nothing); others as before."""
    errors = ErrorList(messages, field_id=field_id)
    name = f"django/forms/errors/list/{template}.html"
    renderers = (FastWidgetRenderer(), DjangoTemplates())
    fast, slow = (renderer.render(name, errors.get_context()) for renderer in renderers)
    assert fast == slow
    assert str(ErrorList(messages, renderer=FastWidgetRenderer())) == str(
        ErrorList(messages, renderer=DjangoTemplates())
    )
