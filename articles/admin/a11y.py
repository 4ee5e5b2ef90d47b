"""Names for the admin's unlabelled inputs: list-edit rows and tabular inlines.

Django draws those fields in table cells with only a column header above them,
so a screen reader announces "edit text" and axe-core reports a missing label.
Each widget gets an ``aria-label`` naming its field and its row.
"""

from django.contrib import admin
from django.utils.text import capfirst


def labelled_formset(formset_class, row_name):
    """``formset_class`` whose every field is named "Field (row)", ``row_name(form, index)``."""

    class LabelledFormSet(formset_class):
        def add_fields(self, form, index):
            super().add_fields(form, index)
            row = row_name(form, index)
            for name, field in form.fields.items():
                label = capfirst(field.label or name.replace("_", " "))
                field.widget.attrs["aria-label"] = f"{label} ({row})" if row else label

    return LabelledFormSet


class LabelledListEditMixin:
    """For a ModelAdmin with ``list_editable``: each row's inputs name the object they edit."""

    def get_changelist_formset(self, request, **kwargs):
        formset = super().get_changelist_formset(request, **kwargs)
        return labelled_formset(formset, lambda form, index: str(form.instance))


class LabelledTabularInline(admin.TabularInline):
    """A tabular inline whose inputs say which field and which row they are."""

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        noun = self.model._meta.verbose_name

        def row_name(form, index):
            return "" if index is None else f"{noun} {index + 1}"

        return labelled_formset(formset, row_name)
