"""Procedural deadlines across weekends and Czech public holidays (DOMAIN.md §7)."""

import datetime as dt

import pytest

from casework.czech import (
    add_months,
    is_working_day,
    next_working_day,
    procedural_deadline,
    procedural_deadline_months,
)

D = dt.date


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        pytest.param(D(2025, 4, 22), True, id="ordinary-tuesday"),
        pytest.param(D(2025, 3, 1), False, id="saturday"),
        pytest.param(D(2025, 3, 2), False, id="sunday"),
        pytest.param(D(2025, 4, 18), False, id="good-friday"),
        pytest.param(D(2025, 4, 21), False, id="easter-monday"),
        pytest.param(D(2025, 10, 28), False, id="28-october"),
        pytest.param(D(2025, 12, 24), False, id="christmas-eve"),
        pytest.param(D(2026, 1, 1), False, id="new-year"),
        pytest.param(D(2026, 1, 2), True, id="second-of-january"),
    ],
)
def test_is_working_day(day, expected):
    assert is_working_day(day) == expected


@pytest.mark.parametrize(
    ("delivered_on", "days", "expected"),
    [
        # 6 April + 15 = Easter Monday 21 April 2025 → Tuesday.
        pytest.param(D(2025, 4, 6), 15, D(2025, 4, 22), id="easter-monday"),
        # 13 October + 15 = Tuesday 28 October 2025 (a holiday) → Wednesday.
        pytest.param(D(2025, 10, 13), 15, D(2025, 10, 29), id="28-october-tuesday"),
        # 24, 25 and 26 December 2025 are holidays, 27 and 28 a weekend → Monday 29.
        pytest.param(D(2025, 12, 9), 15, D(2025, 12, 29), id="christmas-eve"),
        pytest.param(D(2025, 12, 10), 15, D(2025, 12, 29), id="christmas-day"),
        pytest.param(D(2025, 12, 11), 15, D(2025, 12, 29), id="st-stephen"),
        # 17 December + 15 = Thursday 1 January 2026 → Friday 2 January.
        pytest.param(D(2025, 12, 17), 15, D(2026, 1, 2), id="new-year-across-the-year"),
        # 14 February + 15 = Saturday 1 March 2025 → Monday 3 March.
        pytest.param(D(2025, 2, 14), 15, D(2025, 3, 3), id="saturday-to-monday"),
        pytest.param(D(2025, 2, 15), 15, D(2025, 3, 3), id="sunday-to-monday"),
        # Fifteen days from a Friday always end on a Saturday.
        pytest.param(D(2025, 3, 7), 15, D(2025, 3, 24), id="15-days-from-a-friday"),
        # The day of delivery is not counted: delivered Monday, 1 day → Tuesday.
        pytest.param(D(2025, 3, 3), 1, D(2025, 3, 4), id="day-after-delivery"),
        pytest.param(D(2025, 3, 3), 8, D(2025, 3, 11), id="working-day-stays"),
        # Delivery on a holiday or weekend does not move the start.
        pytest.param(D(2025, 12, 24), 3, D(2025, 12, 29), id="delivered-on-a-holiday"),
    ],
)
def test_procedural_deadline(delivered_on, days, expected):
    assert procedural_deadline(delivered_on, days) == expected


@pytest.mark.parametrize(
    ("delivered_on", "months", "expected"),
    [
        pytest.param(D(2025, 1, 31), 1, D(2025, 2, 28), id="31-jan-to-28-feb-friday"),
        pytest.param(D(2024, 1, 31), 1, D(2024, 2, 29), id="leap-year-29-feb-thursday"),
        # 28 February 2026 is a Saturday → Monday 2 March.
        pytest.param(D(2026, 1, 31), 1, D(2026, 3, 2), id="28-feb-saturday-to-monday"),
        pytest.param(D(2025, 12, 31), 2, D(2026, 3, 2), id="two-months-to-a-short-february"),
        pytest.param(D(2025, 8, 31), 2, D(2025, 10, 31), id="same-day-exists"),
        pytest.param(D(2025, 3, 31), 1, D(2025, 4, 30), id="30-day-month"),
        # Lease notice delivered 24 October: two months end on Christmas Eve → 29 December.
        pytest.param(D(2025, 10, 24), 2, D(2025, 12, 29), id="christmas-eve"),
        pytest.param(D(2025, 11, 15), 2, D(2026, 1, 15), id="across-the-year"),
    ],
)
def test_procedural_deadline_months(delivered_on, months, expected):
    assert procedural_deadline_months(delivered_on, months) == expected


def test_add_months_keeps_day_number_when_it_exists():
    assert [add_months(D(2025, 1, 15), n) for n in (1, 11, 12, 13)] == [
        D(2025, 2, 15),
        D(2025, 12, 15),
        D(2026, 1, 15),
        D(2026, 2, 15),
    ]


def test_next_working_day_keeps_a_working_day():
    assert next_working_day(D(2025, 4, 22)) == D(2025, 4, 22)


@pytest.mark.parametrize(
    ("function", "length"),
    [(procedural_deadline, 0), (procedural_deadline, -3), (procedural_deadline_months, 0)],
)
def test_deadline_needs_a_positive_length(function, length):
    with pytest.raises(ValueError, match="at least one"):
        function(D(2025, 3, 3), length)
