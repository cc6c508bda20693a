"""The protected amount and the seizable part of income, hand-checked (DOMAIN.md §7).

Parameter sets are the ones seeded by debts/migrations/0002_fill_reference_data.py.
"""

import datetime as dt
from decimal import Decimal

import pytest

from debts.protected_amount import protected_amount, seizable_income
from debts.queries import parameters_valid_on

pytestmark = pytest.mark.django_db


def _parameters(year):
    return parameters_valid_on(dt.date(year, 6, 30))


@pytest.mark.parametrize(
    ("year", "dependants", "expected"),
    [
        # 2014: base 9 281.50; 2/3 → 6 187.67 → 6 188; per dependant 1/6 → 1 546.92.
        (2014, 0, Decimal(6188)),
        # 6 187.67 + 2 × 1 546.92 = 9 281.50 → 9 282.
        (2014, 2, Decimal(9282)),
        # 2020: base 9 912; 2/3 → 6 608; per dependant 1/6 → 1 652.
        (2020, 0, Decimal(6608)),
        (2020, 2, Decimal(9912)),
        # 2026: base 16 590; 17/20 → 14 101.50 → 14 102.
        (2026, 0, Decimal(14102)),
        # 14 101.50 + 17/80 × 16 590 (3 525.375) = 17 626.875 → 17 627.
        (2026, 1, Decimal(17627)),
    ],
)
def test_protected_amount_is_rounded_up_to_whole_crowns(year, dependants, expected):
    parameters = _parameters(year)

    amount = protected_amount(parameters, dependants)

    assert amount == expected


def test_a_spouse_counts_as_one_more_dependant():
    parameters = _parameters(2020)

    amount = protected_amount(parameters, 0, spouse=True)

    assert amount == Decimal(6608 + 1652)


def test_parameters_valid_on_picks_the_newest_set_not_after_the_date():
    assert [
        parameters_valid_on(day).valid_from
        for day in (dt.date(2019, 12, 31), dt.date(2020, 1, 1), dt.date(2026, 11, 23))
    ] == [dt.date(2014, 1, 1), dt.date(2020, 1, 1), dt.date(2026, 1, 1)]
    assert parameters_valid_on(dt.date(2013, 12, 31)) is None


def test_seizable_income_2020_net_15000_without_dependants():
    # Protected 6 608; 15 000 − 6 608 = 8 392, down to a multiple of 3 → 8 391; a third is
    # 2 797 for ordinary creditors, the second third (2 797) only for maintenance. The
    # threshold 2 × 9 912 = 19 824 is not reached.
    parameters = _parameters(2020)

    ordinary = seizable_income(Decimal("15000.00"), parameters, 0)
    priority = seizable_income(Decimal("15000.00"), parameters, 0, priority=True)

    assert (ordinary.protected, ordinary.rest, ordinary.amount) == (
        Decimal(6608),
        Decimal(8391),
        Decimal(2797),
    )
    assert priority.amount == Decimal(5594)


def test_seizable_income_2020_above_the_threshold_takes_the_excess_in_full():
    # 25 000 − 19 824 = 5 176 in full; 19 824 − 6 608 = 13 216 → 13 215; a third 4 405.
    parameters = _parameters(2020)

    result = seizable_income(Decimal("25000.00"), parameters, 0)

    assert (result.threshold, result.above_threshold, result.amount) == (
        Decimal(19824),
        Decimal(5176),
        Decimal(4405 + 5176),
    )


def test_seizable_income_2014_threshold_is_one_base():
    # Protected 6 188; threshold 1 × 9 281.50 → 9 281; 12 000 − 9 281 = 2 719 in full;
    # 9 281 − 6 188 = 3 093 (a multiple of 3); a third 1 031.
    parameters = _parameters(2014)

    result = seizable_income(Decimal("12000.00"), parameters, 0)

    assert result.amount == Decimal(1031 + 2719)


def test_seizable_income_2026_with_one_dependant():
    # Protected 17 627; 20 000 − 17 627 = 2 373 (a multiple of 3); a third 791.
    parameters = _parameters(2026)

    result = seizable_income(Decimal("20000.00"), parameters, 1)

    assert (result.protected, result.amount) == (Decimal(17627), Decimal(791))


def test_income_below_the_protected_amount_is_not_seizable():
    parameters = _parameters(2020)

    result = seizable_income(Decimal("6000.00"), parameters, 0, priority=True)

    assert (result.rest, result.amount) == (Decimal(0), Decimal(0))
