"""For the implementation report (ZoR, DOMAIN.md §5): the indicator table and the key activities.

- **Indicator table**, ready to type into IS KP21+: code, name, unit, baseline, target, the
  value achieved in the period, the value at the period end (cumulative from the project
  start), % of the target, and an empty column for the comment on deviations
  (``reports.queries.indicator_table``).
- **Key activities of the period**, the start of the activity narrative: per key activity the
  interventions, the identified persons, the hours (in person and electronic) and the
  anonymous contacts, and one sentence saying so (``reports.activity.activity_report`` plus one
  aggregate for the in-person / electronic split).
- In the XLSX also the persons behind the participant figures (``participants_drilldown``).

PDF, XLSX and CSV. A constant number of queries whatever the data.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from casework.exports import safe_cell
from casework.models import Intervention
from casework.templatetags.casework_tags import minutes_as_hours
from clients.queries import ENTRY_FIELD_LABELS
from reports.activity import Totals, activity_report, hours
from reports.models import ReportKind
from reports.pdf import render_report_pdf
from reports.queries import indicator_table, participants_drilldown
from reports.registry import register
from reports.spreadsheets import csv_bytes, xlsx_bytes


@dataclass(frozen=True)
class ActivitySummary:
    code: str
    name: str
    interventions: int
    group_sessions: int
    persons: int
    minutes: int
    in_person_minutes: int
    electronic_minutes: int
    anonymous: int

    @property
    def narrative(self) -> str:
        """The first sentence of the key activity's part of the report."""
        if not self.interventions and not self.anonymous:
            return _("No work was recorded in this key activity in the period.")
        parts = [
            ngettext(
                "%(count)s intervention",
                "%(count)s interventions",
                self.interventions,
            )
            % {"count": self.interventions},
        ]
        if self.group_sessions:
            parts.append(
                ngettext("%(count)s group session", "%(count)s group sessions", self.group_sessions)
                % {"count": self.group_sessions}
            )
        text = _(
            "In the period the team carried out %(work)s with %(persons)s, %(hours)s in total "
            "(%(in_person)s in person, %(electronic)s electronic)."
        ) % {
            "work": _(" and ").join(parts) if len(parts) > 1 else parts[0],
            "persons": ngettext(
                "%(count)s identified person", "%(count)s identified persons", self.persons
            )
            % {"count": self.persons},
            "hours": minutes_as_hours(self.minutes),
            "in_person": minutes_as_hours(self.in_person_minutes),
            "electronic": minutes_as_hours(self.electronic_minutes),
        }
        if self.anonymous:
            text += " " + ngettext(
                "It also reached %(count)s person anonymously.",
                "It also reached %(count)s persons anonymously.",
                self.anonymous,
            ) % {"count": self.anonymous}
        return text


def activity_summaries(project, start, end) -> list[ActivitySummary]:
    """One row per key activity of the project for ``start``–``end``: eight queries."""
    data = activity_report(project, start, end)
    split = {
        row["key_activity"]: row
        for row in Intervention.objects.filter(project=project, date__gte=start, date__lte=end)
        .values("key_activity")
        .annotate(
            electronic=Sum("duration_minutes", filter=Q(delivery_mode__is_electronic=True)),
            groups=Count("pk", filter=Q(is_group=True)),
        )
        .order_by()
    }
    rows = []
    for activity in data.key_activities:
        totals = data.by_activity.get(activity.pk, Totals())
        extra = split.get(activity.pk, {})
        electronic = extra.get("electronic") or 0
        rows.append(
            ActivitySummary(
                code=activity.code,
                name=activity.name,
                interventions=totals.interventions,
                group_sessions=extra.get("groups") or 0,
                persons=data.clients_by_activity.get(activity.pk, 0),
                minutes=totals.minutes,
                in_person_minutes=totals.minutes - electronic,
                electronic_minutes=electronic,
                anonymous=totals.anonymous + totals.outreach_people,
            )
        )
    return rows


