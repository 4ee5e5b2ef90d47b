"""List edits that land on the story the editor saw, and only on what they changed.

Django ticket #11313: the changelist's editable rows are numbered by position,
so an import that lands between an editor's page load and their Save shifts the
rows under them. Django 6 already looks each row's instance up by the submitted
primary key; this module closes the remaining gaps:

- every editable field carries its page-load value (``show_hidden_initial``), so
  a row counts as changed only where the editor changed it, and only those
  fields are written: a score an import set meanwhile is not overwritten by the
  stale value still shown in the form;
- a field the editor changed that someone else changed since the page loaded is
  refused with a message naming the field and the other value (no lost edits);
- a page whose stories were deleted meanwhile is refused with a clear message
  instead of a confusing "select a valid choice" error;
- when a save fails validation, each form is drawn next to its own story, not
  next to whatever story now sits at that position.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import prefetch_related_objects
from django.http import HttpResponseRedirect

from .. import validators
from ..history import record_versions


class ArticleListForm(forms.ModelForm):
    """One changelist row: ``published`` and ``quality``."""

    quality = validators.QUALITY.form_field(
        required=False,
        label="Quality",
        widget=forms.NumberInput(attrs={"class": "vIntegerField"}),  # admin CSS sizes it
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.show_hidden_initial = True

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is not None:
            for name in self.changed_data:
                self._refuse_if_changed_meanwhile(name, cleaned)
        return cleaned

    def _refuse_if_changed_meanwhile(self, name, cleaned):
        """No lost edits: a field the editor changed that someone else changed since the
        page loaded (an import, a bulk action, another editor) is refused, not overwritten."""
        field = self.fields[name]
        shown = field.hidden_widget().value_from_datadict(
            self.data, self.files, self.add_initial_prefix(name)
        )
        try:
            loaded = field.to_python(shown)
        except ValidationError:
            return  # A tampered page-load value: the field's own check reports the input.
        current = getattr(self.instance, name)
        if loaded != current and cleaned.get(name) != current:
            self.add_error(
                name,
                f"Not saved: {field.label.lower()} was changed to {_shown(current)} since you "
                f"loaded the page (you loaded {_shown(loaded)}, you entered "
                f"{_shown(cleaned.get(name))}). Reload the list and edit again.",
            )


def _shown(value):
    if isinstance(value, bool):
        return "yes" if value else "no"
    return "empty" if value is None else value


class SafeListEditMixin:
    """For a ModelAdmin with ``list_editable``: see the module docstring."""

    list_prefetch_related = ()

    def get_changelist_form(self, request, **kwargs):
        return ArticleListForm

    def changelist_view(self, request, extra_context=None):
        if request.method == "POST" and "_save" in request.POST:
            missing = self._missing_list_edit_pks(request)
            if missing:
                self.message_user(
                    request,
                    f"Nothing was saved: {len(missing)} of the stories on your page no longer "
                    "exist (deleted since you loaded it). The list below is current; "
                    "please make your edits again.",
                    messages.ERROR,
                )
                return HttpResponseRedirect(request.get_full_path())
        response = super().changelist_view(request, extra_context)
        changelist = (getattr(response, "context_data", None) or {}).get("cl")
        formset = getattr(changelist, "formset", None)
        if formset is not None and formset.is_bound:
            # The template zips result_list with the forms: keep them paired.
            changelist.result_list = [form.instance for form in formset.forms]
            prefetch_related_objects(changelist.result_list, *self.list_prefetch_related)
        return response

    def save_model(self, request, obj, form, change):
        if isinstance(form, ArticleListForm):
            # The form put every shown value on the story, the stale ones too: keep
            # the stored value of each field the editor left alone, since the fields
            # saved below may include them (``published`` follows the state).
            for name in self.list_editable:
                if name not in form.changed_data:
                    setattr(obj, name, form.initial[name])
            also = self.list_edit_also_saves(obj, form.changed_data)
            # The row's long texts are deferred: the version copies the stored row
            # in one statement rather than loading each of them first.
            obj.skip_history_when_saving = True
            obj.save(update_fields=[*form.changed_data, *also, "updated_at"])
            del obj.skip_history_when_saving
            labels = ", ".join(str(form.fields[name].label) for name in form.changed_data)
            record_versions([obj.pk], request.user, reason=f"List edit: {labels}")
        else:
            super().save_model(request, obj, form, change)

    def list_edit_also_saves(self, obj, changed):
        """Fields a list edit sets besides the edited ones (none by default)."""
        return []

    def _missing_list_edit_pks(self, request):
        prefix = self.get_changelist_formset(request).get_default_prefix()
        try:
            submitted = self._get_edited_object_pks(request, prefix)
            pks = {self.opts.pk.to_python(pk) for pk in submitted}
        except ValidationError:
            return set()  # Tampered ids: the formset reports them as invalid.
        found = self.get_queryset(request).filter(pk__in=pks).values_list("pk", flat=True)
        return pks - set(found)
