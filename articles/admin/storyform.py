"""The story form refuses to save over a newer version (no lost edits).

The form carries the id of the story's newest version when it was loaded
(``loaded_version``; every change leaves a version, see articles/history.py: a
form save, a list edit, a bulk action, a rule, the import). On save, if a newer
version exists and it changed a field this form holds, nothing is written: each
such field shows the other change (their value, yours, the value you loaded) and
the form now carries the newer version, so the editor merges and saves again.
A newer version that touched none of the form's fields (a cluster pin) is no conflict.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.text import Truncator

from ..history import (
    TOPICS,
    compared_fields,
    latest_version_id,
    shown_topics,
    topic_slugs_of,
    versions_of,
    who,
)
from ..models import Article

SHOWN_CHARS = 300
"""How much of a long value (a body) a conflict message quotes."""


class VersionTokenField(forms.CharField):
    """The form's own bookkeeping: never one of the story's changed fields."""

    def has_changed(self, initial, data):
        return False


class ArticleForm(forms.ModelForm):
    loaded_version = VersionTokenField(
        required=False,
        widget=forms.HiddenInput,
        help_text="The story's version this form was loaded at.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound and self.instance.pk is not None:
            self.initial["loaded_version"] = _token(latest_version_id(self.instance.pk))

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is not None:
            self._refuse_stale_save(cleaned)
        return cleaned

    def _refuse_stale_save(self, cleaned):
        key = self.add_prefix("loaded_version")
        if key not in self.data:
            return  # Not our form's page (a script's POST): nothing says what it loaded.
        loaded_text = self.data[key].strip()
        if loaded_text and not loaded_text.isdigit():
            raise ValidationError(
                f"loaded_version: {loaded_text[:40]!r} is not a version number; "
                "reload the story and make your edits again."
            )
        # Lock the row (PostgreSQL) for the rest of the admin's transaction: two
        # saves at once are taken one after the other, the second then refused.
        current = Article.objects.select_for_update().filter(pk=self.instance.pk).first()
        if current is None:
            return
        newest = versions_of(current.pk).first()
        if _token(newest.history_id if newest else None) == loaded_text:
            return
        loaded = None
        if loaded_text:
            loaded = versions_of(current.pk).filter(history_id=int(loaded_text)).first()
        conflicts = self._conflicts(cleaned, current, loaded)
        # Whatever happens next, this form now stands on the newest version.
        self.data = self.data.copy()
        self.data[self.add_prefix("loaded_version")] = _token(newest.history_id if newest else None)
        if not conflicts:
            return
        when = timezone.localtime(newest.history_date).strftime("%Y-%m-%d %H:%M:%S")
        for name, message in conflicts.items():
            self.add_error(name, message)
        names = ", ".join(conflicts)
        raise ValidationError(
            f"Not saved: {who(newest)} changed this story at {when} (version "
            f"{newest.history_id}) since you opened it: {names}. Their value, yours and the "
            "one you loaded are shown at each field below; keep or merge them, then save again."
        )

    def _conflicts(self, cleaned, current, loaded):
        """Per form field another change touched: their value vs yours vs the loaded one."""
        conflicts = {}
        for field in compared_fields():
            if field.name not in self.fields or field.name not in cleaned:
                continue
            theirs = getattr(current, field.attname)
            before = getattr(loaded, field.attname) if loaded is not None else None
            if loaded is not None and before == theirs:
                continue
            yours = cleaned[field.name]
            if field.is_relation:
                yours = yours.pk if yours is not None else None
            if yours == theirs:
                continue  # the same change on both sides: nothing is lost
            shown_before = _shown(field, before) if loaded is not None else "unknown"
            conflicts[field.name] = (
                f"Changed meanwhile. Their value: {_shown(field, theirs)}; yours: "
                f"{_shown(field, yours)}; you loaded: {shown_before}."
            )
        if "topics" in self.fields and "topics" in cleaned:
            conflict = _topics_conflict(cleaned["topics"], current, loaded)
            if conflict:
                conflicts["topics"] = conflict
        return conflicts


def _topics_conflict(chosen, current, loaded):
    """The topics' conflict message, or None: as for a field, but the order of a
    story's topics is not the editor's choice in the form, so sets are compared."""
    theirs = topic_slugs_of(current.pk)
    before = getattr(loaded, TOPICS) if loaded is not None else None
    if before is not None and before.split() == theirs.split():
        return None  # nobody else changed them
    yours = " ".join(topic.slug for topic in chosen)
    if set(yours.split()) == set(theirs.split()):
        return None
    shown_before = shown_topics(before) if before is not None else "unknown"
    return (
        f"Changed meanwhile. Their topics: {shown_topics(theirs)}; yours: "
        f"{shown_topics(yours)}; you loaded: {shown_before}."
    )


def _token(history_id):
    return "" if history_id is None else str(history_id)


def _shown(field, value):
    if value is None or value == "":
        return "(empty)"
    if field.is_relation:
        related = field.related_model.objects.filter(pk=value).first()
        value = related if related is not None else f"#{value} (deleted)"
    if field.choices:
        value = dict(field.flatchoices).get(value, value)
    if hasattr(value, "tzinfo"):
        value = timezone.localtime(value).strftime("%Y-%m-%d %H:%M:%S")
    return repr(Truncator(str(value)).chars(SHOWN_CHARS))
