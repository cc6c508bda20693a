"""Special categories of personal data (GDPR art. 9/10): who may see them per person.

The inventory marks them (``Entry.sensitive``): disadvantage codes such as disability,
minority or addiction, the housing risk answers about illness or violence, intervention topics.
They are collected only under the legal basis the inventory records for them
(``Entry.sensitive_basis``), reported only as counts, never in list exports, and shown per
person only to the roles that need them:

- the client's own field worker, who collects them at entry and works with them;
- the administrators of the organisation, who submit the funder's monitoring data.

A guarantor reviews casework and watches indicators: counts, not who is Roma or disabled.

Exports follow one rule, applied through ``exportable_disadvantage_codes``: per-person
special-category codes (``MonitoringCode.is_special_category``: ZNZP, ZNMIG, SPPVT, SPOZ) appear
only in the funder-mandated per-person artefacts, under the legal obligation recorded for the
enrolment's monitoring data (``ESF_MONITORING_SPECIAL`` in the inventory):

- the IS ESF 21+ persons CSV (``FUNDER_SUBMISSION``), when made by an administrator of the
  organisation (or a superuser);
- the participant's monitoring sheet (``MONITORING_SHEET``), when made by someone who may see
  that person's special categories (``may_see_special_categories``: also their own worker).

Made by anyone else (a guarantor), the same artefacts leave those codes out, and only their
maker and the administrators see such reports (``SPECIAL_CATEGORY_REPORTS``); the list of
persons behind an indicator that counts a special category (``SPECIAL_CATEGORY_FIGURES``) is
theirs too, others get the count. Every other
export that lists persons — the evidence pack, the spreadsheet export of the import layout,
CSV/XLSX lists (``LISTING``) — leaves them out whoever makes it; non-special codes (PBOBP
homeless) stay. The data subject's own export (``SUBJECT_ACCESS``) keeps them: they are the
person's own data. Aggregated counts are not per-person data and are not affected.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from functools import cache

from casework.audit.inventory import ESF_MONITORING_SPECIAL, INVENTORY
from casework.roles import admin_organisation_ids, is_active_user

HIDDEN = "•••"


class ExportPurpose(StrEnum):
    """What an export listing persons is for; decides whether special categories may be in it."""

    FUNDER_SUBMISSION = "funder_submission"  # IS ESF 21+ persons CSV
    MONITORING_SHEET = "monitoring_sheet"  # the participant's monitoring sheet
    SUBJECT_ACCESS = "subject_access"  # the person's own data (GDPR art. 15/20)
    LISTING = "listing"  # everything else: evidence pack, spreadsheets, list exports


# The funder-mandated per-person artefacts and the legal basis they rely on.
FUNDER_ARTEFACTS = {
    ExportPurpose.FUNDER_SUBMISSION: ESF_MONITORING_SPECIAL,
    ExportPurpose.MONITORING_SHEET: ESF_MONITORING_SPECIAL,
}
# Report kinds (``reports.models.ReportKind``) that may carry special categories per person:
# visible only to their maker and the organisation's administrators.
SPECIAL_CATEGORY_REPORTS = frozenset({"isesf_persons", "monitoring_sheets"})
# Indicator figures (``reports.queries``) whose list of persons says who has a special category
# (6 15 00 counts members of national minorities, the Roma): the count is for everyone, the
# names only for whoever may submit the funder's per-person data.
SPECIAL_CATEGORY_FIGURES = frozenset({"participants_minorities"})


@cache
def sensitive_columns() -> frozenset[tuple[str, str]]:
    """``(table, column)`` of every sensitive field; ``(table, "*")`` for a link table."""
    from django.apps import apps

    columns = set()
    for label, entry in INVENTORY.items():
        if not entry.sensitive:
            continue
        model = apps.get_model(label)
        for name in entry.sensitive:
            field = model._meta.get_field(name)
            if field.many_to_many:
                columns.add((field.remote_field.through._meta.db_table, "*"))
            else:
                columns.add((model._meta.db_table, field.column))
    return frozenset(columns)


def may_see_special_categories(user, client) -> bool:
    """Whether ``user`` may see the client's special-category data person by person."""
    from clients.models import CaseAssignment, Client

    if not is_active_user(user):
        return False
    if user.is_superuser:
        return True
    return Client.objects.filter(
        pk=client.pk, organisation__in=admin_organisation_ids(user)
    ).exists() or (CaseAssignment.objects.current().filter(client=client, worker=user).exists())


