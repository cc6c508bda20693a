"""Concurrent edits: one way to show "yours vs theirs" when a save was refused as stale.

Every editable record carries a ``version`` (incremented on each save) in a hidden field; the
service locks the row (``select_for_update``) and refuses with a ``ValidationError`` whose code
is ``"stale"`` (or ``"version"``) when the version moved on. The edit view then calls
``conflict_for(form, theirs=...)``: it lists, field by field, what the user typed next to what
is stored now, and moves the form's hidden version to the stored one. The user's input stays in
the form: saving it again is a deliberate choice to replace the other person's version, and a
third edit in between is caught the same way.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

STALE_CODES = frozenset({"stale", "version"})

CONFLICT_MESSAGE = gettext_lazy(
    "Someone else saved this record while you were editing it. Nothing of yours has been "
    "saved yet. Compare both versions below: your input is kept in the form. Save again to "
    "replace their version with yours, or leave the page to keep theirs."
)

# Fields that never take part in the comparison (bookkeeping, not content).
SKIPPED = frozenset({"version", "submission_id"})


@dataclass(frozen=True)
class FieldConflict:
    name: str
    label: str
    yours: str
    theirs: str


@dataclass
class Conflict:
    fields: list[FieldConflict]
    version: int
    message: str = CONFLICT_MESSAGE


def is_stale(error: ValidationError) -> bool:
    """Whether ``error`` is a refusal because the record changed since it was loaded."""
    if hasattr(error, "error_dict"):
        return False
    return any(getattr(e, "code", None) in STALE_CODES for e in error.error_list)


def _key(value):
    """A comparable form of a value: model instances by pk, collections as sets."""
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, str):
        return value.strip().replace("\r\n", "\n")
    if isinstance(value, (list, tuple, set, frozenset, models.QuerySet)):
        return frozenset(_key(item) for item in value)
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float, Decimal)):
        return Decimal(str(value))
    return value


def _empty(value) -> bool:
    return value is None or value == "" or value == frozenset()


def _display(field: forms.Field | None, value) -> str:
    """What a person reads for ``value`` of ``field``: labels, names, local dates."""
    if value is None or value == "" or (isinstance(value, (list, tuple, set)) and not value):
        return "—"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, models.QuerySet):
        value = list(value)
    if isinstance(value, (list, tuple, set, frozenset)):
        return ", ".join(sorted(_display(field, item) for item in value))
    if isinstance(value, models.Model):
        if isinstance(field, forms.ModelChoiceField):
            return str(field.label_from_instance(value))
        return str(value)
    if isinstance(field, forms.ModelChoiceField) and not isinstance(value, models.Model):
        found = field.queryset.model._default_manager.filter(pk=value).first()
        return _display(field, found) if found is not None else str(value)
    if isinstance(field, forms.ChoiceField):
        labels = {}
        for key, label in field.choices:
            if isinstance(label, (list, tuple)):
                labels.update({str(k): v for k, v in label})
            else:
                labels[str(key)] = label
        if str(value) in labels:
            return str(labels[str(value)])
    if isinstance(value, dt.datetime):
        return date_format(value, "SHORT_DATETIME_FORMAT")
    if isinstance(value, dt.date):
        return date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, dt.time):
        return date_format(value, "TIME_FORMAT")
    if isinstance(value, (Decimal, float)):
        return number_format(value)
    return str(value)


def compare(
    form: forms.BaseForm,
    theirs: Mapping,
    names: Iterable[str] | None = None,
    *,
    yours: Mapping | None = None,
    labels: Mapping | None = None,
) -> list:
    """The fields where the user's input differs from ``theirs`` (form-shaped values).

    The input is ``form.cleaned_data``, overridden by ``yours``; a name that is not a form field
    (a value the form computes) needs its label in ``labels``.
    """
    mine = {**form.cleaned_data, **(yours or {})}
    labels = labels or {}
    rows = []
    for name in names if names is not None else form.fields:
        field = form.fields.get(name)
        if name in SKIPPED or name not in theirs or (field is None and name not in labels):
            continue
        if field is not None and isinstance(field.widget, forms.HiddenInput):
            continue
        yours_value = mine.get(name)
        stored = theirs[name]
        yours_key, stored_key = _key(yours_value), _key(stored)
        if yours_key == stored_key or (_empty(yours_key) and _empty(stored_key)):
            continue
        rows.append(
            FieldConflict(
                name=name,
                label=str(labels.get(name) or (field.label if field else None) or name),
                yours=_display(field, yours_value),
                theirs=_display(field, stored),
            )
        )
    return rows


def model_values(instance: models.Model, form: forms.BaseForm) -> dict:
    """``instance``'s stored values under the form's field names (FKs as pks, M2M as lists)."""
    return forms.model_to_dict(instance, fields=list(form.fields))


def conflict_for(
    form: forms.BaseForm,
    *,
    theirs: Mapping,
    version: int,
    names: Iterable[str] | None = None,
    yours: Mapping | None = None,
    labels: Mapping | None = None,
    version_field: str | None = "version",
) -> Conflict:
    """Describe a refused save and keep the user's input ready for a deliberate second save.

    ``theirs`` maps field names to the values stored now (see ``model_values``); ``version`` is
    the stored version, written into the form's hidden ``version_field`` (when the form has
    one) so that saving again replaces exactly the version the user has just been shown.
    """
    rows = compare(form, theirs, names, yours=yours, labels=labels)
    conflict = Conflict(fields=rows, version=version)
    if version_field and version_field in form.fields:
        data = form.data.copy()
        data[form.add_prefix(version_field)] = str(version)
        form.data = data
    return conflict


def model_conflict(form: forms.BaseForm, stored: models.Model) -> Conflict:
    """The form's input against ``stored`` field by field (``add_refusal``'s default)."""
    return conflict_for(form, theirs=model_values(stored, form), version=stored.version)


def add_refusal(
    form: forms.BaseForm, error: ValidationError, instance=None, describe=model_conflict
):
    """Attach a refused save to ``form``; a stale refusal of ``instance`` gets both versions.

    Returns the ``Conflict`` to show (``None`` for any other refusal, which is attached as it
    is). ``instance`` is read again from the database: the form has already written the
    user's input onto its own copy. ``describe(form, stored)`` builds the ``Conflict`` for a
    form whose fields do not map one to one onto the model.
    """
    if instance is None or instance.pk is None or not is_stale(error):
        form.add_error(None, error)
        return None
    stored = type(instance)._default_manager.get(pk=instance.pk)
    conflict = describe(form, stored)
    form.add_error(None, conflict.message)
    return conflict


def lock_at_version(model, pk, version, message, *, params=None):
    """Lock the row ``pk`` of ``model`` for the rest of the transaction and return it.

    Refuses with ``message`` (code ``"stale"``) when its ``version`` is no longer ``version``:
    someone saved it after the form was loaded. ``params`` may be a function of the locked row.
    Every edit service calls this first and saves with ``version + 1``, so of two concurrent
    saves exactly one succeeds and the other ends on the conflict screen.
    """
    current = model._default_manager.select_for_update().get(pk=pk)
    if current.version != version:
        raise ValidationError(
            message, code="stale", params=params(current) if callable(params) else params
        )
    return current
