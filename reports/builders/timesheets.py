"""Worker timesheets: each worker's hours per month and key activity, and per day.

``parameters["worker"]`` (a user id) narrows the report to one worker — the form a field worker
uses for their own timesheet; without it every worker of the project gets a section (PDF) or a
sheet (XLSX). Time is counted as ``reports.activity`` describes: every intervention the worker
took part in with its full duration, plus the anonymous outreach they logged.
"""

from __future__ import annotations

import re

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _

from reports.activity import Timesheets, Totals, hours, timesheets
from reports.builders.activities import month_label, worker_name
from reports.models import GeneratedReport
from reports.pdf import render_report_pdf
from reports.registry import Progress, ReportError, register
from reports.spreadsheets import xlsx_bytes

# Long day lists make slow, thick PDFs (WeasyPrint lays out every row): the PDF lists days for a
# month or a quarter, the XLSX always.
DAILY_LIMIT_DAYS = 93
# Characters Excel refuses in sheet names.
SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def _worker_id(report: GeneratedReport) -> int | None:
    worker = (report.parameters or {}).get("worker")
    if worker in (None, ""):
        return None
    try:
        worker_id = int(worker)
    except (TypeError, ValueError):
        raise ReportError(_("The worker of the timesheet is not valid.")) from None
    if not get_user_model().objects.filter(pk=worker_id).exists():
        raise ReportError(_("The worker of the timesheet is not valid."))
    return worker_id


def _pdf(data: Timesheets, report: GeneratedReport) -> bytes:
    sheets = []
    for sheet in data.sheets:
        months = [
            {
                "label": month_label(month),
                "cells": [
                    sheet.by_month.get((month, activity.pk), Totals())
                    for activity in data.key_activities
                ],
                "total": sheet.month_total(month),
            }
            for month in data.months
        ]
        sheets.append(
            {
                "name": worker_name(sheet.worker),
                "months": months,
                "activity_totals": [
                    sheet.activity_total(activity.pk) for activity in data.key_activities
                ],
                "total": sheet.total,
                "days": sheet.days,
            }
        )
    return render_report_pdf(
        "reports/pdf/timesheets.html",
        {
            "report": report,
            "data": data,
            "sheets": sheets,
            "daily": (report.period_end - report.period_start).days < DAILY_LIMIT_DAYS,
            "daily_limit": DAILY_LIMIT_DAYS,
        },
        project=report.project,
    )


def _sheet_title(name: str, used: set[str]) -> str:
    title = SHEET_NAME_FORBIDDEN.sub(" ", name)[:31].strip() or "-"
    number = 2
    while title.lower() in used:
        suffix = f" ({number})"
        title = title[: 31 - len(suffix)] + suffix
        number += 1
    used.add(title.lower())
    return title


def _xlsx(data: Timesheets) -> bytes:
    header = [
        _("Date"),
        _("Code"),
        _("Key activity"),
        _("Interventions"),
        _("Intervention hours"),
        _("Outreach contacts"),
        _("People reached anonymously"),
        _("Outreach hours"),
        _("Total hours"),
    ]
    used = {_("Summary").lower()}
    summary = (
        _("Summary"),
        [_("Worker"), _("Month"), _("Code"), _("Interventions"), _("Total hours")],
        [
            [
                worker_name(sheet.worker),
                f"{month:%Y-%m}",
                activity.code,
                totals.interventions,
                hours(totals.total_minutes),
            ]
            for sheet in data.sheets
            for month in data.months
            for activity in data.key_activities
            if (totals := sheet.by_month.get((month, activity.pk)))
        ],
    )
    sheets = [summary]
    for sheet in data.sheets:
        rows = [
            [
                day,
                activity.code,
                activity.name,
                totals.interventions,
                hours(totals.minutes),
                totals.outreach_contacts,
                totals.outreach_people,
                hours(totals.outreach_minutes),
                hours(totals.total_minutes),
            ]
            for day, activity, totals in sheet.days
        ]
        total = sheet.total
        rows.append(
            [
                _("Total"),
                "",
                "",
                total.interventions,
                hours(total.minutes),
                total.outreach_contacts,
                total.outreach_people,
                hours(total.outreach_minutes),
                hours(total.total_minutes),
            ]
        )
        sheets.append((_sheet_title(worker_name(sheet.worker), used), header, rows))
    return xlsx_bytes(sheets)


@register("timesheets", formats=("pdf", "xlsx"), for_workers=True)
def build(report: GeneratedReport, progress: Progress) -> bytes:
    """Timesheets of one worker (``parameters["worker"]``) or of all the project's workers."""
    data = timesheets(
        report.project, report.period_start, report.period_end, worker_id=_worker_id(report)
    )
    progress(50)
    if report.file_format == "xlsx":
        return _xlsx(data)
    return _pdf(data, report)
