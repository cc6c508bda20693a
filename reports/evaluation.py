"""The KA 07 evaluation: the state of the project's clients at enrolment against the end.

Who is evaluated: every enrolment of the project that was open at some time in the period
(entry on or before the period end, no exit or an exit on or after the period start). "The
end" is the period end (a report run up to today shows the state now).

What "at enrolment" (T0) and "at the end" mean, per area:

* **Debts** compare the frozen baseline of each debt case (``DebtCase.baseline_*``, taken once
  at enrolment by ``debts.services.take_baseline``) with the same case's debts at the period
  end. A case without a baseline is compared with its debts at their first recorded status
  (the earliest row of each debt's history: the state the team registered at intake); the
  report says how many cases were compared which way. A debt's status at the end is the last
  status of its history dated on or before the period end (``DebtStatusChange``); a debt
  without history keeps its current status if that dates from before the end; a debt whose
  history starts after the end did not exist yet (in neither column). Owed, running
  enforcement and creditor are defined as in ``debts.queries`` (paid and written-off debts are
  no longer owed; stopped enforcements no longer run). Amounts are the debts' current totals.
* **Debt outcomes** (enforcements stopped, debt relief approved, ...) achieved in the period.
* **Housing risk**: the level of the person's first assessment in the project (T0) and of their
  latest one on or before the period end; persons never assessed are left out. **Housing
  outcomes**: the outcome decided on or before the period end.
* **Plan goals** of the person's plans in the project created by the period end, by status; a
  goal achieved after the period end counts as still in progress.

Every figure is a column of one row per enrolment (correlated subqueries) summed in one GROUP BY
locality (the client's locality); debt outcomes and plan goals are one GROUP BY each; the
organisation's localities are the fourth query, whatever the number of clients.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from casework.models import Locality, Project
from clients.models import GoalStatus, PlanGoal
from debts.models import MONEY, Debt, DebtCase, DebtKind, DebtOutcome, DebtStatusChange, OutcomeKind
from debts.queries import ENDED_ENFORCEMENT_STATUSES, SETTLED_STATUSES
from housing.models import HousingOutcome, HousingOutcomeKind, RiskAssessment, RiskLevel
from reports.queries import enrolments_at
from reports.suppression import SMALL_NUMBER, is_suppressed, suppressed

ZERO = Decimal("0.00")
LEVELS = [level for level, _label in RiskLevel.choices]
HOUSING_OUTCOMES = [kind for kind, _label in HousingOutcomeKind.choices]
GOAL_STATUSES = [status for status, _label in GoalStatus.choices]
DEBT_OUTCOMES = [kind for kind, _label in OutcomeKind.choices]

# Figures kept per locality, each a sum over enrolment rows.
COUNT_FIELDS = (
    "persons",
    "participants",
    "exited",
    "debt_persons",
    "baseline_cases",
    "reconstructed_cases",
    "t0_creditors",
    "end_creditors",
    "t0_enforcements",
    "end_enforcements",
    "enforced_t0_persons",
    "enforced_end_persons",
    "assessed_persons",
    "goal_achieved_persons",
)
AMOUNT_FIELDS = ("t0_total", "end_total")


@dataclass
class Figures:
    """The evaluation figures of one locality, or of all of them added up."""

    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(COUNT_FIELDS, 0))
    amounts: dict[str, Decimal] = field(default_factory=lambda: dict.fromkeys(AMOUNT_FIELDS, ZERO))
    risk_t0: dict[str, int] = field(default_factory=lambda: dict.fromkeys(LEVELS, 0))
    risk_end: dict[str, int] = field(default_factory=lambda: dict.fromkeys(LEVELS, 0))
    housing_outcomes: dict[str, int] = field(
        default_factory=lambda: dict.fromkeys(HOUSING_OUTCOMES, 0)
    )
    goals: dict[str, int] = field(default_factory=lambda: dict.fromkeys(GOAL_STATUSES, 0))
    debt_outcomes: dict[str, int] = field(default_factory=lambda: dict.fromkeys(DEBT_OUTCOMES, 0))
    amount_saved: dict[str, Decimal] = field(
        default_factory=lambda: dict.fromkeys(DEBT_OUTCOMES, ZERO)
    )

    def add(self, other: Figures) -> None:
        for name in (
            "counts",
            "amounts",
            "risk_t0",
            "risk_end",
            "housing_outcomes",
            "goals",
            "debt_outcomes",
            "amount_saved",
        ):
            mine, theirs = getattr(self, name), getattr(other, name)
            for key, value in theirs.items():
                mine[key] = mine.get(key, 0) + value

    @property
    def short_term(self) -> int:
        """Persons supported who are not (yet) participants."""
        return self.counts["persons"] - self.counts["participants"]


@dataclass
class Evaluation:
    project: Project
    start: dt.date
    end: dt.date
    locality: Locality | None
    # (locality id or None, name or None) → Figures, localities by name, "without" last.
    by_locality: list[tuple[Locality | None, Figures]]
    total: Figures


def cohort(
    project: Project, start: dt.date, end: dt.date, locality_id: int | None = None
) -> QuerySet:
    """Enrolments open at some time in ``start``–``end``, with the participant status at end."""
    enrolments = enrolments_at(project, period_end=end).filter(
        Q(exit_date__isnull=True) | Q(exit_date__gte=start)
    )
    if locality_id is not None:
        enrolments = enrolments.filter(client__locality=locality_id)
    return enrolments


def debt_status_at(end: dt.date):
    """A debt's status on ``end`` (see the module docstring); NULL if it did not exist yet."""
    last_change = (
        DebtStatusChange.objects.filter(debt=OuterRef("pk"), changed_on__lte=end)
        .order_by("-changed_on", "-pk")
        .values("status")[:1]
    )
    return Coalesce(
        Subquery(last_change, output_field=CharField()),
        Case(When(status_since__lte=end, then=F("status")), output_field=CharField()),
    )


