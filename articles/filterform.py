"""The list pages' filter form (the search box, the folded filters), drawn in Python.

The one place its markup is written (it was ``includes/filter_form.html``, whose
loop over the fields and their labels and errors cost as much as the widgets).
The widgets themselves are Django's, through the site's form renderer
(``newsroom/formrender.py``).

A filtered list draws its bound form (values, errors). A list with no filter set
(``filters.sets_no_filter``) draws the filters' own fields, unbound, without
building a FilterSet and its form for the request (about half a millisecond): every
value is empty then and none can be in error, so each widget renders what the bound
form's would from the query's (empty) value (``articles/tests/test_filter_form_drawn.py``
compares the two).
"""

import copy
import functools
from dataclasses import dataclass

from django.forms.utils import pretty_name
from django.templatetags.static import static
from django.utils.safestring import SafeString

from newsroom.formrender import escaped

from .filters import ArticleFilter, public_outlets, story_types
from .models import Article
from .taxonomy import public_taxonomy


@dataclass(frozen=True)
class DrawnField:
    """What the form shows of a field: a bound field's parts, or an unbound one's."""

    name: str
    label: str
    id_for_label: str
    html: str
    errors: tuple = ()


def topic_choices(request, empty_label):
    """The topic filter's choices: the taxonomy's public topics, the navigation's query."""
    taxonomy = public_taxonomy(request)
    return [("", empty_label), *((node.slug, node.name) for node in taxonomy.by_id.values())]


def bound_form_html(form, *, action, filtered, active_filters):
    """The form of a filtered list: ``form`` (a FilterSet's) with its values and errors."""
    fields = [
        DrawnField(bound.name, bound.label, bound.id_for_label, str(bound), tuple(bound.errors))
        for bound in form
    ]
    return _form_html(
        fields,
        action=action,
        filtered=filtered,
        active_filters=active_filters,
        any_errors=bool(form.errors),
        non_field_errors=form.non_field_errors(),
    )


def empty_form_html(request, *, leave_out=(), action, filtered):
    """The form of a list with no filter set: ``ArticleFilter``'s fields but ``leave_out``.

    Drawn from what it shows, asked afresh on every request (the query's values,
    the taxonomy's topics, the public outlets and types: the same queries each
    time); a process keeps the HTML it last drew for the same values
    (:func:`_drawn_form`), so a changed outlet name or a new type is in the key and
    shows at once.
    """
    form = _unbound_form()
    shown = [name for name in form.fields if name not in leave_out]
    given = tuple(
        form.fields[name].widget.value_from_datadict(request.GET, {}, name) for name in shown
    )
    offered = {  # asked only for the fields shown: an outlet's page has no outlet box
        "topic": lambda: tuple(topic_choices(request, form.fields["topic"].empty_label)),
        "provider": lambda: tuple(public_outlets()),
        "type": lambda: tuple(story_types()),
    }
    options = (offered[name]() if name in shown else None for name in OFFERED)
    return _drawn_form(tuple(shown), given, action, filtered, *options)


OFFERED = ("topic", "provider", "type")
"""The fields whose options come from the database, in :func:`_drawn_form`'s order."""


@functools.lru_cache(maxsize=64)
def _drawn_form(shown, given, action, filtered, topics, outlets, types):
    """The empty form's HTML: a function of its arguments only (each widget gets its
    options passed in, so drawing it queries nothing)."""
    form = _unbound_form()
    fields = []
    for name, value_given in zip(shown, given, strict=True):
        field = form.fields[name]
        widget = copy.copy(field.widget)  # a copy of its own for the options passed in
        if name == "topic":
            widget.choices = list(topics)
        elif name == "provider":
            widget.outlets = outlets
        elif name == "type":
            widget.choices = list(types)
        html_id = form.auto_id % name
        # BoundField.value() of a form bound to the query: an empty value ("?since=")
        # is not an absent one to every widget (a date box keeps value="").
        value = field.prepare_value(field.bound_data(value_given, field.initial))
        html = widget.render(name, value, {"id": html_id}, form.renderer)
        label = pretty_name(name) if field.label is None else field.label
        fields.append(DrawnField(name, label, widget.id_for_label(html_id), html))
    return _form_html(fields, action=action, filtered=filtered)


@functools.cache
def _unbound_form():
    """One unbound form of the filters per process, only ever read: its fields and widgets
    render with the values and attributes passed in, and change nothing of their own."""
    return ArticleFilter(queryset=Article.objects.none()).form


def _form_html(
    fields, *, action, filtered, active_filters=0, any_errors=False, non_field_errors=()
):
    """``includes/filter_form.html`` as it was, for ``fields`` (``DrawnField``s, ``q`` first)."""
    action = escaped(action)
    errors = (
        f'<div class="form-errors" role="alert">{escaped(non_field_errors)}</div>'
        if non_field_errors
        else ""
    )
    search = next(field for field in fields if field.name == "q")
    count = (
        f' <span class="filters__count">({escaped(active_filters)} active)</span>'
        if active_filters
        else ""
    )
    others = "".join(_field_html(field) for field in fields if field.name != "q")
    clear = f'<a href="{action}">Clear filters</a>' if filtered else ""
    return SafeString(  # every value is escaped, every widget is Django's rendering
        f'<form class="filters" method="get" action="{action}" role="search"'
        ' aria-label="Search and filter stories">\n'
        f"  {errors}\n  \n"
        f'  <div class="filters__search{_error_class(search)}">\n'
        f'    <label class="visually-hidden" for="{escaped(search.id_for_label)}">'
        f"{escaped(search.label)}</label>\n"
        f"    {search.html}\n"
        '    <button type="submit">Search</button>\n'
        f"    {_errors_html(search)}\n"
        "  </div>\n  \n"
        f'  <details class="filters__more"{" open" if any_errors else ""}>\n'
        f"    <summary>Filters{count}</summary>\n"
        f'    <div class="filters__fields">\n      {others}\n    </div>\n'
        '    <div class="filters__actions">\n'
        '      <button type="submit">Apply</button>\n'
        f"      {clear}\n"
        "    </div>\n  </details>\n</form>\n"
        f'<script src="{escaped(static("js/filters.js"))}" defer></script>\n'
    )


def _field_html(field):
    return (
        f'\n      <div class="field{_error_class(field)}">\n'
        f'        <label for="{escaped(field.id_for_label)}">{escaped(field.label)}</label>\n'
        f"        {field.html}\n"
        f"        {_errors_html(field)}\n"
        "      </div>\n      "
    )


def _error_class(field):
    return " field--error" if field.errors else ""


def _errors_html(field):
    if not field.errors:
        return ""
    return f'<p class="field__error" role="alert">{" ".join(map(escaped, field.errors))}</p>'
