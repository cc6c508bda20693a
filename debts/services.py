"""Writes of the debt record: opening a case, the debt register and its status history."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from casework.conflicts import lock_at_version
from casework.czech import procedural_deadline
from clients.models import Task
from debts.feasibility import Feasibility, debt_relief_feasibility
from debts.models import (
    BudgetLine,
    Creditor,
    CreditorType,
    Debt,
    DebtAction,
    DebtAnalysis,
    DebtCase,
    DebtStatus,
    DebtStatusChange,
)
from debts.queries import budget_totals, current_figures, parameters_valid_on

DEBT_CHANGED_MEANWHILE = _(
    "Someone else changed this debt while you were editing it. Open the debt again to see "
    "the current version and enter your changes there."
)
STATUS_BEFORE_LAST_CHANGE = _(
    "The status cannot change before its last change on %(date)s. Enter a later date."
)
STATUS_UNCHANGED = _("The debt already has this status. Choose a different one.")


def _short(day: dt.date) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


DEBT_FIELDS = [
    "creditor",
    "kind",
    "bailiff_office",
    "case_reference",
    "principal",
    "interest",
    "costs",
    "monthly_instalment",
    "source",
    "originated_on",
    "is_public_law",
]


@transaction.atomic
def open_debt_case(debt_case: DebtCase, *, by: AbstractBaseUser) -> DebtCase:
    """Save a new debt case for its client and project (the form has checked the project)."""
    debt_case.full_clean()
    debt_case.save()
    return debt_case


def _creditor(
    debt_case: DebtCase, creditor: Creditor | None, new_name: str, new_type: CreditorType | None
) -> Creditor:
    if creditor is not None:
        return creditor
    found, _created = Creditor.objects.get_or_create(
        organisation_id=debt_case.project.organisation_id,
        name=new_name.strip(),
        defaults={"creditor_type": new_type},
    )
    return found


@transaction.atomic
def create_debt(
    debt: Debt,
    *,
    by: AbstractBaseUser,
    new_creditor_name: str = "",
    new_creditor_type: CreditorType | None = None,
) -> Debt:
    """Add a debt to the register with the first row of its status history.

    Side effects: creates the creditor in the case's organisation when a new name is given
    (or reuses the one of that name); writes a ``DebtStatusChange`` for the initial status.
    """
    debt.creditor = _creditor(
        debt.case, getattr(debt, "creditor", None), new_creditor_name, new_creditor_type
    )
    debt.full_clean()
    debt.save()
    DebtStatusChange.objects.create(
        debt=debt, status=debt.status, changed_on=debt.status_since, changed_by=by
    )
    return debt


@transaction.atomic
def update_debt(
    debt: Debt,
    *,
    by: AbstractBaseUser,
    version: int,
    new_creditor_name: str = "",
    new_creditor_type: CreditorType | None = None,
) -> Debt:
    """Save the register fields of a debt (not its status: see ``change_debt_status``).

    Refuses with ``DEBT_CHANGED_MEANWHILE`` when the row's version is no longer ``version``;
    otherwise saves with the version incremented. May create a creditor as ``create_debt``.
    """
    current = lock_at_version(Debt, debt.pk, version, DEBT_CHANGED_MEANWHILE)
    if new_creditor_name:
        debt.creditor = _creditor(debt.case, None, new_creditor_name, new_creditor_type)
    debt.version = current.version + 1
    debt.full_clean()
    debt.save(update_fields=[*DEBT_FIELDS, "version"])
    debt.refresh_from_db(fields=["total"])
    return debt


@transaction.atomic
def change_debt_status(
    debt: Debt, *, by: AbstractBaseUser, status: DebtStatus, on: dt.date, note: str = ""
) -> DebtStatusChange:
    """Move a debt to ``status`` as of ``on`` and record the dated history row.

    Refuses a date before the debt's latest status change and a status equal to the current
    one. Side effects: updates ``status``/``status_since`` and increments the version.
    """
    current = Debt.objects.select_for_update().get(pk=debt.pk)
    if status == current.status:
        raise ValidationError(STATUS_UNCHANGED, code="unchanged")
    if on < current.status_since:
        raise ValidationError(
            STATUS_BEFORE_LAST_CHANGE, code="order", params={"date": _short(current.status_since)}
        )
    change = DebtStatusChange.objects.create(
        debt=current, status=status, changed_on=on, note=note, changed_by=by
    )
    debt.status, debt.status_since, debt.version = status, on, current.version + 1
    debt.save(update_fields=["status", "status_since", "version"])
    return change


NO_PARAMETERS = _(
    "No legal parameters of the protected amount are valid on %(date)s. Ask the administrator "
    "to add them."
)
ANALYSIS_CHANGED_MEANWHILE = _(
    "Someone else changed this analysis while you were editing it. Open it again to see the "
    "current version and enter your changes there."
)


def analysis_feasibility(analysis: DebtAnalysis, totals: dict | None = None) -> Feasibility | None:
    """The debt-relief check of an analysis from its budget totals (None without a fee).

    ``totals`` are ``budget_totals(analysis)`` when the caller has them already.
    """
    fee = analysis.parameters.insolvency_administrator_fee
    if fee is None:
        return None
    totals = totals or budget_totals(analysis)
    return debt_relief_feasibility(
        totals["seizable_income"],
        analysis.parameters,
        analysis.dependants + (1 if analysis.has_spouse else 0),
        administrator_fee=fee,
        maintenance=totals["maintenance"],
    )


@transaction.atomic
def save_analysis(
    analysis: DebtAnalysis,
    *,
    by: AbstractBaseUser,
    lines: Sequence[BudgetLine],
    removed_lines: Sequence[BudgetLine] = (),
    version: int | None = None,
) -> DebtAnalysis:
    """Create or update a debt situation analysis with its budget lines.

    Picks the legal parameters valid on the analysis date (refuses with ``NO_PARAMETERS``
    when there are none); on an update refuses with ``ANALYSIS_CHANGED_MEANWHILE`` when the
    version moved on. Side effects: saves and deletes budget lines, stores the result of the
    debt-relief feasibility check in ``debt_relief_feasible``, increments the version.
    """
    parameters = parameters_valid_on(analysis.analysed_on)
    if parameters is None:
        raise ValidationError(
            NO_PARAMETERS, code="parameters", params={"date": _short(analysis.analysed_on)}
        )
    analysis.parameters = parameters
    if analysis.pk is None:
        analysis.created_by = by
    else:
        current = lock_at_version(DebtAnalysis, analysis.pk, version, ANALYSIS_CHANGED_MEANWHILE)
        analysis.version = current.version + 1
    analysis.full_clean()
    analysis.save()
    for line in removed_lines:
        line.delete()
    for line in lines:
        line.analysis = analysis
        line.full_clean()
        line.save()
    feasibility = analysis_feasibility(analysis)
    analysis.debt_relief_feasible = feasibility.feasible if feasibility else None
    analysis.save(update_fields=["debt_relief_feasible"])
    return analysis


BASELINE_TAKEN = _("The baseline was already taken on %(date)s; it does not change afterwards.")


@transaction.atomic
def take_baseline(debt_case: DebtCase, *, by: AbstractBaseUser, on: dt.date) -> DebtCase:
    """Freeze today's total debt, running enforcements and creditors as the case's baseline.

    Refuses with ``BASELINE_TAKEN`` when a baseline exists: the evaluation compares against
    the state at enrolment, so it is taken once. Side effect: increments the version.
    """
    current = DebtCase.objects.select_for_update().get(pk=debt_case.pk)
    if current.baseline_on is not None:
        raise ValidationError(
            BASELINE_TAKEN, code="baseline", params={"date": _short(current.baseline_on)}
        )
    figures = current_figures(debt_case)
    debt_case.baseline_on = on
    debt_case.baseline_total = figures["total"]
    debt_case.baseline_enforcements = figures["enforcements"]
    debt_case.baseline_creditors = figures["creditors"]
    debt_case.version = current.version + 1
    debt_case.save(
        update_fields=[
            "baseline_on",
            "baseline_total",
            "baseline_enforcements",
            "baseline_creditors",
            "version",
        ]
    )
    return debt_case


@transaction.atomic
def file_action(
    action: DebtAction,
    *,
    by: AbstractBaseUser,
    deadline_from: dt.date | None = None,
    deadline_days: int | None = None,
) -> DebtAction:
    """Record a filed petition or letter; optionally create its deadline task.

    With ``deadline_from`` (the day a decision or call was delivered) and ``deadline_days``,
    creates a ``Task`` of kind deadline for ``by``, due on the Czech procedural deadline
    (``casework.czech.procedural_deadline``), linked as ``deadline_task``.
    """
    if action.pk is None:
        action.created_by = by
    if deadline_from and deadline_days and action.deadline_task_id is None:
        case = action.case
        action.deadline_task = Task.objects.create(
            title=_("Deadline: %(action)s") % {"action": action.get_kind_display()},
            kind=Task.Kind.DEADLINE,
            due_date=procedural_deadline(deadline_from, deadline_days),
            owner=by,
            client_id=case.client_id,
            project_id=case.project_id,
            created_by=by,
        )
    action.full_clean()
    action.save()
    return action