def _per_enrolment(queryset: QuerySet, client: str, project: str, **aggregate) -> Subquery:
    """One aggregate of ``queryset`` rows of the enrolment's client and project."""
    (name,) = aggregate
    return Subquery(
        queryset.filter(**{client: OuterRef("client"), project: OuterRef("project")})
        .order_by()
        .values(client)
        .annotate(**aggregate)
        .values(name)
    )


def debt_first_status():
    """A debt's first recorded status: the earliest row of its history, else its status now."""
    first_change = (
        DebtStatusChange.objects.filter(debt=OuterRef("pk"))
        .order_by("changed_on", "pk")
        .values("status")[:1]
    )
    return Coalesce(Subquery(first_change, output_field=CharField()), F("status"))


def _owed(status: str) -> Q:
    return Q(**{f"{status}__isnull": False}) & ~Q(**{f"{status}__in": SETTLED_STATUSES})


def _running(status: str) -> Q:
    return (
        Q(kind=DebtKind.ENFORCEMENT)
        & Q(**{f"{status}__isnull": False})
        & ~Q(**{f"{status}__in": ENDED_ENFORCEMENT_STATUSES})
    )


def _with_figures(enrolments: QuerySet, end: dt.date) -> QuerySet:
    money = DecimalField(**MONEY)
    baseline = DebtCase.objects.filter(baseline_on__isnull=False)
    without_baseline = DebtCase.objects.filter(baseline_on__isnull=True, opened_on__lte=end)
    debts = Debt.objects.filter(case__opened_on__lte=end).annotate(end_status=debt_status_at(end))
    # Debts of cases without a baseline that existed by the end, at their first status.
    reconstructed = debts.filter(case__baseline_on__isnull=True).annotate(
        first_status=Case(
            When(end_status__isnull=False, then=debt_first_status()), output_field=CharField()
        )
    )
    assessments = RiskAssessment.objects.filter(
        client=OuterRef("client"), project=OuterRef("project"), assessed_on__lte=end
    )
    goals = PlanGoal.objects.filter(plan__created_on__lte=end, status=GoalStatus.ACHIEVED).filter(
        Q(achieved_on__isnull=True) | Q(achieved_on__lte=end)
    )

    def case_figure(queryset, **aggregate):
        return Coalesce(_per_enrolment(queryset, "client", "project", **aggregate), 0)

    def debt_figure(queryset, **aggregate):
        return Coalesce(_per_enrolment(queryset, "case__client", "case__project", **aggregate), 0)

    def amount(queryset, condition):
        return Coalesce(
            _per_enrolment(
                queryset, "case__client", "case__project", amount=Sum("total", filter=condition)
            ),
            ZERO,
            output_field=money,
        )

    return enrolments.annotate(
        locality_id=F("client__locality"),
        exited=ExpressionWrapper(Q(exit_date__lte=end), output_field=BooleanField()),
        e_baseline_cases=case_figure(baseline, n=Count("pk")),
        e_reconstructed_cases=case_figure(without_baseline, n=Count("pk")),
        e_t0_total=ExpressionWrapper(
            Coalesce(
                _per_enrolment(baseline, "client", "project", amount=Sum("baseline_total")),
                ZERO,
                output_field=money,
            )
            + amount(reconstructed, _owed("first_status")),
            output_field=money,
        ),
        e_t0_creditors=ExpressionWrapper(
            case_figure(baseline, n=Sum("baseline_creditors"))
            + debt_figure(
                reconstructed, n=Count("creditor", filter=_owed("first_status"), distinct=True)
            ),
            output_field=IntegerField(),
        ),
        e_t0_enforcements=ExpressionWrapper(
            case_figure(baseline, n=Sum("baseline_enforcements"))
            + debt_figure(reconstructed, n=Count("pk", filter=_running("first_status"))),
            output_field=IntegerField(),
        ),
        e_end_total=amount(debts, _owed("end_status")),
        e_end_creditors=debt_figure(
            debts, n=Count("creditor", filter=_owed("end_status"), distinct=True)
        ),
        e_end_enforcements=debt_figure(debts, n=Count("pk", filter=_running("end_status"))),
        e_risk_t0=Subquery(assessments.order_by("assessed_on", "pk").values("level")[:1]),
        e_risk_end=Subquery(assessments.order_by("-assessed_on", "-pk").values("level")[:1]),
        e_housing_outcome=Subquery(
            HousingOutcome.objects.filter(
                client=OuterRef("client"), project=OuterRef("project"), decided_on__lte=end
            ).values("outcome")[:1]
        ),
        e_goals_achieved=Coalesce(
            _per_enrolment(goals, "plan__client", "plan__project", n=Count("pk")), 0
        ),
    )


