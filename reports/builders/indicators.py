"""The indicator report: value, target and % of target per period and cumulative, breakdowns.

Small numbers: the breakdown by locality always shows counts of 1–4 as "< 5"; a report about
one locality (``parameters["locality"]``) shows every person count that way, since all of them
describe the persons of one locality.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from casework.models import Locality
from clients.models import MonitoringCode, MonitoringCodeKind
from reports import queries
from reports.pdf import render_report_pdf
from reports.registry import register
from reports.spreadsheets import csv_bytes, xlsx_bytes
from reports.suppression import suppressed


@dataclass(frozen=True)
class BreakdownRow:
    code: str
    label: str
    persons: int | str


@dataclass(frozen=True)
class Breakdown:
    title: str
    rows: list[BreakdownRow]


AGE_ORDER = {band[0]: index for index, band in enumerate(queries.AGE_BANDS)}


def _age_label(code: str) -> str:
    return {"<18": _("under 18"), "55+": _("55 and over")}.get(code, code)


def breakdowns(project, period_end, locality: int | None) -> list[Breakdown]:
    """Participants at the period end by gender, age band, labour status, education,
    disadvantage and locality; counts suppressed where the rule says so."""
    names = {
        (kind, code): name
        for kind, code, name in MonitoringCode.objects.values_list("kind", "code", "name")
    }
    not_stated = _("not stated")

    def publish(count: int, *, by_locality: bool = False):
        return suppressed(count) if (by_locality or locality is not None) else count

    def coded(title, kind, counts):
        return Breakdown(
            title,
            [
                BreakdownRow(
                    code, names.get((kind, code), code) if code else not_stated, publish(n)
                )
                for code, n in counts.items()
            ],
        )

    kw = {"period_end": period_end, "locality": locality}
    result = [
        coded(
            _("Gender"), MonitoringCodeKind.GENDER, queries.participants_by_gender(project, **kw)
        ),
        Breakdown(
            _("Age band at entry"),
            [
                BreakdownRow(code, _age_label(code) if code else not_stated, publish(n))
                for code, n in sorted(
                    queries.participants_by_age_band(project, **kw).items(),
                    key=lambda item: AGE_ORDER.get(item[0], len(AGE_ORDER)),
                )
            ],
        ),
        coded(
            _("Labour-market status"),
            MonitoringCodeKind.LABOUR_STATUS,
            queries.participants_by_labour_status(project, **kw),
        ),
        coded(
            _("Highest education"),
            MonitoringCodeKind.EDUCATION,
            queries.participants_by_education(project, **kw),
        ),
        coded(
            _("Disadvantage"),
            MonitoringCodeKind.DISADVANTAGE,
            queries.participants_by_disadvantage(project, **kw),
        ),
    ]
    by_locality = queries.participants_by_locality(project, period_end=period_end)
    result.append(
        Breakdown(
            _("Locality"),
            [
                BreakdownRow(name, name or not_stated, publish(n, by_locality=True))
                for name, n in by_locality.items()
                if locality is None or name == _locality_name(locality)
            ],
        )
    )
    return result


def _locality_name(locality: int | None) -> str:
    if locality is None:
        return ""
    return Locality.objects.filter(pk=locality).values_list("name", flat=True).first() or ""


def report_context(report, progress) -> dict:
    """Everything the indicator report shows, the same for PDF, XLSX and CSV."""
    project = report.project
    locality = report.parameters.get("locality")
    table = queries.indicator_table(
        project, start=report.period_start, end=report.period_end, locality=locality
    )
    progress(40)
    parts = breakdowns(project, report.period_end, locality)
    progress(70)

    def publish(value):
        if locality is None or not isinstance(value, int):
            return value
        return suppressed(value)

    figures = [
        (key, queries.FIGURE_LABELS[key], table.figures[key]) for key in queries.ENGINE_FIGURES
    ]
    return {
        "report": report,
        "table": table,
        "rows": [_published_row(row, publish) for row in table.rows],
        "figures": [(key, label, publish(value)) for key, label, value in figures],
        "breakdowns": parts,
        "locality_name": _locality_name(locality),
        "threshold_hours": project.participant_threshold_minutes / 60,
    }


def _published_row(row, publish) -> dict:
    """A table row as published: a suppressed value ("< 5") hides its percentage too."""
    in_period = publish(row.in_period) if row.computed else row.in_period
    cumulative = publish(row.cumulative) if row.computed else row.cumulative
    return {
        "row": row,
        "in_period": in_period,
        "cumulative": cumulative,
        "percent_in_period": None if isinstance(in_period, str) else row.percent_in_period,
        "percent_of_target": None if isinstance(cumulative, str) else row.percent_of_target,
    }


def _number(value):
    """Whole decimals as integers, so spreadsheets show 150 rather than 150.0."""
    if value is None:
        return ""
    if isinstance(value, Decimal) and value == value.to_integral_value():
        return int(value)
    return value


def _header() -> list[str]:
    return [
        _("Code"),
        _("Indicator"),
        _("Unit"),
        _("Baseline"),
        _("Target"),
        _("In the period"),
        _("Share of target in the period (%)"),
        _("Cumulative"),
        _("Share of target (%)"),
    ]


def _indicator_cells(item) -> list:
    row = item["row"]
    return [
        row.code,
        row.name,
        row.unit,
        _number(row.baseline),
        _number(row.target),
        _number(item["in_period"]),
        _number(item["percent_in_period"]),
        _number(item["cumulative"]),
        _number(item["percent_of_target"]),
    ]


def _csv_cell(value):
    """Czech Excel reads a decimal comma."""
    if isinstance(value, Decimal):
        return str(value).replace(".", ",")
    return value


@register("indicators", formats=("pdf", "xlsx", "csv"))
def build(report, progress) -> bytes:
    context = report_context(report, progress)
    if report.file_format == "pdf":
        content = render_report_pdf("reports/pdf/indicators.html", context, project=report.project)
    elif report.file_format == "xlsx":
        content = xlsx_bytes(
            [
                (
                    _("Indicators"),
                    _header(),
                    [_indicator_cells(item) for item in context["rows"]],
                ),
                (
                    _("Persons"),
                    [_("Figure"), _("Persons")],
                    [(label, value) for _key, label, value in context["figures"]],
                ),
                (
                    _("Breakdowns"),
                    [_("Breakdown"), _("Code"), _("Category"), _("Participants")],
                    [
                        (part.title, row.code, row.label, row.persons)
                        for part in context["breakdowns"]
                        for row in part.rows
                    ],
                ),
            ]
        )
    else:
        content = csv_bytes(
            _header(),
            [[_csv_cell(c) for c in _indicator_cells(item)] for item in context["rows"]],
        )
    progress(100)
    return content
