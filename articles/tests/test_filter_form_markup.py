"""The filter form's widgets, drawn by the site's renderer, are what Django's templates write."""

import datetime as dt

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe

from articles.filters import ArticleFilter
from articles.models import Article
from newsroom.formrender import FastWidgetRenderer

HOSTILE = '"><script>alert(1)</script>&amp;'

WIDGETS = [
    (forms.TextInput(attrs={"type": "search", "placeholder": HOSTILE, "maxlength": 500}), HOSTILE),
    (forms.TextInput(), None),
    (forms.TextInput(attrs={"required": True, "disabled": False}), mark_safe("<b>safe</b>")),
    (forms.NumberInput(attrs={"min": 0, "step": 1}), 42),
    (forms.DateInput(attrs={"type": "date"}), dt.date(2024, 2, 29)),
    (forms.Select(choices=[("", "All"), ("a", "A & B"), (HOSTILE, HOSTILE)]), HOSTILE),
    (forms.Select(choices=[("", "All"), (1, "One"), (2, "Two")]), "2"),
    (forms.Select(choices=[("Group <1>", [("x", "X"), ("y", "Y")]), ("z", "Z")]), "y"),
    (forms.Select(choices=[]), None),
]


@pytest.mark.parametrize(("widget", "value"), WIDGETS)
def test_same_html_as_the_templates(widget, value):
    attrs = {"id": "id_field"}
    expected = widget.render("field", value, attrs, renderer=DjangoTemplates())
    assert widget.render("field", value, attrs, renderer=FastWidgetRenderer()) == expected


def test_other_widgets_still_render_through_their_templates():
    widget = forms.CheckboxSelectMultiple(choices=[("a", "A"), ("b", "B")])
    expected = widget.render("field", ["a"], renderer=DjangoTemplates())
    assert widget.render("field", ["a"], renderer=FastWidgetRenderer()) == expected


@pytest.mark.django_db
def test_the_filter_form_renders_every_field_as_the_templates_do():
    """Bound with values and errors, so selected options and error states are compared too."""
    data = {"q": HOSTILE, "type": "video", "sort": "quality", "since": "nope", "min_quality": "7"}
    python = ArticleFilter(data, queryset=Article.objects.all()).form
    templates = ArticleFilter(data, queryset=Article.objects.all()).form
    templates.renderer = DjangoTemplates()
    assert isinstance(python.renderer, FastWidgetRenderer)
    assert not python.is_valid()
    for name in python.fields:
        assert str(python[name]) == str(templates[name])
