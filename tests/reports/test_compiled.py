"""Statements compiled once and bound per call (``reports.compiled``) match a fresh build."""

import datetime as dt

import pytest
from django.db import connection

from reports import compiled, queries
from tests.reports.conftest import P1, P2, P3

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
    built = len(calls)  # the two stand-in builds that check the shape
    assert compiled.bound_sql(build, ("once",), [FEB, MAR])[1] == [MAR, FEB, MAR, "constant"]
    assert len(calls) == built == 2
    # Another order of the dates is another shape (``max`` picks another position).
    assert compiled.bound_sql(build, ("once",), [MAR, FEB])[1] == [MAR, MAR, FEB, "constant"]
    assert len(calls) == 4


def test_a_builder_that_computes_dates_is_compiled_every_time():
    calls = []

    def day_before(dates):
        calls.append(dates)
        return "SELECT %s", [dates[0] - dt.timedelta(days=1)]

    assert compiled.bound_sql(day_before, (), [FEB]) == ("SELECT %s", [dt.date(2024, 2, 28)])
    assert compiled.bound_sql(day_before, (), [MAR]) == ("SELECT %s", [dt.date(2024, 3, 30)])
    assert len(calls) == 2 + 2  # the check's two builds, then one build per call


@pytest.mark.django_db
def test_indicator_figures_match_the_statement_built_afresh(project, known):
    """The cached statement of ``figure_counts_at`` gives what a fresh compile gives, for
    dates in either order and with another project setting."""
    for ends in ([P3[1], P2[0]], [P1[1], P3[1]], [P2[1]]):
        cached = queries.figure_counts_at(project, ends)
        args = (*queries._project_shape(project), None)
        sql, params = queries._figure_counts_sql(*args, ends)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            fresh = queries._split_counts(project, ends, cursor.fetchone())
        assert cached == fresh
    before = queries.figure_counts(project, P3[1])
    project.participants_in_service_use = not project.participants_in_service_use
    project.save()
    after = queries.figure_counts(project, P3[1])
    # Service use counts participants in one setting and leaves them out in the other.
    assert before["service_use"] != after["service_use"]
