"""The protected amount (nezabavitelná částka) and the seizable part of income — pure arithmetic.

DOMAIN.md §7, Government Decree 595/2006 and §§ 278–299 of the Civil Procedure Code. Nothing
here touches the database: the caller passes a ``LegalParameterSet`` (or anything with the same
attributes) valid on the date in question. Shares are exact fractions, so two thirds of a base
is never a crown off.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Protocol

ONE_CROWN = Decimal(1)


class Parameters(Protocol):
    base_amount: Decimal
    threshold_multiple: Decimal

    @property
    def debtor_fraction(self) -> Fraction: ...

    @property
    def dependant_fraction(self) -> Fraction: ...


def protected_amount(parameters: Parameters, dependants: int, *, spouse: bool = False) -> Decimal:
    """Debtor share × base plus dependant share × base per dependant, rounded UP to crowns.

    A spouse counts as one more dependant (§ 279 (2) of the Civil Procedure Code).
    """
    if dependants < 0:
        raise ValueError("dependants must not be negative")
    people = dependants + (1 if spouse else 0)
    base = Fraction(parameters.base_amount)
    exact = parameters.debtor_fraction * base + people * parameters.dependant_fraction * base
    return Decimal(math.ceil(exact))


@dataclass(frozen=True)
class Seizable:
    """How a net monthly income splits under enforcement (all whole crowns)."""

    protected: Decimal
    rest: Decimal  # income between protected amount and threshold, down to a multiple of 3
    threshold: Decimal  # net income above this is seizable in full
    above_threshold: Decimal
    ordinary: Decimal  # for any creditor: one third of the rest up to the threshold + excess
    priority_only: Decimal  # the second third, only for priority claims (maintenance)
    amount: Decimal  # what the creditor(s) in question can take


def seizable_income(
    net_income: Decimal, parameters: Parameters, dependants: int, priority: bool = False
) -> Seizable:
    """The part of ``net_income`` enforcement can take (DOMAIN.md §7).

    The rest above the protected amount is rounded down to a multiple of 3; the part of it
    above ``threshold_multiple`` × base is taken in full; of the part below, one third goes to
    ordinary creditors and the second third only to priority claims (``priority=True``).
    """
    if net_income < 0:
        raise ValueError("net income must not be negative")
    protected = protected_amount(parameters, dependants)
    base = Fraction(parameters.base_amount)
    threshold = Decimal(math.floor(base * Fraction(parameters.threshold_multiple)))
    net = Decimal(math.floor(net_income))
    # Income above the threshold is taken in full; the rest between the protected amount and
    # the threshold is rounded down to a multiple of 3 and split into thirds.
    above = max(net - max(threshold, protected), Decimal(0))
    rest = max(min(net, threshold) - protected, Decimal(0))
    rest -= rest % 3
    third = rest / 3
    ordinary = third + above
    priority_only = third
    amount = ordinary + (priority_only if priority else 0)
    return Seizable(
        protected=protected,
        rest=rest,
        threshold=threshold,
        above_threshold=above,
        ordinary=ordinary,
        priority_only=priority_only,
        amount=amount,
    )
