"""Reads of the debt record that other screens show (the client's case file)."""

from __future__ import annotations

from django.db.models import (
    Count,
    DecimalField,
    IntegerField,
    Max,
    OuterRef,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce

from debts.models import MONEY, Debt, DebtAnalysis, DebtCase, DebtKind, DebtStatus

# Debts that are over for the client: they no longer add to the total owed.
SETTLED_STATUSES = [DebtStatus.PAID, DebtStatus.WRITTEN_OFF]
# Enforcements that no longer run.
ENDED_ENFORCEMENT_STATUSES = [DebtStatus.STOPPED, DebtStatus.PAID, DebtStatus.WRITTEN_OFF]


def _per_case(queryset: QuerySet, **aggregate) -> Subquery:
    (name,) = aggregate
    return Subquery(
        queryset.filter(case=OuterRef("pk"))
        .order_by()
        .values("case")
        .annotate(**aggregate)
        .values(name)
    )


def debt_summary_for_client(client, user) -> list[DebtCase]:
    """The client's open debt cases the user may see, each with its figures from SQL.

    Annotations: ``total_debt`` (sum of ``Debt.total`` of debts neither paid nor written
    off), ``debt_count`` (those debts), ``enforcement_count`` (enforcements not stopped, paid
    or written off) and ``latest_analysis_on`` (date of the newest debt situation analysis,
    or None). Each is a correlated subquery, so one query whatever the number of debts and
    analyses, and no join multiplies another's sum.
    """
    owed = Debt.objects.exclude(status__in=SETTLED_STATUSES)
    running = Debt.objects.filter(kind=DebtKind.ENFORCEMENT).exclude(
        status__in=ENDED_ENFORCEMENT_STATUSES
    )
    return list(
        DebtCase.objects.visible_to(user)
        .open()
        .filter(client=client)
        .select_related("project")
        .annotate(
            total_debt=Coalesce(
                _per_case(owed, amount=Sum("total")),
                0,
                output_field=DecimalField(**MONEY),
            ),
            debt_count=Coalesce(_per_case(owed, n=Count("pk")), 0, output_field=IntegerField()),
            enforcement_count=Coalesce(
                _per_case(running, n=Count("pk")), 0, output_field=IntegerField()
            ),
            latest_analysis_on=_per_case(DebtAnalysis.objects.all(), day=Max("analysed_on")),
        )
        .order_by("-opened_on", "-pk")
    )
