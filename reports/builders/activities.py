"""The key activity report: hours and interventions per key activity, per month, per worker."""

from __future__ import annotations

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from reports.activity import ActivityReport, Totals, activity_report, hours
from reports.models import GeneratedReport
from reports.pdf import render_report_pdf
from reports.registry import Progress, register
from reports.spreadsheets import xlsx_bytes


def month_label(month) -> str:
    return date_format(month, "YEAR_MONTH_FORMAT")


def worker_name(user) -> str:
    return user.get_full_name() or user.get_username()


def _activity_rows(data: ActivityReport) -> list[dict]:
    rows = [
        {
            "code": activity.code,
            "name": activity.name,
            "totals": data.by_activity.get(activity.pk, Totals()),
            "clients": data.clients_by_activity.get(activity.pk, 0),
        }
        for activity in data.key_activities
    ]
    return rows


def _pdf(data: ActivityReport, report: GeneratedReport) -> bytes:
    activities = data.key_activities
    month_rows = [
        {
            "label": month_label(month),
            "cells": [
                data.by_activity_month.get((activity.pk, month), Totals())
                for activity in activities
            ],
            "total": data.month_total(month),
        }
        for month in data.months
    ]
    worker_rows = [
        {
            "label": worker_name(worker),
            "cells": [
                data.by_worker.get(worker.pk, {}).get(activity.pk, Totals())
                for activity in activities
            ],
            "total": data.worker_total(worker.pk),
        }
        for worker in data.workers
    ]
    return render_report_pdf(
        "reports/pdf/activities.html",
        {
            "report": report,
            "data": data,
            "activity_rows": _activity_rows(data),
            "month_rows": month_rows,
            "worker_rows": worker_rows,
        },
        project=report.project,
    )


def _xlsx(data: ActivityReport) -> bytes:
    def figures(totals: Totals) -> list:
        return [
            totals.interventions,
            hours(totals.minutes),
            totals.outreach_contacts,
            totals.outreach_people,
            hours(totals.outreach_minutes),
            hours(totals.total_minutes),
        ]

    figure_header = [
        _("Interventions"),
        _("Intervention hours"),
        _("Outreach contacts"),
        _("People reached anonymously"),
        _("Outreach hours"),
        _("Total hours"),
    ]
    activity_sheet = (
        _("Key activities"),
        [
            _("Code"),
            _("Key activity"),
            *figure_header,
            _("Worker hours"),
            _("Clients"),
            _("Anonymous participants"),
        ],
        [
            [
                row["code"],
                row["name"],
                *figures(row["totals"]),
                hours(row["totals"].worker_minutes),
                row["clients"],
                row["totals"].anonymous,
            ]
            for row in _activity_rows(data)
        ]
        + [
            [
                _("Total"),
                "",
                *figures(data.total),
                hours(data.total.worker_minutes),
                data.clients_total,
                data.total.anonymous,
            ]
        ],
    )
    month_sheet = (
        _("By month"),
        [_("Month"), _("Code"), *figure_header],
        [
            [f"{month:%Y-%m}", activity.code, *figures(totals)]
            for month in data.months
            for activity in data.key_activities
            if (totals := data.by_activity_month.get((activity.pk, month)))
        ],
    )
    worker_sheet = (
        _("By worker"),
        [_("Worker"), _("Code"), *figure_header],
        [
            [worker_name(worker), activity.code, *figures(totals)]
            for worker in data.workers
            for activity in data.key_activities
            if (totals := data.by_worker.get(worker.pk, {}).get(activity.pk))
        ],
    )
    return xlsx_bytes([activity_sheet, month_sheet, worker_sheet])


@register("activities", formats=("pdf", "xlsx"))
def build(report: GeneratedReport, progress: Progress) -> bytes:
    """Hours and interventions per key activity, month and worker (``reports.activity``)."""
    data = activity_report(report.project, report.period_start, report.period_end)
    progress(50)
    if report.file_format == "xlsx":
        return _xlsx(data)
    return _pdf(data, report)
