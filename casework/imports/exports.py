"""A project's clients, interventions and debts in the import layout (the round trip).

Exporting and importing the result changes nothing; importing it into an empty organisation
recreates the same rows (given the same code lists, localities and workers) except the
special-category disadvantage codes, which no spreadsheet export carries.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Prefetch

from casework.audit.sensitive import ExportPurpose, exportable_disadvantage_codes
from casework.imports import cells
from casework.imports import layouts as L
from casework.imports.models import ImportKind
from casework.imports.services import DISADVANTAGE_DECLINED, DISADVANTAGE_NONE
from casework.models import Intervention, InterventionParticipant, Project
from clients.models import CaseAssignment, DisadvantageAnswer, Enrolment, HouseholdMember
from debts.models import Debt
from reports.spreadsheets import csv_bytes, xlsx_bytes

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"


def _codes(items) -> str:
    return " | ".join(sorted(item.code for item in items))


def _time(value: dt.time | None) -> str:
    return value.strftime("%H:%M") if value else ""


def _yes_no(value: bool) -> str:
    return "ano" if value else "ne"


def client_rows(project: Project) -> list[list]:
    enrolments = (
        Enrolment.objects.filter(project=project)
        .select_related(
            "client__gender",
            "client__locality",
            "client__household",
            "labour_status",
            "education",
            "exit_labour_status",
        )
        .prefetch_related("disadvantages", "exit_situations")
        .order_by("client__code")
    )
    members = {
        m.client_id: m for m in HouseholdMember.objects.filter(client__enrolments__project=project)
    }
    workers = {
        a.client_id: a.worker.get_username()
        for a in CaseAssignment.objects.current()
        .filter(project=project, kind=CaseAssignment.Kind.PRIMARY)
        .select_related("worker")
        .order_by("started_on", "pk")
    }
    rows = []
    for enrolment in enrolments:
        client = enrolment.client
        member = members.get(client.pk)
        if enrolment.disadvantage_answer == DisadvantageAnswer.NONE:
            disadvantage = DISADVANTAGE_NONE
        elif enrolment.disadvantage_answer == DisadvantageAnswer.DECLINED:
            disadvantage = DISADVANTAGE_DECLINED
        else:
            # Special-category codes never leave in a spreadsheet (``casework.audit.sensitive``);
            # importing the file back keeps the recorded ones.
            disadvantage = _codes(
                exportable_disadvantage_codes(
                    enrolment.disadvantages.all(), purpose=ExportPurpose.LISTING
                )
            )
        rows.append(
            [
                client.code,
                client.first_name,
                client.last_name,
                client.title_before,
                client.title_after,
                client.birth_date,
                client.birth_year,
                client.birth_number,
                client.gender.code if client.gender else "",
                client.phone,
                client.email,
                client.street,
                client.house_number,
                client.orientation_number,
                client.municipality,
                client.municipality_part,
                client.postcode,
                client.locality.name if client.locality else "",
                client.household.name if client.household else "",
                member.relationship if member and client.household else "",
                workers.get(client.pk, ""),
                enrolment.entry_date,
                enrolment.exit_date,
                enrolment.exit_reason,
                enrolment.labour_status.code if enrolment.labour_status else "",
                enrolment.education.code if enrolment.education else "",
                disadvantage,
                enrolment.exit_labour_status.code if enrolment.exit_labour_status else "",
                _codes(
                    exportable_disadvantage_codes(
                        enrolment.exit_situations.all(), purpose=ExportPurpose.LISTING
                    )
                ),
                client.notes,
            ]
        )
    return rows


def intervention_rows(project: Project) -> list[list]:
    interventions = (
        Intervention.objects.filter(project=project)
        .select_related("key_activity", "delivery_mode", "intervention_type")
        .prefetch_related(
            Prefetch(
                "participants",
                queryset=InterventionParticipant.objects.select_related("client"),
            ),
            "workers",
            "topics",
        )
        .order_by("date", "start_time", "pk")
    )
    rows = []
    for item in interventions:
        rows.append(
            [
                item.date,
                _time(item.start_time),
                item.duration_minutes,
                item.key_activity.code,
                item.delivery_mode.code,
                item.intervention_type.code if item.intervention_type else "",
                " | ".join(sorted(p.client.code for p in item.participants.all())),
                " | ".join(sorted(w.get_username() for w in item.workers.all())),
                item.place,
                _codes(item.topics.all()),
                _yes_no(item.is_group),
                item.anonymous_count,
                _yes_no(item.is_one_off),
                item.record,
            ]
        )
    return rows


def debt_rows(project: Project) -> list[list]:
    debts = (
        Debt.objects.filter(case__project=project)
        .select_related("case__client", "creditor__creditor_type")
        .order_by("case__client__code", "creditor__name", "kind", "case_reference", "pk")
    )
    return [
        [
            debt.case.client.code,
            debt.creditor.name,
            debt.creditor.creditor_type.code,
            debt.creditor.ico,
            debt.kind,
            debt.bailiff_office,
            debt.case_reference,
            debt.principal,
            debt.interest,
            debt.costs,
            debt.monthly_instalment,
            debt.status,
            debt.status_since,
            debt.source,
            debt.originated_on,
            _yes_no(debt.is_public_law),
        ]
        for debt in debts
    ]


LAYOUTS = {
    ImportKind.CLIENTS: (L.CLIENT_COLUMNS, client_rows),
    ImportKind.INTERVENTIONS: (L.INTERVENTION_COLUMNS, intervention_rows),
    ImportKind.DEBTS: (L.DEBT_COLUMNS, debt_rows),
}


def _csv_value(value):
    if isinstance(value, dt.date):
        return cells.format_date(value)
    if isinstance(value, Decimal):
        return cells.format_amount(value)
    return value


def export_bytes(project: Project, kind: str, file_format: str = "xlsx") -> tuple[bytes, str]:
    """The file and its content type: XLSX (real dates and numbers) or CSV for Czech Excel."""
    columns, build = LAYOUTS[kind]
    header = [column.header for column in columns]
    rows = build(project)
    if file_format == "csv":
        return csv_bytes(header, ([_csv_value(v) for v in row] for row in rows)), CSV_TYPE
    return xlsx_bytes([(L.SHEET_TITLES[kind], header, rows)]), XLSX_TYPE


def export_file_name(project: Project, kind: str, file_format: str) -> str:
    return f"{project.code}-{kind}.{file_format}"