def _count_if(condition: Q) -> Count:
    return Count("pk", filter=condition)


def _aggregates() -> dict:
    money = DecimalField(**MONEY)
    aggregates = {
        "persons": Count("pk"),
        "participants": _count_if(Q(is_participant=True)),
        "exited": _count_if(Q(exited=True)),
        "debt_persons": _count_if(Q(e_baseline_cases__gt=0) | Q(e_reconstructed_cases__gt=0)),
        "baseline_cases": Coalesce(Sum("e_baseline_cases"), 0),
        "reconstructed_cases": Coalesce(Sum("e_reconstructed_cases"), 0),
        "t0_creditors": Coalesce(Sum("e_t0_creditors"), 0),
        "end_creditors": Coalesce(Sum("e_end_creditors"), 0),
        "t0_enforcements": Coalesce(Sum("e_t0_enforcements"), 0),
        "end_enforcements": Coalesce(Sum("e_end_enforcements"), 0),
        "enforced_t0_persons": _count_if(Q(e_t0_enforcements__gt=0)),
        "enforced_end_persons": _count_if(Q(e_end_enforcements__gt=0)),
        "assessed_persons": _count_if(Q(e_risk_t0__isnull=False)),
        "goal_achieved_persons": _count_if(Q(e_goals_achieved__gt=0)),
        "t0_total": Coalesce(Sum("e_t0_total"), ZERO, output_field=money),
        "end_total": Coalesce(Sum("e_end_total"), ZERO, output_field=money),
    }
    for level in LEVELS:
        aggregates[f"risk_t0_{level}"] = _count_if(Q(e_risk_t0=level))
        aggregates[f"risk_end_{level}"] = _count_if(Q(e_risk_end=level))
    for outcome in HOUSING_OUTCOMES:
        aggregates[f"housing_{outcome}"] = _count_if(Q(e_housing_outcome=outcome))
    return aggregates


