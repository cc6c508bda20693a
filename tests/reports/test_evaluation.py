"""The KA 07 evaluation against a hand-built project (period 1 Sep 2020 – 31 Dec 2021).

Persons (all enrolled on 1 Sep 2020 with complete entry data): P1–P6 in Hvězdov (L1), Q1 and
Q2 in Kuřívody (L2). P1 has 40 h of support (the only participant); P6 left on 30 Jun 2021.
A client of the other project, with a debt case and an outcome, must not count.

Debts
  P1  baseline taken: 50 000 Kč, 2 enforcements, 2 creditors. D1 enforcement 30 000 (creditor
      c1) paid on 1 Mar 2021; D2 enforcement 20 000 (c2) still active.
  P2  no baseline: first statuses count. D3 enforcement 10 000 (c1) active from 1 Oct 2020,
      stopped on 1 May 2021 (still owed, no longer running); D4 reminder 5 000 (c2) registered
      on 1 Feb 2022, after the period: in neither column.
  Q1  baseline 8 000 Kč, 1 enforcement, 1 creditor. D5 enforcement 8 000 (c3) written off on
      1 Jun 2021.
  By hand: owed 68 000 → 30 000 (D2 + D3); creditors 4 → 2; enforcements 4 → 1; persons with
  an enforcement 3 → 1; 3 persons with debts, 2 cases against a baseline, 1 reconstructed.
  Outcomes in the period: enforcement stopped (P2, 2 000 Kč saved), written off (Q1, 8 000 Kč);
  P1's "paid" of 1 Mar 2022 is after the period.

Housing risk (first / latest by the end): P1 high → low; P2 acute → acute (its low of Feb 2022
is after the period); P3 medium → medium; Q1 high → high. At entry: 0 low, 1 medium, 2 high,
1 acute; at the end: 1 / 1 / 1 / 1. Outcomes: P1 kept, P2 improved, Q1 lost (P3's lost of
Jan 2022 is after the period).

Plan goals (plans of 10 Sep 2020): P1 achieved (Feb 2021), open, dropped; P2 achieved in Mar
2022 (so still open at the end), not achieved; Q2 achieved (no date), partly. P3's plan of Jan
2022 is after the period. At the end: 2 open, 2 achieved, 1 partly, 1 not achieved, 1 dropped;
2 persons with a goal achieved.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation

from clients.models import GoalStatus, PlanGoal
from debts.models import DebtKind, DebtOutcome, DebtStatus, DebtStatusChange, OutcomeKind
from housing.models import HousingOutcome, HousingOutcomeKind, RiskLevel
from reports.builders import evaluation as builder
from reports.evaluation import HIDDEN, evaluation, locality_table, suppress_column
from reports.registry import ReportError
from tests.factories import (
    CreditorFactory,
    DebtCaseFactory,
    DebtFactory,
    GeneratedReportFactory,
    IndividualPlanFactory,
    LocalityFactory,
    RiskAssessmentFactory,
    UserFactory,
)
from tests.pdf import pdf_text
from tests.reports.test_activities import xlsx_rows
from tests.reports.test_indicators import HOURS, enrol, support

pytestmark = pytest.mark.django_db

START, END = dt.date(2020, 9, 1), dt.date(2021, 12, 31)
D = dt.date
LESS = "< 5"


def debt(case, creditor, kind, amount, history, by):
    """A debt with its status history ``[(status, date), ...]``; the last is its status now."""
    status, since = history[-1]
    made = DebtFactory(
        case=case,
        creditor=creditor,
        kind=kind,
        principal=Decimal(amount),
        status=status,
        status_since=since,
    )
    for row_status, day in history:
        DebtStatusChange.objects.create(debt=made, status=row_status, changed_on=day, changed_by=by)
    return made


def goals(project, client, created_on, *statuses):
    plan = IndividualPlanFactory(project=project, client=client, created_on=created_on)
    for status, achieved_on in statuses:
        PlanGoal.objects.create(plan=plan, goal="Cíl", status=status, achieved_on=achieved_on)


def make_project(project, other_project, suffix=""):
    user = UserFactory()
    l1 = LocalityFactory(organisation=project.organisation, name=f"Hvězdov{suffix}")
    l2 = LocalityFactory(organisation=project.organisation, name=f"Kuřívody{suffix}")
    people = {}
    for name, locality in [*((f"P{i}", l1) for i in range(1, 7)), ("Q1", l2), ("Q2", l2)]:
        people[name] = enrol(
            project,
            locality=locality,
            last_name=name,
            exit_date=D(2021, 6, 30) if name == "P6" else None,
        ).client
    support(project, people["P1"], 40 * HOURS, day=D(2020, 9, 15))
    c1, c2, c3 = (CreditorFactory(organisation=project.organisation) for _ in range(3))
    active, enforcement = DebtStatus.ACTIVE, DebtKind.ENFORCEMENT

    p1 = DebtCaseFactory(
        project=project,
        client=people["P1"],
        baseline_on=D(2020, 9, 5),
        baseline_total=Decimal(50000),
        baseline_enforcements=2,
        baseline_creditors=2,
    )
    debt(p1, c1, enforcement, 30000, [(active, START), (DebtStatus.PAID, D(2021, 3, 1))], user)
    debt(p1, c2, enforcement, 20000, [(active, START)], user)
    p2 = DebtCaseFactory(project=project, client=people["P2"], opened_on=D(2020, 10, 1))
    debt(
        p2,
        c1,
        enforcement,
        10000,
        [(active, D(2020, 10, 1)), (DebtStatus.STOPPED, D(2021, 5, 1))],
        user,
    )
    debt(p2, c2, DebtKind.REMINDER, 5000, [(active, D(2022, 2, 1))], user)
    q1 = DebtCaseFactory(
        project=project,
        client=people["Q1"],
        baseline_on=D(2020, 10, 1),
        baseline_total=Decimal(8000),
        baseline_enforcements=1,
        baseline_creditors=1,
    )
    debt(
        q1,
        c3,
        enforcement,
        8000,
        [(active, D(2020, 10, 1)), (DebtStatus.WRITTEN_OFF, D(2021, 6, 1))],
        user,
    )
    for case, kind, day, saved in [
        (p2, OutcomeKind.ENFORCEMENT_STOPPED, D(2021, 5, 1), 2000),
        (q1, OutcomeKind.WRITTEN_OFF, D(2021, 6, 1), 8000),
        (p1, OutcomeKind.PAID, D(2022, 3, 1), 0),
    ]:
        DebtOutcome.objects.create(case=case, kind=kind, achieved_on=day, amount_saved=saved)

    for name, assessments in {
        "P1": [(D(2020, 9, 5), RiskLevel.HIGH), (D(2021, 10, 1), RiskLevel.LOW)],
        "P2": [(D(2020, 9, 5), RiskLevel.ACUTE), (D(2022, 2, 1), RiskLevel.LOW)],
        "P3": [(D(2020, 9, 5), RiskLevel.MEDIUM)],
        "Q1": [(D(2020, 10, 1), RiskLevel.HIGH), (D(2021, 5, 1), RiskLevel.HIGH)],
    }.items():
        for day, level in assessments:
            RiskAssessmentFactory(
                project=project, client=people[name], assessed_on=day, level=level
            )
    for name, outcome, day in [
        ("P1", HousingOutcomeKind.KEPT, D(2021, 11, 1)),
        ("P2", HousingOutcomeKind.IMPROVED, D(2021, 12, 1)),
        ("Q1", HousingOutcomeKind.LOST, D(2021, 6, 30)),
        ("P3", HousingOutcomeKind.LOST, D(2022, 1, 15)),
    ]:
        HousingOutcome.objects.create(
            client=people[name], project=project, outcome=outcome, decided_on=day
        )

    sep_10 = D(2020, 9, 10)
    goals(
        project,
        people["P1"],
        sep_10,
        (GoalStatus.ACHIEVED, D(2021, 2, 1)),
        (GoalStatus.OPEN, None),
        (GoalStatus.DROPPED, None),
    )
    goals(
        project,
        people["P2"],
        sep_10,
        (GoalStatus.ACHIEVED, D(2022, 3, 1)),
        (GoalStatus.NOT_ACHIEVED, None),
    )
    goals(project, people["Q2"], sep_10, (GoalStatus.ACHIEVED, None), (GoalStatus.PARTLY, None))
    goals(project, people["P3"], D(2022, 1, 10), (GoalStatus.ACHIEVED, D(2022, 1, 20)))

    # Someone else's project: never in the figures.
    other = enrol(other_project, locality=l1, last_name="R").client
    other_case = DebtCaseFactory(
        project=other_project, client=other, baseline_on=D(2021, 1, 5), baseline_total=99999
    )
    DebtOutcome.objects.create(
        case=other_case, kind=OutcomeKind.PAID, achieved_on=D(2021, 5, 1), amount_saved=99999
    )
    return {"L1": l1, "L2": l2, **people}


@pytest.fixture
def known(project, other_project):
    return make_project(project, other_project)


def report_for(project, file_format, **parameters):
    return GeneratedReportFactory(
        project=project,
        kind="evaluation",
        period_start=START,
        period_end=END,
        file_format=file_format,
        parameters=parameters,
    )


def test_whole_project_figures_by_hand(project, known):
    data = evaluation(project, START, END)

    total = data.total
    assert {k: total.counts[k] for k in ("persons", "participants", "exited")} == {
        "persons": 8,
        "participants": 1,
        "exited": 1,
    }
    assert total.short_term == 7
    assert total.amounts == {"t0_total": Decimal(68000), "end_total": Decimal(30000)}
    assert [
        total.counts[k]
        for k in (
            "debt_persons",
            "baseline_cases",
            "reconstructed_cases",
            "t0_creditors",
            "end_creditors",
            "t0_enforcements",
            "end_enforcements",
            "enforced_t0_persons",
            "enforced_end_persons",
        )
    ] == [3, 2, 1, 4, 2, 4, 1, 3, 1]
    assert total.risk_t0 == {"low": 0, "medium": 1, "high": 2, "acute": 1}
    assert total.risk_end == {"low": 1, "medium": 1, "high": 1, "acute": 1}
    assert total.counts["assessed_persons"] == 4
    assert total.housing_outcomes == {"kept": 1, "improved": 1, "lost": 1}
    assert total.goals == {
        "open": 2,
        "achieved": 2,
        "partly": 1,
        "not_achieved": 1,
        "dropped": 1,
    }
    assert total.counts["goal_achieved_persons"] == 2
    assert {k: v for k, v in total.debt_outcomes.items() if v} == {
        "enforcement_stopped": 1,
        "written_off": 1,
    }
    assert total.amount_saved["enforcement_stopped"] == Decimal(2000)
    assert total.amount_saved["written_off"] == Decimal(8000)


def test_figures_per_locality_by_hand(project, known):
    data = evaluation(project, START, END)

    (l1, hvezdov), (l2, kurivody) = data.by_locality
    assert (l1, l2) == (known["L1"], known["L2"])
    assert (hvezdov.counts["persons"], kurivody.counts["persons"]) == (6, 2)
    assert hvezdov.amounts == {"t0_total": Decimal(60000), "end_total": Decimal(30000)}
    assert kurivody.amounts == {"t0_total": Decimal(8000), "end_total": Decimal(0)}
    assert (hvezdov.housing_outcomes["lost"], kurivody.housing_outcomes["lost"]) == (0, 1)


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([5, 6], set()),
        ([6, 2], {0, 1}),  # one hidden cell: its neighbour too
        ([10, 3, 6], {1, 2}),  # the smallest visible one is hidden with it
        ([7, 1, 1], {0, 1, 2}),  # 1 + 1 could be worked out: one more
        ([1, 0], {0, 1}),  # nothing else to hide: the zero too, or the 1 is found
        ([2, 0, 1], {0, 1, 2}),  # hidden cells add up to less than five
        ([3], {0}),
        ([0, 0], set()),
    ],
)
def test_secondary_suppression_of_a_locality_column(values, expected):
    assert suppress_column(values) == expected


def test_locality_table_cannot_be_undone_by_subtraction(project, known):
    with translation.override("en"):
        table = locality_table(evaluation(project, START, END))

    keys = [column.key for column in table.columns]
    by_name = {name: dict(zip(keys, cells, strict=True)) for name, cells in table.rows}
    total = dict(zip(keys, table.total, strict=True))
    assert (by_name["Hvězdov"]["persons"], by_name["Kuřívody"]["persons"], total["persons"]) == (
        HIDDEN,
        LESS,
        8,
    )
    # One participant in all: the zero beside it is hidden too, the total is the project's.
    assert (by_name["Hvězdov"]["participants"], by_name["Kuřívody"]["participants"]) == (
        LESS,
        HIDDEN,
    )
    assert total["participants"] == 1
    assert [by_name["Hvězdov"]["t0_total"], by_name["Kuřívody"]["t0_total"]] == [HIDDEN, HIDDEN]
    assert total["t0_total"] == Decimal(68000)
    assert (by_name["Kuřívody"]["housing_lost"], by_name["Hvězdov"]["housing_lost"]) == (
        LESS,
        HIDDEN,
    )
    # No published cell of a locality is a number from one to four.
    for _name, cells in table.rows:
        assert not [cell for cell in cells if isinstance(cell, int) and 0 < cell < 5]


def lines_of(text: str) -> list[str]:
    return [" ".join(line.split()) for line in text.splitlines()]


def compact_lines(text: str) -> list[str]:
    """Lines without any spaces: pdftotext may print a narrow "< 5" as "<5"."""
    return ["".join(line.split()) for line in text.splitlines()]


def test_evaluation_pdf_has_tables_charts_and_the_locality_breakdown(project, known):
    report = report_for(project, "pdf")

    with translation.override("en"):
        text = pdf_text(builder.build(report, lambda percent: None))

    lines = lines_of(text)
    assert "Persons supported in the period 8" in lines
    assert "Short-term users 7" in lines
    assert "Total owed CZK 68,000.00 CZK 30,000.00 CZK -38,000.00" in lines
    assert "Enforcements running 4 1 -3" in lines
    assert "Persons with an enforcement running 3 1 -2" in lines
    assert "Enforcement stopped 1 CZK 2,000.00" in lines
    assert "High 2 1" in lines
    assert "Housing lost 1" in lines
    assert "Goals set in total 7" in lines
    # The charts are drawn with text labels (the goals chart's categories).
    assert "In progress Achieved Partly achieved Not achieved Dropped" in lines
    compact = compact_lines(text)
    # Persons, participants, persons with debts, persons with a goal achieved.
    assert "Hvězdov×<5<5<5" in compact
    assert "Kuřívody<5×<5<5" in compact
    assert "Total8132" in compact
    # Owed at entry and at the end, persons with an enforcement at entry and at the end.
    assert "Hvězdov××<5<5" in compact
    assert "Kuřívody××<5×" in compact
    assert "TotalCZK68,000.00CZK30,000.0031" in compact
    # High or acute risk at entry and at the end, housing kept or improved, housing lost.
    assert "Hvězdov<5<5<5×" in compact
    assert "Kuřívody<5<5×<5" in compact
    assert "Total3221" in compact


def test_evaluation_xlsx_reads_back(project, known):
    report = report_for(project, "xlsx")

    with translation.override("en"):
        data = builder.build(report, lambda percent: None)

    debts = xlsx_rows(data, "Debts")
    assert debts[1:5] == [
        ("Total owed", 68000, 30000, -38000),
        ("Creditors", 4, 2, -2),
        ("Enforcements running", 4, 1, -3),
        ("Persons with an enforcement running", 3, 1, -2),
    ]
    assert xlsx_rows(data, "Housing-loss risk")[1:5] == [
        ("Low", 0, 1),
        ("Medium", 1, 1),
        ("High", 2, 1),
        ("Acute", 1, 1),
    ]
    localities = xlsx_rows(data, "Localities")
    assert localities[1][:5] == ("Hvězdov", HIDDEN, LESS, LESS, HIDDEN)
    assert localities[-1][:5] == ("Total", 8, 1, 3, 68000)


def test_one_locality_report_applies_the_small_number_rule_everywhere(project, known):
    report = report_for(project, "pdf", locality=known["L2"].pk)

    with translation.override("en"):
        text = pdf_text(builder.build(report, lambda percent: None))

    compact = compact_lines(text)
    assert "Personssupportedintheperiod<5" in compact
    assert f"Totalowed{HIDDEN}{HIDDEN}" in compact
    assert "Creditors<50" in compact
    assert "Short-term users" not in text
    assert "8,000.00" not in text
    assert "By locality" not in text


def test_locality_of_another_organisation_is_refused(project, known):
    foreign = LocalityFactory()
    report = report_for(project, "pdf", locality=foreign.pk)

    with pytest.raises(ReportError):
        builder.build(report, lambda percent: None)


@pytest.mark.parametrize("file_format", ["pdf", "xlsx"])
@pytest.mark.parametrize("copies", [1, 2])
def test_evaluation_query_count_does_not_grow(
    project, other_project, django_assert_num_queries, file_format, copies
):
    for copy in range(copies):
        make_project(project, other_project, suffix=f" {copy}")
    report = report_for(project, file_format)

    # The enrolment aggregate per locality, debt outcomes, plan goals, the localities.
    with django_assert_num_queries(4):
        builder.build(report, lambda percent: None)


@pytest.mark.parametrize("copies", [1, 2])
def test_one_locality_report_query_count_does_not_grow(
    project, other_project, django_assert_num_queries, copies
):
    places = [make_project(project, other_project, suffix=f" {copy}") for copy in range(copies)]
    report = report_for(project, "pdf", locality=places[0]["L1"].pk)

    # The locality check, then the four queries of the whole-project report.
    with django_assert_num_queries(5):
        builder.build(report, lambda percent: None)