def masked_values(event, *, may_see: bool) -> list[tuple[str, str, str]]:
    """The event's changed values, special categories replaced by a mark for other viewers."""
    values = event.changed_values
    if may_see:
        return values
    hidden = sensitive_columns()
    if (event.table, "*") in hidden:
        return [(name, HIDDEN, HIDDEN) for name, _old, _new in values]
    return [
        (name, HIDDEN, HIDDEN) if (event.table, name) in hidden else (name, old, new)
        for name, old, new in values
    ]


def special_category_codes() -> frozenset[str]:
    """The monitoring codes that are special categories of personal data (one query)."""
    from clients.models import MonitoringCode

    return frozenset(
        MonitoringCode.objects.filter(is_special_category=True).values_list("code", flat=True)
    )


@dataclass(frozen=True)
class ExportPermission:
    """Whose special-category codes an export made by one user for one purpose may carry.

    Decided once per export (two queries at most), then asked per person with ``allows``.
    """

    purpose: ExportPurpose
    everyone: bool = False
    client_ids: frozenset[int] = frozenset()

    def allows(self, client_id: int | None) -> bool:
        if self.purpose == ExportPurpose.SUBJECT_ACCESS:
            return True
        if self.purpose not in FUNDER_ARTEFACTS:
            return False
        return self.everyone or client_id in self.client_ids


def may_list_special_category_persons(user, organisation_id: int) -> bool:
    """Whether ``user`` may see the list of persons behind a special-category figure."""
    return export_permission(
        ExportPurpose.FUNDER_SUBMISSION, user=user, organisation_id=organisation_id
    ).everyone


def export_permission(purpose: ExportPurpose, *, user, organisation_id: int) -> ExportPermission:
    """What ``user`` may put into an export for ``purpose`` about the organisation's persons.

    The persons CSV: administrators of the organisation and superusers. A monitoring sheet:
    also the person's own worker (their current case assignment). Anything else: nobody.
    """
    from clients.models import CaseAssignment

    purpose = ExportPurpose(purpose)
    if purpose not in FUNDER_ARTEFACTS or not is_active_user(user):
        return ExportPermission(purpose)
    is_admin = user.is_superuser or organisation_id in admin_organisation_ids(user)
    if is_admin:
        return ExportPermission(purpose, everyone=True)
    if purpose == ExportPurpose.MONITORING_SHEET:
        own = CaseAssignment.objects.current().filter(
            worker=user, client__organisation=organisation_id
        )
        return ExportPermission(purpose, client_ids=frozenset(own.values_list("client", flat=True)))
    return ExportPermission(purpose)


def exportable_disadvantage_codes(
    codes: Iterable,
    *,
    purpose: ExportPurpose,
    permission: ExportPermission | None = None,
    client_id: int | None = None,
    special: frozenset[str] | None = None,
) -> list:
    """``codes`` (``MonitoringCode`` rows or code strings) as an export may carry them.

    Special-category codes stay only for ``SUBJECT_ACCESS`` and, in the funder's per-person
    artefacts, when ``permission`` (``export_permission``) allows the person ``client_id``.
    For code strings pass ``special`` (``special_category_codes()``) to spare a query per call.
    """
    purpose = ExportPurpose(purpose)
    if purpose == ExportPurpose.SUBJECT_ACCESS:
        return list(codes)
    if purpose in FUNDER_ARTEFACTS and permission is not None and permission.allows(client_id):
        return list(codes)
    codes = list(codes)
    if all(hasattr(code, "is_special_category") for code in codes):
        return [code for code in codes if not code.is_special_category]
    special = special_category_codes() if special is None else special
    return [code for code in codes if str(getattr(code, "code", code)) not in special]