def evaluation(
    project: Project, start: dt.date, end: dt.date, *, locality_id: int | None = None
) -> Evaluation:
    """The evaluation figures per locality and in total (see the module docstring)."""
    enrolments = cohort(project, start, end, locality_id)
    figures: dict[int | None, Figures] = defaultdict(Figures)

    rows = _with_figures(enrolments, end).order_by().values("locality_id").annotate(**_aggregates())
    for row in rows:
        cell = figures[row.pop("locality_id")]
        for name in COUNT_FIELDS:
            cell.counts[name] = row[name]
        for name in AMOUNT_FIELDS:
            cell.amounts[name] = row[name]
        for level in LEVELS:
            cell.risk_t0[level] = row[f"risk_t0_{level}"]
            cell.risk_end[level] = row[f"risk_end_{level}"]
        for outcome in HOUSING_OUTCOMES:
            cell.housing_outcomes[outcome] = row[f"housing_{outcome}"]

    clients = enrolments.order_by().values("client")
    for row in (
        DebtOutcome.objects.filter(
            case__project=project,
            case__client__in=clients,
            achieved_on__gte=start,
            achieved_on__lte=end,
        )
        .values("kind", locality_id=F("case__client__locality"))
        .annotate(n=Count("pk"), saved=Coalesce(Sum("amount_saved"), ZERO))
        .order_by()
    ):
        cell = figures[row["locality_id"]]
        cell.debt_outcomes[row["kind"]] += row["n"]
        cell.amount_saved[row["kind"]] += row["saved"]

    goal_status = Case(
        When(status=GoalStatus.ACHIEVED, achieved_on__gt=end, then=Value(str(GoalStatus.OPEN))),
        default=F("status"),
        output_field=CharField(),
    )
    for row in (
        PlanGoal.objects.filter(
            plan__project=project, plan__client__in=clients, plan__created_on__lte=end
        )
        .annotate(status_at_end=goal_status)
        .values("status_at_end", locality_id=F("plan__client__locality"))
        .annotate(n=Count("pk", output_field=IntegerField()))
        .order_by()
    ):
        figures[row["locality_id"]].goals[row["status_at_end"]] += row["n"]

    # All of the organisation's localities (a short list): one query whatever was found.
    names = {
        locality.pk: locality
        for locality in Locality.objects.filter(organisation=project.organisation_id)
    }
    by_locality = sorted(
        ((names.get(pk), cell) for pk, cell in figures.items()),
        key=lambda item: (item[0] is None, item[0].name if item[0] else ""),
    )
    total = Figures()
    for _locality, cell in by_locality:
        total.add(cell)
    locality = names.get(locality_id) if locality_id is not None else None
    return Evaluation(
        project=project,
        start=start,
        end=end,
        locality=locality,
        by_locality=by_locality,
        total=total,
    )


# --- Publishing: the small-number rule -------------------------------------------------------

# A cell hidden to protect another (secondary suppression) or an amount of fewer than five
# persons: the sign Czech statistics print for a figure withheld for confidentiality.
HIDDEN = "×"


