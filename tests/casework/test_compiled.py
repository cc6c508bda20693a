"""Statements compiled once and bound per call (``casework.compiled``) match a fresh build."""

import datetime as dt

import pytest

from casework import compiled

JAN, FEB, MAR = dt.date(2024, 1, 31), dt.date(2024, 2, 29), dt.date(2024, 3, 31)


def _calls():
    calls = []

    def build(label, dates):
        calls.append(list(dates))
        # Orders the dates among themselves, as ``_flag_rows`` does with ``max``.
        latest = max(dates)
        return f"SELECT {label} WHERE d <= %s AND x IN (%s, %s) AND e = %s", [
            latest,
            *dates[:2],
            "constant",
        ]

    return calls, build


@pytest.mark.parametrize("dates", [[JAN, FEB], [FEB, JAN], [MAR, MAR]], ids=str)
def test_bound_statement_equals_a_fresh_build(dates):
    _, build = _calls()
    sql, params = compiled.bound_sql(build, ("a",), dates)
    assert (sql, params) == build("a", dates)


def test_the_shape_is_built_once_then_only_bound():
    calls, build = _calls()
    compiled.bound_sql(build, ("once",), [JAN, FEB])
    built = len(calls)  # the three stand-in builds that check the statement
    assert compiled.bound_sql(build, ("once",), [FEB, MAR])[1] == [MAR, FEB, MAR, "constant"]
    assert len(calls) == built == 3
    # Another order of the dates is another shape (``max`` picks another position).
    assert compiled.bound_sql(build, ("once",), [MAR, FEB])[1] == [MAR, MAR, FEB, "constant"]
    assert len(calls) == 6


def test_a_date_moved_by_days_is_bound_moved():
    def month_ahead(dates):
        return "SELECT %s, %s", [dates[0] + dt.timedelta(days=30), dates[1] - dt.timedelta(days=1)]

    assert compiled.compiled(month_ahead, (), [JAN, FEB]) is not None
    assert compiled.bound_sql(month_ahead, (), [MAR, JAN])[1] == [
        dt.date(2024, 4, 30),
        dt.date(2024, 1, 30),
    ]


def test_a_builder_that_computes_dates_otherwise_is_compiled_every_time():
    calls = []

    def first_of_month(dates):
        calls.append(dates)
        return "SELECT %s", [dates[0].replace(day=1)]

    assert compiled.compiled(first_of_month, (), [FEB]) is None
    assert compiled.bound_sql(first_of_month, (), [FEB]) == ("SELECT %s", [dt.date(2024, 2, 1)])
    assert compiled.bound_sql(first_of_month, (), [MAR]) == ("SELECT %s", [dt.date(2024, 3, 1)])
    assert len(calls) == 3 + 2  # the check's three builds, then one build per call
