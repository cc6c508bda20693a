"""The indicator table of a period against the hand-built project of ``conftest.known``."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection

from reports import queries
from reports.queries import indicator_drilldown, indicator_table
from tests.reports.conftest import P1, P2, P3

pytestmark = pytest.mark.django_db


def by_code(table):
    return {row.code: row for row in table.rows}


def values(table, attribute):
    return {row.code: getattr(row, attribute) for row in table.rows}


# Worked out by hand from the table in conftest.py.
CUMULATIVE = {
    # P1: B. P2: + D. P3: + C (entered in P1, crossed in P3). A (39 h 59) and E (data) never.
    P1: {"6 00 00": 1, "6 15 00": 1, "6 18 00": 1, "6 28 00": 0, "6 70 10": 4, "6 73 10": 0},
    P2: {"6 00 00": 2, "6 15 00": 2, "6 18 00": 1, "6 28 00": 1, "6 70 10": 6, "6 73 10": 1},
    P3: {"6 00 00": 3, "6 15 00": 2, "6 18 00": 1, "6 28 00": 1, "6 70 10": 6, "6 73 10": 1},
}
IN_PERIOD = {
    P1: CUMULATIVE[P1],
    P2: {"6 00 00": 1, "6 15 00": 1, "6 18 00": 0, "6 28 00": 1, "6 70 10": 2, "6 73 10": 1},
    P3: {"6 00 00": 1, "6 15 00": 0, "6 18 00": 0, "6 28 00": 0, "6 70 10": 0, "6 73 10": 0},
}
DOCUMENTS = {P1: (0, 0), P2: (1, 1), P3: (1, 0)}  # (cumulative, in the period)
BELOW = {P1: 2, P2: 3, P3: 2}  # P1: A, C (20 h). P2: A, C, G (35 h valid). P3: A, G.


@pytest.mark.parametrize("period", [P1, P2, P3], ids=["P1", "P2", "P3"])
def test_every_indicator_per_period_and_cumulative(project, known, period):
    table = indicator_table(project, start=period[0], end=period[1])
    cumulative = values(table, "cumulative")
    in_period = values(table, "in_period")
    for code, value in CUMULATIVE[period].items():
        assert (code, cumulative[code]) == (code, value)
        assert (code, in_period[code]) == (code, IN_PERIOD[period][code])
    assert (cumulative["8 05 00"], in_period["8 05 00"]) == DOCUMENTS[period]
    # Capacity is the figure entered by hand, the same in both columns.
    assert cumulative["6 70 01"] == in_period["6 70 01"] == Decimal(25)
    assert table.figures["below_threshold"] == BELOW[period]
    assert table.figures["over_threshold_incomplete"] == 1  # E, from P1 on


def test_percent_of_target_per_period_and_cumulative(project, known):
    rows = by_code(indicator_table(project, start=P3[0], end=P3[1]))
    assert rows["6 00 00"].percent_of_target == Decimal("7.5")  # 3 of 40
    assert rows["6 00 00"].percent_in_period == Decimal("2.5")  # 1 of 40
    assert rows["6 15 00"].percent_of_target == Decimal("25.0")  # 2 of 8
    assert rows["6 70 10"].percent_of_target == Decimal("10.0")  # 6 of 60
    assert rows["6 70 01"].percent_of_target == Decimal("100.0")  # 25 of 25
    assert rows["8 05 00"].percent_of_target == Decimal("100.0")


def test_cumulative_range_from_the_start_equals_cumulative_value(project, known):
    table = indicator_table(project, start=project.start_date, end=P3[1])
    assert values(table, "in_period") == values(table, "cumulative")


def test_custom_range_counts_what_happened_within_it(project, known):
    # 1 Jan – 31 Aug 2021: D crossed on 1 Feb, C on 2 Aug.
    table = indicator_table(project, start=dt.date(2021, 1, 1), end=dt.date(2021, 8, 31))
    assert values(table, "in_period")["6 00 00"] == 2
    assert values(table, "cumulative")["6 00 00"] == 3
    # 2 Aug – 2 Aug: only C.
    day = dt.date(2021, 8, 2)
    assert values(indicator_table(project, start=day, end=day), "in_period")["6 00 00"] == 1
    # 3 Aug – 31 Dec: nobody new.
    late = indicator_table(project, start=dt.date(2021, 8, 3), end=P3[1])
    assert values(late, "in_period")["6 00 00"] == 0


def test_threshold_edge_and_the_person_who_joined_before_the_period(project, known):
    rows = {r["client_id"]: r for r in indicator_drilldown(project, "supported", P3[1])}
    a, b, c = (known[k].client_id for k in "ABC")
    assert (rows[a]["support_minutes"], rows[a]["crossed_on"]) == (40 * 60 - 1, None)
    assert (rows[b]["support_minutes"], rows[b]["crossed_on"]) == (40 * 60, dt.date(2020, 9, 15))
    assert rows[c]["crossed_on"] == dt.date(2021, 8, 2)
    assert known["C"].entry_date < P3[0]


def test_outreach_contact_identified_later_counts_once_with_own_support_only(project, known):
    d = known["D"].client_id
    rows = {r["client_id"]: r for r in indicator_drilldown(project, "6 70 10", P3[1])}
    # 40 h of her own support; the 60 minutes of the anonymous row are not hers.
    assert rows[d]["support_minutes"] == 40 * 60
    assert list(rows).count(d) == 1


def test_support_before_entry_is_excluded(project, known):
    rows = {r["client_id"]: r for r in indicator_drilldown(project, "below_threshold", P3[1])}
    assert rows[known["G"].client_id]["support_minutes"] == 35 * 60
    assert set(rows) == {known["A"].client_id, known["G"].client_id}


def test_drilldown_says_who_is_missing_what(project, known):
    rows = list(indicator_drilldown(project, "over_threshold_incomplete", P3[1]))
    assert [(r["client_id"], r["missing_fields"]) for r in rows] == [
        (known["E"].client_id, ["labour_status"])
    ]


def test_breakdowns_at_the_end_of_p3(project, known):
    end = P3[1]
    assert queries.participants_by_gender(project, period_end=end) == {
        "POHMUZI": 1,
        "POHZENY": 2,
    }
    assert queries.participants_by_age_band(project, period_end=end) == {
        "<18": 1,
        "18-24": 1,
        "55+": 1,
    }
    assert queries.participants_by_labour_status(project, period_end=end) == {
        "TNKNEZ": 1,
        "TPSTD": 1,
        "TPSTUD": 1,
    }
    assert queries.participants_by_education(project, period_end=end) == {
        "VZISCED1-2": 1,
        "VZISCED3-4": 2,
    }
    assert queries.participants_by_disadvantage(project, period_end=end) == {
        "PBOBP": 1,
        "ZNMIG": 2,
    }
    assert queries.participants_by_locality(project, period_end=end) == {
        "Hvězdov": 1,
        "Kuřívody": 2,
    }


def test_one_locality(project, known):
    l2 = known["L2"].pk
    table = indicator_table(project, start=P3[0], end=P3[1], locality=l2)
    # C and D live in Kuřívody; G (below) too; A, B, E in Hvězdov.
    assert values(table, "cumulative")["6 00 00"] == 2
    assert values(table, "in_period")["6 00 00"] == 1
    assert table.figures["below_threshold"] == 1
    assert table.figures["over_threshold_incomplete"] == 0
    assert queries.participants_by_gender(project, period_end=P3[1], locality=l2) == {"POHZENY": 2}


def test_person_functions_agree(project, known):
    end = P3[1]
    assert queries.persons_below_threshold(project, period_end=end) == 2
    assert queries.over_threshold_incomplete(project, period_end=end) == 1


@pytest.mark.parametrize("later", [False, True])
def test_indicator_table_query_count(project, known, django_assert_num_queries, later):
    start = P3[0] if later else project.start_date
    # Indicators, then one aggregate (with the documents) at the end and the day before start.
    with django_assert_num_queries(2):
        indicator_table(project, start=start, end=P3[1])


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