def suppress_column(values: list[int]) -> set[int]:
    """Which cells of a locality column to hide.

    Primary suppression hides counts of 1–4 (``reports.suppression``). Because the column's
    total is printed under it (and is the project's own figure elsewhere in the report), a
    single hidden cell could be recovered by subtracting the shown cells from the total, and
    so could two hidden cells adding up to less than five (1 + 1, 1 + 2, ...). Secondary
    suppression therefore hides the next smallest non-zero cells until at least two cells are
    hidden and they add up to five or more. When that cannot be reached, every cell of the
    column is hidden, zeros included, so that nobody can tell which locality the few persons
    are in; the total stays, being the project's figure.
    """
    hidden = {i for i, value in enumerate(values) if is_suppressed(value)}
    if not hidden:
        return hidden
    candidates = sorted((value, i) for i, value in enumerate(values) if value and i not in hidden)
    while len(hidden) < 2 or sum(values[i] for i in hidden) < SMALL_NUMBER:
        if not candidates:
            return set(range(len(values)))
        hidden.add(candidates.pop(0)[1])
    return hidden


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    # Amount columns follow the suppression of the count column of the persons behind them.
    basis: str | None = None


def locality_columns() -> list[Column]:
    return [
        Column("persons", _("Persons")),
        Column("participants", _("Participants")),
        Column("debt_persons", _("Persons with debts")),
        Column("t0_total", _("Owed at entry"), basis="debt_persons"),
        Column("end_total", _("Owed at the end"), basis="debt_persons"),
        Column("enforced_t0_persons", _("Persons with enforcement at entry")),
        Column("enforced_end_persons", _("Persons with enforcement at the end")),
        Column("high_risk_t0", _("High or acute housing risk at entry")),
        Column("high_risk_end", _("High or acute housing risk at the end")),
        Column("housing_kept", _("Housing kept or improved")),
        Column("housing_lost", _("Housing lost")),
        Column("goal_achieved_persons", _("Persons with a plan goal achieved")),
    ]


def column_value(figures: Figures, key: str):
    if key in figures.amounts:
        return figures.amounts[key]
    if key == "high_risk_t0":
        return figures.risk_t0[RiskLevel.HIGH] + figures.risk_t0[RiskLevel.ACUTE]
    if key == "high_risk_end":
        return figures.risk_end[RiskLevel.HIGH] + figures.risk_end[RiskLevel.ACUTE]
    if key == "housing_kept":
        outcomes = figures.housing_outcomes
        return outcomes[HousingOutcomeKind.KEPT] + outcomes[HousingOutcomeKind.IMPROVED]
    if key == "housing_lost":
        return figures.housing_outcomes[HousingOutcomeKind.LOST]
    return figures.counts[key]


@dataclass
class LocalityTable:
    columns: list[Column]
    # (locality name, [published cell per column]); the total row last.
    rows: list[tuple[str, list]]
    total: list


def locality_table(data: Evaluation) -> LocalityTable:
    """The per-locality breakdown as published: counts of 1–4 hidden, with secondary cells.

    No column is the sum or difference of other columns of the table (short-term users, for
    one, are left out: persons minus participants would give them away), so only the column
    totals allow recovery by subtraction; ``suppress_column`` guards against that. Amounts
    are hidden wherever the count of persons behind them is. The totals are the project's
    figures, which the report shows in full anyway.
    """
    columns = locality_columns()
    names = [
        locality.name if locality else str(_("Without a locality"))
        for locality, _figures in data.by_locality
    ]
    values = {
        column.key: [column_value(figures, column.key) for _loc, figures in data.by_locality]
        for column in columns
    }
    totals = {column.key: column_value(data.total, column.key) for column in columns}
    hidden: dict[str, set[int]] = {
        column.key: suppress_column(values[column.key])
        for column in columns
        if column.basis is None
    }
    for column in columns:
        if column.basis is not None:
            hidden[column.key] = hidden[column.basis]

    def published(key: str, i: int):
        value = values[key][i]
        if i not in hidden[key]:
            return value
        if key in AMOUNT_FIELDS or not is_suppressed(value):
            return HIDDEN
        return suppressed(value)

    rows = [
        (name, [published(column.key, i) for column in columns]) for i, name in enumerate(names)
    ]
    return LocalityTable(
        columns=columns, rows=rows, total=[totals[column.key] for column in columns]
    )
