"""The debt-relief feasibility check (DOMAIN.md §7), shown step by step — pure arithmetic.

Debt relief (oddlužení) needs the insolvency administrator's monthly fee paid and at least as
much again for the unsecured creditors, on top of the current maintenance the debtor pays:
seizable income ≥ 2 × fee + maintenance.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from debts.protected_amount import Parameters, seizable_income


def _kc(amount: Decimal) -> str:
    return _("%(amount)s Kč") % {"amount": number_format(amount, 2, force_grouping=True)}


@dataclass
class Feasibility:
    feasible: bool
    seizable: Decimal
    required: Decimal
    protected: Decimal
    steps: list[str] = field(default_factory=list)


def debt_relief_feasibility(
    net_income: Decimal,
    parameters: Parameters,
    dependants: int,
    *,
    administrator_fee: Decimal,
    maintenance: Decimal = Decimal(0),
) -> Feasibility:
    """Can the household pay the administrator and the unsecured creditors in debt relief?

    With current maintenance to pay, the second third (priority claims) is counted as well,
    since the maintenance is paid from it.
    """
    result = seizable_income(net_income, parameters, dependants, priority=maintenance > 0)
    required = 2 * administrator_fee + maintenance
    feasible = result.amount >= required
    steps = [
        _("Net monthly income that can be seized: %(income)s.") % {"income": _kc(net_income)},
        _("Protected amount with %(count)s dependants: %(amount)s.")
        % {"count": dependants, "amount": _kc(result.protected)},
        _("Seizable each month: %(amount)s.") % {"amount": _kc(result.amount)},
        _(
            "Needed each month: administrator's fee %(fee)s + at least as much for the "
            "unsecured creditors %(fee)s + current maintenance %(maintenance)s = %(required)s."
        )
        % {
            "fee": _kc(administrator_fee),
            "maintenance": _kc(maintenance),
            "required": _kc(required),
        },
        _("%(seizable)s ≥ %(required)s: debt relief is feasible.")
        % {"seizable": _kc(result.amount), "required": _kc(required)}
        if feasible
        else _("%(seizable)s < %(required)s: debt relief is not feasible; %(gap)s is missing.")
        % {
            "seizable": _kc(result.amount),
            "required": _kc(required),
            "gap": _kc(required - result.amount),
        },
    ]
    return Feasibility(
        feasible=feasible,
        seizable=result.amount,
        required=required,
        protected=result.protected,
        steps=steps,
    )
