"""Reads of the debt record that other screens show (the client's case file)."""

from __future__ import annotations

import datetime as dt

from django.db.models import (
    Count,
    DecimalField,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce

from casework.compiled import attach_related, compiled_rows, queryset_sql, related_columns
from casework.roles import ScopeOwner, scope_owner
from debts.budget import MAINTENANCE, SEIZABLE_INCOME
from debts.models import (
    MONEY,
    BudgetLine,
    Debt,
    DebtAnalysis,
    DebtCase,
    DebtKind,
    DebtStatus,
    LegalParameterSet,
)

# Debts that are over for the client: they no longer add to the total owed.
SETTLED_STATUSES = [DebtStatus.PAID, DebtStatus.WRITTEN_OFF]
# Enforcements that no longer run.
ENDED_ENFORCEMENT_STATUSES = [DebtStatus.STOPPED, DebtStatus.PAID, DebtStatus.WRITTEN_OFF]


# What the case file shows of a debt case's project.
SUMMARY_RELATED = {"project": ("code",)}


def debt_summary_for_client(client, user) -> list[DebtCase]:
    """The client's open debt cases the user may see, each with its figures from SQL.

    Annotations: ``total_debt`` (sum of ``Debt.total`` of debts neither paid nor written
    off), ``debt_count`` (those debts), ``enforcement_count`` (enforcements not stopped, paid
    or written off) and ``latest_analysis_on`` (date of the newest debt situation analysis,
    or None). One statement (``casework.compiled``) whatever the number of debts and
    analyses: the debts are joined once and summed with a filter per figure; the analyses are
    a correlated subquery, so their rows never multiply the debts' sums.
    """
    rows = compiled_rows(DebtCase, _summary_statement, (scope_owner(user),), ids=[client.pk])
    attach_related(rows, SUMMARY_RELATED)
    return rows


def _summary_statement(owner: ScopeOwner, dates, ids):
    (client,) = ids
    owed = ~Q(debts__status__in=SETTLED_STATUSES)
    running = Q(debts__kind=DebtKind.ENFORCEMENT) & ~Q(debts__status__in=ENDED_ENFORCEMENT_STATUSES)
    newest_analysis = (
        DebtAnalysis.objects.filter(case=OuterRef("pk"))
        .order_by("-analysed_on")
        .values("analysed_on")[:1]
    )
    return queryset_sql(
        DebtCase.objects.visible_to(owner.user)
        .open()
        .filter(client=client)
        # What the case file shows of the case and its project.
        .only("opened_on", "project")
        .annotate(
            **related_columns(SUMMARY_RELATED),
            total_debt=Coalesce(
                Sum("debts__total", filter=owed), 0, output_field=DecimalField(**MONEY)
            ),
            debt_count=Count("debts", filter=owed),
            enforcement_count=Count("debts", filter=running),
            latest_analysis_on=Subquery(newest_analysis),
        )
        .order_by("-opened_on", "-pk")
    )


def parameters_valid_on(day: dt.date) -> LegalParameterSet | None:
    """The protected-amount parameter set in force on ``day`` (the newest one not after it)."""
    return LegalParameterSet.objects.filter(valid_from__lte=day).order_by("-valid_from").first()


def register_totals(debts: QuerySet) -> dict:
    """Totals of a set of debts, computed in SQL: overall, by kind and by status.

    Returns ``{"total": Decimal, "count": int, "owed": Decimal, "by_kind": [...],
    "by_status": [...]}``; each row of the breakdowns has the code, its label, ``count`` and
    ``amount``. ``owed`` leaves out paid and written-off debts (as ``debt_summary_for_client``).
    Three queries whatever the number of debts.
    """
    money = DecimalField(**MONEY)
    overall = debts.order_by().aggregate(
        all_total=Coalesce(Sum("total"), 0, output_field=money),
        count=Count("pk"),
        owed=Coalesce(Sum("total", filter=~Q(status__in=SETTLED_STATUSES)), 0, output_field=money),
    )
    kinds = dict(DebtKind.choices)
    statuses = dict(DebtStatus.choices)
    by_kind = [
        {**row, "label": kinds.get(row["code"], row["code"])}
        for row in debts.order_by("kind")
        .values(code=F("kind"))
        .annotate(count=Count("pk"), amount=Sum("total"))
    ]
    by_status = [
        {**row, "label": statuses.get(row["code"], row["code"])}
        for row in debts.order_by("status")
        .values(code=F("status"))
        .annotate(count=Count("pk"), amount=Sum("total"))
    ]
    overall["total"] = overall.pop("all_total")
    return {**overall, "by_kind": by_kind, "by_status": by_status}


def household_debts(debt_case: DebtCase, user) -> QuerySet | None:
    """Debts of every debt case of the case's household that the user may see, or None."""
    if debt_case.household_id is None:
        return None
    return Debt.objects.filter(
        case__household=debt_case.household_id,
        case__in=DebtCase.objects.visible_to(user).values("pk"),
    )


def budget_totals(analysis: DebtAnalysis) -> dict:
    """Monthly totals of an analysis's budget, in one SQL query (yearly lines count ÷ 12).

    ``income``, ``expenses``, ``disposable`` (income − expenses), ``seizable_income`` (incomes
    listed in ``debts.budget.SEIZABLE_INCOME``) and ``maintenance`` (maintenance paid).
    """
    money = DecimalField(**MONEY)
    income = Q(direction=BudgetLine.Direction.INCOME)
    expense = Q(direction=BudgetLine.Direction.EXPENSE)

    def total(condition: Q):
        return Coalesce(Sum("monthly_amount", filter=condition), 0, output_field=money)

    totals = BudgetLine.objects.filter(analysis=analysis).aggregate(
        income=total(income),
        expenses=total(expense),
        seizable_income=total(income & Q(category__in=SEIZABLE_INCOME)),
        maintenance=total(expense & Q(category=MAINTENANCE)),
    )
    totals["disposable"] = totals["income"] - totals["expenses"]
    return totals


def budget_by_member(analysis: DebtAnalysis) -> list[dict]:
    """Monthly income and expenses per household member, summed in SQL."""
    money = DecimalField(**MONEY)
    return list(
        BudgetLine.objects.filter(analysis=analysis)
        .order_by("member")
        .values("member")
        .annotate(
            income=Coalesce(
                Sum("monthly_amount", filter=Q(direction=BudgetLine.Direction.INCOME)),
                0,
                output_field=money,
            ),
            expenses=Coalesce(
                Sum("monthly_amount", filter=Q(direction=BudgetLine.Direction.EXPENSE)),
                0,
                output_field=money,
            ),
        )
    )


def current_figures(debt_case: DebtCase) -> dict:
    """Today's figures to compare with the baseline, in one SQL query.

    ``total`` owed (debts neither paid nor written off), ``enforcements`` still running and
    ``creditors`` (distinct creditors of debts still owed) — the same definitions as
    ``debt_summary_for_client``.
    """
    owed = ~Q(status__in=SETTLED_STATUSES)
    running = Q(kind=DebtKind.ENFORCEMENT) & ~Q(status__in=ENDED_ENFORCEMENT_STATUSES)
    figures = Debt.objects.filter(case=debt_case).aggregate(
        owed_total=Coalesce(Sum("total", filter=owed), 0, output_field=DecimalField(**MONEY)),
        enforcements=Count("pk", filter=running),
        creditors=Count("creditor", filter=owed, distinct=True),
    )
    figures["total"] = figures.pop("owed_total")
    return figures