def report_data(report) -> dict:
    project = report.project
    table = indicator_table(project, start=report.period_start, end=report.period_end)
    return {
        "table": table,
        "activities": activity_summaries(project, report.period_start, report.period_end),
    }


def _indicator_header() -> list[str]:
    return [
        _("Code"),
        _("Indicator"),
        _("Unit"),
        _("Baseline"),
        _("Target"),
        _("Achieved in the period"),
        _("Achieved at the period end (cumulative)"),
        _("Share of target (%)"),
        _("Comment on deviations"),
    ]


def _indicator_cells(row) -> list:
    return [
        row.code,
        row.name,
        row.unit,
        row.baseline,
        row.target,
        row.in_period,
        row.cumulative,
        row.percent_of_target,
        "",
    ]


def _activity_header() -> list[str]:
    return [
        _("Key activity"),
        _("Name"),
        _("Interventions"),
        _("Group sessions"),
        _("Identified persons"),
        _("Hours"),
        _("Hours in person"),
        _("Hours electronic"),
        _("Anonymous contacts"),
        _("Summary"),
    ]


def _activity_cells(row: ActivitySummary) -> list:
    return [
        row.code,
        row.name,
        row.interventions,
        row.group_sessions,
        row.persons,
        hours(row.minutes),
        hours(row.in_person_minutes),
        hours(row.electronic_minutes),
        row.anonymous,
        row.narrative,
    ]


def _participant_header() -> list[str]:
    return [
        _("Client code"),
        _("Name"),
        _("Valid support (hours)"),
        _("Threshold reached on"),
        _("Counts as a participant"),
        _("Missing entry data"),
    ]


def _participant_cells(row: dict) -> list:
    return [
        row["code"],
        row["name"],
        hours(row["support_minutes"]),
        row["crossed_on"],
        _("yes") if row["is_participant"] else _("no"),
        ", ".join(str(ENTRY_FIELD_LABELS[name]) for name in row["missing_fields"] or ()),
    ]


def _csv_cell(value) -> str:
    """A CSV cell for Czech Excel: numbers with a decimal comma and never a quote in front
    (a negative change stays a number), text guarded against formulas."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return safe_cell(value)
    if isinstance(value, Decimal):
        return format(value, "f").replace(".", ",")
    if isinstance(value, int):
        return str(value)
    return safe_cell(value)


def _csv(data) -> bytes:
    """The indicator table, an empty line, then the key activities: UTF-8 with BOM, ``;``, CRLF."""
    rows = [
        *(_indicator_cells(row) for row in data["table"].rows),
        [],
        _activity_header(),
        *(_activity_cells(row) for row in data["activities"]),
    ]
    return csv_bytes(_indicator_header(), rows, cell=_csv_cell)


@register(ReportKind.IMPLEMENTATION, formats=("pdf", "xlsx", "csv"))
def build_implementation(report, progress) -> bytes:
    data = report_data(report)
    progress(50)
    if report.file_format == "csv":
        content = _csv(data)
    elif report.file_format == "xlsx":
        participants = participants_drilldown(report.project, report.period_end)
        content = xlsx_bytes(
            [
                (
                    _("Indicators"),
                    _indicator_header(),
                    [_indicator_cells(r) for r in data["table"].rows],
                ),
                (
                    _("Key activities"),
                    _activity_header(),
                    [_activity_cells(r) for r in data["activities"]],
                ),
                (
                    _("Persons"),
                    _participant_header(),
                    [_participant_cells(r) for r in participants],
                ),
            ]
        )
    else:
        content = render_report_pdf(
            "reports/pdf/implementation.html",
            {
                "report": report,
                "rows": data["table"].rows,
                "activities": data["activities"],
                "period": f"{date_format(report.period_start, 'SHORT_DATE_FORMAT')} – "
                f"{date_format(report.period_end, 'SHORT_DATE_FORMAT')}",
            },
            project=report.project,
        )
    progress(100)
    return content
