"""The KA 07 evaluation report: the state at enrolment against the end, with charts.

``parameters["locality"]`` (a locality id) narrows the report to the clients of one locality;
then every count in it follows the small-number rule (1–4 shown as "< 5") and amounts of fewer
than five persons are hidden. The whole-project report shows the project's figures in full and
a breakdown by locality published with primary and secondary suppression
(``reports.evaluation.locality_table``). What is compared with what is described in
``reports.evaluation``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from casework.models import Locality
from casework.templatetags.casework_tags import money
from clients.models import GoalStatus
from debts.models import OutcomeKind
from housing.models import HousingOutcomeKind, RiskLevel
from reports.charts import bar_chart, grouped_bar_chart
from reports.evaluation import HIDDEN, Evaluation, evaluation, locality_table
from reports.models import GeneratedReport
from reports.pdf import render_report_pdf
from reports.registry import Progress, ReportError, register
from reports.spreadsheets import xlsx_bytes
from reports.suppression import is_suppressed, suppressed


@dataclass
class Section:
    key: str
    title: str
    header: list[str]
    rows: list[list] = field(default_factory=list)
    charts: list = field(default_factory=list)
    note: str = ""


class Publisher:
    """Counts and amounts as this report may show them (the small-number rule when scoped)."""

    def __init__(self, scoped: bool):
        self.scoped = scoped

    def count(self, value: int):
        return suppressed(value) if self.scoped else value

    def amount(self, value: Decimal, persons: int):
        return HIDDEN if self.scoped and is_suppressed(persons) else value

    @staticmethod
    def change(before, after):
        if isinstance(before, (int, Decimal)) and isinstance(after, (int, Decimal)):
            return after - before
        return ""


def _sections(data: Evaluation) -> list[Section]:
    scoped = data.locality is not None
    show = Publisher(scoped)
    total = data.total
    counts, amounts = total.counts, total.amounts
    at_entry, at_end = _("At entry"), _("At the end")

    caseload = Section("caseload", _("Persons evaluated"), [_("Measure"), _("Persons")])
    caseload.rows = [
        [_("Persons supported in the period"), show.count(counts["persons"])],
        [_("Participants (over the support threshold)"), show.count(counts["participants"])],
    ]
    if not scoped:
        # Persons minus participants would give away a hidden count in a locality report.
        caseload.rows.append([_("Short-term users"), total.short_term])
    caseload.rows.append(
        [_("Support ended by the end of the period"), show.count(counts["exited"])]
    )

    debts = Section(
        "debts", _("Debts"), [_("Measure"), at_entry, at_end, _("Difference from entry")]
    )
    persons_with_debts = counts["debt_persons"]
    t0_total = show.amount(amounts["t0_total"], persons_with_debts)
    end_total = show.amount(amounts["end_total"], persons_with_debts)
    debt_rows = [
        (_("Total owed"), t0_total, end_total),
        (_("Creditors"), show.count(counts["t0_creditors"]), show.count(counts["end_creditors"])),
        (
            _("Enforcements running"),
            show.count(counts["t0_enforcements"]),
            show.count(counts["end_enforcements"]),
        ),
        (
            _("Persons with an enforcement running"),
            show.count(counts["enforced_t0_persons"]),
            show.count(counts["enforced_end_persons"]),
        ),
    ]
    debts.rows = [[label, a, b, show.change(a, b)] for label, a, b in debt_rows]
    debts.note = _(
        "Persons with a debt case: %(persons)s. Cases compared with the baseline taken at "
        "enrolment: %(baseline)s; cases without a baseline, compared with each debt's first "
        "recorded status: %(reconstructed)s."
    ) % {
        "persons": show.count(persons_with_debts),
        "baseline": show.count(counts["baseline_cases"]),
        "reconstructed": show.count(counts["reconstructed_cases"]),
    }
    debts.charts = [
        bar_chart(
            title=_("Total owed at entry and at the end"),
            desc=_("Sum of debts still owed, in CZK."),
            labels=[at_entry, at_end],
            values=[t0_total, end_total],
        ),
        grouped_bar_chart(
            title=_("Creditors and enforcements at entry and at the end"),
            desc="",
            categories=[_("Creditors"), _("Enforcements running"), _("Persons with enforcement")],
            series=[
                (at_entry, [row[1] for row in debt_rows[1:]]),
                (at_end, [row[2] for row in debt_rows[1:]]),
            ],
        ),
    ]

    outcome_labels = dict(OutcomeKind.choices)
    outcomes = Section(
        "debt_outcomes",
        _("Debt outcomes achieved in the period"),
        [_("Outcome"), _("Count"), _("Amount saved")],
    )
    for kind, label in outcome_labels.items():
        n = total.debt_outcomes[kind]
        outcomes.rows.append([label, show.count(n), show.amount(total.amount_saved[kind], n)])
    outcomes.charts = [
        bar_chart(
            title=_("Debt outcomes achieved in the period"),
            desc="",
            labels=[str(label) for label in outcome_labels.values()],
            values=[row[1] for row in outcomes.rows],
        )
    ]

    level_labels = dict(RiskLevel.choices)
    risk = Section("housing_risk", _("Housing-loss risk"), [_("Risk level"), at_entry, at_end])
    risk.rows = [
        [label, show.count(total.risk_t0[level]), show.count(total.risk_end[level])]
        for level, label in level_labels.items()
    ]
    risk.note = _(
        "Persons assessed: %(persons)s. At entry is each person's first assessment in the "
        "project, at the end their latest one by the end of the period."
    ) % {"persons": show.count(counts["assessed_persons"])}
    risk.charts = [
        grouped_bar_chart(
            title=_("Housing-loss risk at entry and at the end"),
            desc=_("Persons by risk level."),
            categories=[str(label) for label in level_labels.values()],
            series=[(at_entry, [r[1] for r in risk.rows]), (at_end, [r[2] for r in risk.rows])],
        )
    ]

    housing_labels = dict(HousingOutcomeKind.choices)
    housing = Section("housing_outcomes", _("Housing outcomes"), [_("Outcome"), _("Persons")])
    housing.rows = [
        [label, show.count(total.housing_outcomes[kind])] for kind, label in housing_labels.items()
    ]
    housing.charts = [
        bar_chart(
            title=_("Housing outcomes"),
            desc=_("Persons by housing outcome."),
            labels=[str(label) for label in housing_labels.values()],
            values=[row[1] for row in housing.rows],
        )
    ]

    goal_labels = dict(GoalStatus.choices)
    goals = Section("goals", _("Individual plan goals"), [_("Status at the end"), _("Goals")])
    goals.rows = [[label, show.count(total.goals[status])] for status, label in goal_labels.items()]
    goals.rows.append([_("Goals set in total"), show.count(sum(total.goals.values()))])
    goals.note = _("Persons with at least one goal achieved: %(persons)s.") % {
        "persons": show.count(counts["goal_achieved_persons"])
    }
    goals.charts = [
        bar_chart(
            title=_("Individual plan goals by status at the end"),
            desc=_("Number of goals."),
            labels=[str(label) for label in goal_labels.values()],
            values=[row[1] for row in goals.rows[:-1]],
        )
    ]
    return [caseload, debts, outcomes, risk, housing, goals]


def _display(value) -> str:
    if isinstance(value, Decimal):
        return money(value)
    if isinstance(value, int):
        return number_format(value, use_l10n=True, force_grouping=True)
    return str(value)


# The breakdown has too many columns for one page width: persons, debts, housing — each a table
# of its own with the locality names repeated.
LOCALITY_GROUPS = (
    ("persons", "participants", "debt_persons", "goal_achieved_persons"),
    ("t0_total", "end_total", "enforced_t0_persons", "enforced_end_persons"),
    ("high_risk_t0", "high_risk_end", "housing_kept", "housing_lost"),
)


def _locality_groups(table) -> list[dict]:
    index = {column.key: i for i, column in enumerate(table.columns)}
    groups = []
    for keys in LOCALITY_GROUPS:
        picked = [index[key] for key in keys]
        groups.append(
            {
                "columns": [table.columns[i] for i in picked],
                "rows": [
                    (name, [_display(cells[i]) for i in picked]) for name, cells in table.rows
                ],
                "total": [_display(table.total[i]) for i in picked],
            }
        )
    return groups


def _pdf(data: Evaluation, sections: list[Section], report: GeneratedReport) -> bytes:
    table = None if data.locality is not None else locality_table(data)
    return render_report_pdf(
        "reports/pdf/evaluation.html",
        {
            "report": report,
            "data": data,
            "sections": [
                {
                    "title": section.title,
                    "header": section.header,
                    "rows": [
                        [row[0], *(_display(cell) for cell in row[1:])] for row in section.rows
                    ],
                    "charts": section.charts,
                    "note": section.note,
                }
                for section in sections
            ],
            "locality_tables": _locality_groups(table) if table else [],
            "hidden_sign": HIDDEN,
        },
        project=report.project,
    )


def _xlsx(data: Evaluation, sections: list[Section]) -> bytes:
    sheets = [
        (section.title, section.header, section.rows + ([[section.note]] if section.note else []))
        for section in sections
    ]
    if data.locality is None:
        table = locality_table(data)
        sheets.append(
            (
                _("Localities"),
                [_("Locality"), *(str(column.label) for column in table.columns)],
                [[name, *cells] for name, cells in table.rows] + [[_("Total"), *table.total]],
            )
        )
    return xlsx_bytes(sheets)


def _locality_id(report: GeneratedReport) -> int | None:
    locality = (report.parameters or {}).get("locality")
    if locality in (None, ""):
        return None
    try:
        locality_id = int(locality)
    except (TypeError, ValueError):
        raise ReportError(_("The locality of the report is not valid.")) from None
    if not Locality.objects.filter(
        pk=locality_id, organisation=report.project.organisation_id
    ).exists():
        raise ReportError(_("The locality of the report is not valid."))
    return locality_id


@register("evaluation", formats=("pdf", "xlsx"))
def build(report: GeneratedReport, progress: Progress) -> bytes:
    """The KA 07 evaluation of the project (or of one locality, ``parameters["locality"]``)."""
    data = evaluation(
        report.project,
        report.period_start,
        report.period_end,
        locality_id=_locality_id(report),
    )
    progress(50)
    sections = _sections(data)
    if report.file_format == "xlsx":
        return _xlsx(data, sections)
    return _pdf(data, sections, report)
