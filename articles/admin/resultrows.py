"""Every admin changelist's rows drawn in one Python loop, with Django's markup.

Django's ``{% result_list %}`` draws each cell through ``items_for_result``: per
cell it looks the column up again (``lookup_field``, raising and catching
``FieldDoesNotExist`` for every display function), reverses the row's change URL
and parses it again to add the preserved filters, and renders the row's items
through the template one by one: about half of the editors' story list (100 rows,
10 columns, two list-edit inputs a row). Here what does not depend on the row is
worked out once per list (``cells.Column``, :class:`ChangeLink`) and each row is one
string; the cells are those ``items_for_result`` yields, byte for byte
(``articles/tests/test_admin_resultrows.py`` compares the two on every admin list).
Anything unusual (a display that is neither a field, a function nor a ModelAdmin
method, a changelist with its own ``url_for_result``, a non-integer primary key)
goes through Django's own code.
"""

from django.contrib.admin.templatetags.admin_list import result_headers, result_hidden_fields
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.contrib.admin.views.main import ChangeList
from django.urls import NoReverseMatch, reverse
from django.utils.html import escape
from django.utils.safestring import SafeString

from newsroom.formrender import escaped

from .cells import Column, Shown

PK_MARK = "__newsroom_pk__"  # survives reverse() and add_preserved_filters unchanged


class ChangeLink:
    """The rows' change URLs from one reversed URL: ``prefix + pk + suffix``, escaped.

    ``cl.url_for_result`` reverses the same pattern for every row and
    ``add_preserved_filters`` appends the same query to each; for an integer
    primary key only the digits differ. Otherwise each row goes through Django.
    """

    def __init__(self, cl):
        self.cl = cl
        self.pk_name = str(cl.to_field) if cl.to_field else cl.lookup_opts.pk.attname
        self.fast = False
        if type(cl).url_for_result is ChangeList.url_for_result:
            opts = cl.opts
            try:
                url = reverse(
                    f"admin:{opts.app_label}_{opts.model_name}_change",
                    args=(PK_MARK,),
                    current_app=cl.model_admin.admin_site.name,
                )
            except NoReverseMatch:
                pass  # each row tries url_for_result, as items_for_result does
            else:
                prefix, mark, suffix = self._preserved(url).partition(PK_MARK)
                self.fast = bool(mark)
                self.prefix, self.suffix = escape(prefix), escape(suffix)

    def _preserved(self, url):
        return add_preserved_filters(
            {"preserved_filters": self.cl.preserved_filters, "opts": self.cl.opts}, url
        )

    def html(self, result, text):
        """The linked cell's contents: ``<a href=…>text</a>``, or the text alone."""
        pk = getattr(result, self.cl.pk_attname)
        if self.fast and type(pk) is int:
            url = f"{self.prefix}{pk}{self.suffix}"
        else:
            try:
                url = escape(self._preserved(self.cl.url_for_result(result)))
            except NoReverseMatch:
                return escaped(text)
        popup = ""
        if self.cl.is_popup:
            value = escaped(result.serializable_value(self.pk_name))
            popup = f' data-popup-opener="{value}"'
        return f'<a href="{url}"{popup}>{escaped(text)}</a>'


def _links(cl):
    """Whether each column links to the row's change page, as ``items_for_result`` decides."""
    links = cl.list_display_links
    if links is None:
        return [False] * len(cl.list_display)
    if not links:
        return [index == 0 for index in range(len(cl.list_display))]
    return [name in links for name in cl.list_display]


class Rows:
    """The ``<tbody>`` of one changelist page."""

    def __init__(self, cl):
        self.cl = cl
        self.link = ChangeLink(cl)
        shown = Shown()
        self.columns, first = [], True
        for index, (name, linked) in enumerate(zip(cl.list_display, _links(cl), strict=True)):
            self.columns.append(Column(cl, index, name, linked, first, shown))
            first = first and not linked
        self.pk_name = cl.model._meta.pk.name

    def cells(self, result, form):
        """The row's cells, each the string ``items_for_result`` yields for it."""
        cells = []
        for column in self.columns:
            if (
                not column.linked
                and form is not None
                and column.name in form.fields
                and not (column.name == self.pk_name and form[self.pk_name].is_hidden)
            ):
                # The form's input, whatever the value: shown only for its classes.
                extra = "" if column.editable else column.text(result)[1]
                bound = form[column.name]
                html = f"{escaped(bound.errors)}{escaped(bound)}"
            else:
                text, extra = column.text(result)
                html = self.link.html(result, text) if column.linked else escaped(text)
            classes = column.plain_classes if extra is None else column.classes + extra
            cells.append(f'<{column.tag} class="{classes}">{html}</{column.tag}>')
        if form is not None and not form[self.pk_name].is_hidden:
            cells.append(f"<td>{escaped(form[self.pk_name])}</td>")
        return cells

    def row(self, result, form):
        """A row as ``change_list_results.html`` draws it, non-field errors first."""
        cells = self.cells(result, form)
        errors = form.non_field_errors() if form is not None else None
        shown = (
            f'\n    <tr><td colspan="{len(cells)}">{escaped(errors)}</td></tr>\n' if errors else ""
        )
        return f"\n{shown}\n<tr>{''.join(cells)}</tr>\n"

    def html(self):
        cl = self.cl
        if cl.formset:
            pairs = zip(cl.result_list, cl.formset.forms, strict=False)
        else:
            pairs = ((result, None) for result in cl.result_list)
        return SafeString("".join(self.row(result, form) for result, form in pairs))


def result_list(cl):
    """The context of Django's ``result_list`` tag, the rows drawn by :class:`Rows`."""
    headers = list(result_headers(cl))
    return {
        "cl": cl,
        "result_hidden_fields": list(result_hidden_fields(cl)),
        "result_headers": headers,
        "num_sorted_fields": sum(1 for h in headers if h["sortable"] and h["sorted"]),
        "results": bool(cl.result_list),
        "rows": Rows(cl).html() if cl.result_list else "",
    }


__all__ = ["ChangeLink", "Rows", "result_list"]
