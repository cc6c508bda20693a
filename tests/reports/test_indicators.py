"""The indicator engine against hand-computed answers (DOMAIN.md §2–§4 known-answer edges)."""

import datetime as dt
from decimal import Decimal

import pytest

from casework.models import OutputDocument, OutreachContact, ProjectIndicator
from clients.models import DisadvantageAnswer, Enrolment, MonitoringCodeKind
from clients.queries import with_participant_status
from reports import queries
from reports.queries import (
    IndicatorValue,
    capacity,
    disadvantaged_after_exit,
    indicator_drilldown,
    indicator_values,
    output_documents,
    participants,
    participants_by_age_band,
    participants_by_disadvantage,
    participants_by_education,
    participants_by_gender,
    participants_by_labour_status,
    participants_drilldown,
    participants_homeless,
    participants_minorities,
    purpose_fulfilled,
    service_use,
)
from tests.factories import (
    ClientFactory,
    EnrolmentFactory,
    InterventionFactory,
    KeyActivityFactory,
    MonitoringCodeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

HOURS = 60
# Reporting periods of the conftest project (start 1 Sep 2020).
END_1 = dt.date(2020, 12, 31)
END_2 = dt.date(2021, 6, 30)
END_3 = dt.date(2021, 12, 31)
START_3 = dt.date(2021, 7, 1)
DAY_1 = dt.date(2020, 9, 15)


def code(kind, value):
    return MonitoringCodeFactory(kind=kind, code=value, name=value)


def enrol(
    project,
    *,
    client=None,
    gender="POHZENY",
    birth_date=dt.date(1985, 3, 14),
    labour="TPDNEZ",
    education="VZISCED1-2",
    disadvantages=(),
    answer=None,
    entry_date=None,
    exit_date=None,
    exit_situations=(),
    **client_fields,
):
    """An enrolment with complete entry data unless a test blanks a field."""
    if client is None:
        fields = {"municipality": "Ralsko", "postcode": "47124", **client_fields}
        client = ClientFactory(
            organisation=project.organisation,
            birth_date=birth_date,
            gender=code(MonitoringCodeKind.GENDER, gender) if gender else None,
            **fields,
        )
    if answer is None:
        answer = DisadvantageAnswer.ANSWERED if disadvantages else DisadvantageAnswer.NONE
    enrolment = EnrolmentFactory(
        client=client,
        project=project,
        entry_date=entry_date or project.start_date,
        exit_date=exit_date,
        labour_status=code(MonitoringCodeKind.LABOUR_STATUS, labour) if labour else None,
        education=code(MonitoringCodeKind.EDUCATION, education) if education else None,
        disadvantage_answer=answer,
    )
    enrolment.disadvantages.set([code(MonitoringCodeKind.DISADVANTAGE, c) for c in disadvantages])
    enrolment.exit_situations.set(
        [code(MonitoringCodeKind.EXIT_SITUATION, c) for c in exit_situations]
    )
    return enrolment


def support(project, client, minutes, *, day=DAY_1):
    """``minutes`` of support on ``day``, in interventions of at most 20 h (a day's limit)."""
    while minutes > 0:
        chunk = min(minutes, 20 * HOURS)
        intervention = InterventionFactory(
            project=project, date=day, duration_minutes=chunk, participants=[client]
        )
        minutes -= chunk
    return intervention


def participant(project, **fields):
    """An enrolled person with complete entry data and exactly 40 h of support on DAY_1."""
    enrolment = enrol(project, **fields)
    support(project, enrolment.client, 40 * HOURS, day=max(DAY_1, enrolment.entry_date))
    return enrolment


def drilldown_by_client(project, period_end):
    return {row["client_id"]: row for row in participants_drilldown(project, period_end)}


# --- Known-answer edges (DOMAIN.md §4) --------------------------------------------------------


def test_threshold_is_inclusive_39h59_does_not_count_40h00_does(project):
    below = enrol(project)
    at = enrol(project)
    support(project, below.client, 24 * HOURS)
    support(project, below.client, 16 * HOURS - 1)
    support(project, at.client, 24 * HOURS)
    support(project, at.client, 16 * HOURS)

    assert participants(project, period_end=END_1) == 1
    rows = drilldown_by_client(project, END_1)
    assert rows[below.client_id]["support_minutes"] == 40 * HOURS - 1
    assert rows[below.client_id]["crossed_on"] is None
    assert rows[below.client_id]["is_participant"] is False
    assert rows[at.client_id]["support_minutes"] == 40 * HOURS
    assert rows[at.client_id]["crossed_on"] == DAY_1
    assert rows[at.client_id]["is_participant"] is True


def test_threshold_crossed_in_period_3_counts_from_period_3(project):
    enrolment = enrol(project, entry_date=dt.date(2020, 9, 10))
    support(project, enrolment.client, 20 * HOURS, day=dt.date(2020, 10, 1))
    support(project, enrolment.client, 10 * HOURS, day=dt.date(2021, 3, 1))
    support(project, enrolment.client, 9 * HOURS, day=dt.date(2021, 8, 15))
    support(project, enrolment.client, 1 * HOURS, day=dt.date(2021, 9, 20))
    support(project, enrolment.client, 5 * HOURS, day=dt.date(2021, 10, 1))

    assert participants(project, period_end=END_1) == 0
    assert participants(project, period_end=END_2) == 0
    assert participants(project, period_end=END_3) == 1
    row = drilldown_by_client(project, END_3)[enrolment.client_id]
    assert row["crossed_on"] == dt.date(2021, 9, 20)
    assert row["support_minutes"] == 45 * HOURS
    # At the end of period 2 the person is in service use, below the threshold.
    assert drilldown_by_client(project, END_2)[enrolment.client_id]["support_minutes"] == (
        30 * HOURS
    )
    assert service_use(project, period_end=END_2) == 1


def test_threshold_crossing_date_follows_date_then_id_order(project):
    enrolment = enrol(project)
    # Logged in this order: by id alone the threshold would be crossed on 1 November.
    later = support(project, enrolment.client, 20 * HOURS, day=dt.date(2020, 11, 2))
    support(project, enrolment.client, 20 * HOURS, day=dt.date(2020, 11, 1))
    support(project, enrolment.client, 10 * HOURS, day=dt.date(2020, 11, 3))

    row = drilldown_by_client(project, END_1)[enrolment.client_id]
    assert row["crossed_on"] == later.date


def test_support_outside_entry_and_exit_is_excluded(project):
    enrolment = enrol(project, entry_date=dt.date(2020, 10, 1), exit_date=dt.date(2021, 3, 31))
    support(project, enrolment.client, 10 * HOURS, day=dt.date(2020, 9, 30))
    support(project, enrolment.client, 35 * HOURS, day=dt.date(2020, 10, 1))
    support(project, enrolment.client, 4 * HOURS, day=dt.date(2021, 3, 31))
    support(project, enrolment.client, 10 * HOURS, day=dt.date(2021, 4, 1))

    assert participants(project, period_end=END_3) == 0
    row = drilldown_by_client(project, END_3)[enrolment.client_id]
    assert row["support_minutes"] == 39 * HOURS
    assert row["crossed_on"] is None


def test_group_session_gives_each_identified_attendee_the_full_duration(project):
    enrolments = [enrol(project) for _ in range(8)]
    for enrolment in enrolments:
        support(project, enrolment.client, 38 * HOURS)
    InterventionFactory(
        project=project,
        date=dt.date(2020, 10, 5),
        duration_minutes=120,
        is_group=True,
        anonymous_count=3,
        participants=[enrolment.client for enrolment in enrolments],
    )

    assert participants(project, period_end=END_1) == 8
    assert service_use(project, period_end=END_1) == 8
    rows = participants_drilldown(project, END_1)
    assert [row["support_minutes"] for row in rows] == [40 * HOURS] * 8
    assert {row["crossed_on"] for row in rows} == {dt.date(2020, 10, 5)}


def test_anonymous_contact_later_identified_is_not_counted_twice(project):
    enrolment = enrol(project, entry_date=dt.date(2020, 10, 1))
    key_activity = KeyActivityFactory(project=project)
    OutreachContact.objects.create(
        project=project,
        key_activity=key_activity,
        date=dt.date(2020, 9, 20),
        head_count=1,
        duration_minutes=10 * HOURS,
        worker=UserFactory(),
        identified_client=enrolment.client,
    )
    support(project, enrolment.client, 35 * HOURS, day=dt.date(2020, 10, 2))

    assert participants(project, period_end=END_1) == 0
    assert service_use(project, period_end=END_1) == 1
    row = drilldown_by_client(project, END_1)[enrolment.client_id]
    assert row["support_minutes"] == 35 * HOURS


def test_anonymous_head_count_alone_makes_no_one_counted(project):
    InterventionFactory(project=project, duration_minutes=120, anonymous_count=3)

    assert participants(project, period_end=END_1) == 0
    assert service_use(project, period_end=END_1) == 0
    assert list(participants_drilldown(project, END_1)) == []


def test_incomplete_entry_data_over_the_threshold_is_flagged_not_counted(project):
    complete = participant(project)
    incomplete = participant(project, gender=None, postcode="")

    assert participants(project, period_end=END_1) == 1
    rows = drilldown_by_client(project, END_1)
    assert rows[complete.client_id]["entry_complete"] is True
    assert rows[complete.client_id]["missing_fields"] == []
    assert rows[incomplete.client_id]["entry_complete"] is False
    assert rows[incomplete.client_id]["is_participant"] is False
    assert rows[incomplete.client_id]["crossed_on"] == DAY_1
    assert rows[incomplete.client_id]["missing_fields"] == ["gender", "postcode"]


def test_missing_fields_list_every_entry_field(project):
    enrolment = enrol(
        project,
        gender=None,
        birth_date=None,
        labour=None,
        education=None,
        answer=DisadvantageAnswer.ANSWERED,
        municipality="",
        postcode="",
    )
    support(project, enrolment.client, 60)

    row = drilldown_by_client(project, END_1)[enrolment.client_id]
    assert row["missing_fields"] == [
        "birth_date",
        "gender",
        "labour_status",
        "education",
        "disadvantage",
        "municipality",
        "postcode",
    ]


def test_person_in_two_projects_counts_in_each_separately(project, other_project):
    enrolment = participant(project)
    other = enrol(other_project, client=enrolment.client, entry_date=dt.date(2021, 1, 1))
    support(other_project, other.client, 20 * HOURS, day=dt.date(2021, 2, 1))

    assert participants(project, period_end=END_2) == 1
    assert participants(other_project, period_end=END_2) == 0
    assert service_use(other_project, period_end=END_2) == 1

    support(other_project, other.client, 20 * HOURS, day=dt.date(2021, 3, 1))

    assert participants(project, period_end=END_2) == 1
    assert participants(other_project, period_end=END_2) == 1
    row = drilldown_by_client(other_project, END_2)[other.client_id]
    assert row["support_minutes"] == 40 * HOURS
    assert row["crossed_on"] == dt.date(2021, 3, 1)


def test_drilldown_agrees_with_the_case_files_participant_status(project):
    participant(project)
    participant(project, postcode="")
    below = enrol(project)
    support(project, below.client, 40 * HOURS - 1)
    late = enrol(project)
    support(project, late.client, 40 * HOURS, day=START_3)

    statuses = with_participant_status(Enrolment.objects.filter(project=project), until=END_2)
    expected = {row.client_id: (row.support_minutes, row.is_participant) for row in statuses}

    assert {
        row["client_id"]: (row["support_minutes"], row["is_participant"])
        for row in participants_drilldown(project, END_2)
    } == {key: value for key, value in expected.items() if value[0] > 0}


# --- Breakdowns -------------------------------------------------------------------------------


@pytest.fixture
def breakdown_data(project):
    """Four participants and one person below the threshold; entry 1 Sep 2020.

    | who | gender | born       | age at entry | labour | education  | disadvantage  |
    | A   | man    | 2005-01-01 | 15  (<18)    | TPSTUD | VZISCED1-2 | ZNMIG, PBOBP  |
    | B   | woman  | 2002-09-01 | 18  (18-24)  | TPDNEZ | VZISCED3-4 | none          |
    | C   | woman  | 1966-09-02 | 53  (25-54)  | TPDNEZ | VZISCED1-2 | PBOBP         |
    | D   | woman  | 1965-09-01 | 55  (55+)    | TPSTD  | VZ0        | declined      |
    | E   | man    | 1990-01-01 | below the threshold, ZNMIG: counted nowhere  |
    """
    participant(
        project,
        gender="POHMUZI",
        birth_date=dt.date(2005, 1, 1),
        labour="TPSTUD",
        disadvantages=["ZNMIG", "PBOBP"],
    )
    participant(project, birth_date=dt.date(2002, 9, 1), education="VZISCED3-4")
    participant(project, birth_date=dt.date(1966, 9, 2), disadvantages=["PBOBP"])
    participant(
        project,
        birth_date=dt.date(1965, 9, 1),
        labour="TPSTD",
        education="VZ0",
        answer=DisadvantageAnswer.DECLINED,
    )
    below = enrol(project, gender="POHMUZI", disadvantages=["ZNMIG"])
    support(project, below.client, 39 * HOURS)


def test_breakdowns_by_gender_age_labour_education(project, breakdown_data):
    assert participants(project, period_end=END_1) == 4
    assert participants_by_gender(project, period_end=END_1) == {"POHMUZI": 1, "POHZENY": 3}
    assert participants_by_age_band(project, period_end=END_1) == {
        "<18": 1,
        "18-24": 1,
        "25-54": 1,
        "55+": 1,
    }
    assert participants_by_labour_status(project, period_end=END_1) == {
        "TPDNEZ": 2,
        "TPSTD": 1,
        "TPSTUD": 1,
    }
    assert participants_by_education(project, period_end=END_1) == {
        "VZ0": 1,
        "VZISCED1-2": 2,
        "VZISCED3-4": 1,
    }


def test_breakdown_by_disadvantage_and_the_disadvantage_indicators(project, breakdown_data):
    assert participants_by_disadvantage(project, period_end=END_1) == {"PBOBP": 2, "ZNMIG": 1}
    assert participants_homeless(project, period_end=END_1) == 2
    assert participants_minorities(project, period_end=END_1) == 1


def test_breakdowns_are_empty_before_anyone_counts(project, breakdown_data):
    before = DAY_1 - dt.timedelta(days=1)
    assert participants_by_gender(project, period_end=before) == {}
    assert participants_by_disadvantage(project, period_end=before) == {}


# --- Service use, results at exit, capacity, documents ----------------------------------------


@pytest.fixture
def service_data(project):
    """Two participants, one person below the threshold, one enrolled without any support."""
    participant(project)
    participant(project)
    below = enrol(project)
    support(project, below.client, 30)
    enrol(project)


def test_service_use_includes_participants_by_default(project, service_data):
    assert service_use(project, period_end=END_1) == 3


def test_service_use_without_participants(project, service_data):
    project.participants_in_service_use = False
    project.save()

    assert service_use(project, period_end=END_1) == 1


def test_results_at_exit(project):
    exit_day = dt.date(2021, 5, 31)
    participant(project, exit_date=exit_day, exit_situations=["SPUINU"])
    participant(project, exit_date=exit_day, disadvantages=["ZNMIG"], exit_situations=["SPVZD"])
    participant(
        project, exit_date=exit_day, disadvantages=["PBOBP"], exit_situations=["SPUINU", "SPZOUM"]
    )
    # No disadvantage: not in 6 28 00.
    participant(project, exit_date=exit_day, exit_situations=["SPUKV"])
    # Exits after period 2; digital skills is not one of the 6 28 00 situations.
    participant(project, exit_date=START_3, disadvantages=["ZNMIG"], exit_situations=["SPUINU"])
    participant(project, exit_date=exit_day, disadvantages=["ZNMIG"], exit_situations=["SPDIG"])
    # Below the threshold: never a result.
    below = enrol(
        project, exit_date=exit_day, disadvantages=["ZNMIG"], exit_situations=["SPUINU", "SPVZD"]
    )
    support(project, below.client, 60)

    assert purpose_fulfilled(project, period_end=END_2) == 2
    assert purpose_fulfilled(project, period_end=END_3) == 3
    assert disadvantaged_after_exit(project, period_end=END_2) == 2
    assert disadvantaged_after_exit(project, period_end=END_3) == 2


def test_capacity_is_the_value_entered_by_hand(project, other_project):
    assert capacity(project) is None
    ProjectIndicator.objects.create(
        project=project, code="6 70 01", name="Kapacita", target=20, manual_value=Decimal("15")
    )
    ProjectIndicator.objects.create(
        project=other_project, code="6 70 01", name="Kapacita", target=20, manual_value=9
    )

    assert capacity(project, period_end=END_1) == Decimal("15.00")


def test_output_documents_published_by_the_period_end(project, other_project):
    OutputDocument.objects.create(project=project, title="Koncepce", published_on=END_1)
    OutputDocument.objects.create(
        project=project, title="Evaluace", published_on=END_1 + dt.timedelta(days=1)
    )
    OutputDocument.objects.create(project=other_project, title="Jiný", published_on=END_1)

    assert output_documents(project, period_end=END_1) == 1
    assert output_documents(project, period_end=END_2) == 2


# --- Indicator table and drill-downs ----------------------------------------------------------


def indicator(project, code, target, **fields):
    return ProjectIndicator.objects.create(
        project=project, code=code, name=f"Indikátor {code}", target=target, **fields
    )


def test_indicator_values_combine_targets_with_computed_values(project, breakdown_data):
    indicator(project, "6 00 00", 8)
    indicator(project, "6 00 02", 4)
    indicator(project, "6 18 00", 0)
    indicator(project, "670 102", 10, baseline=Decimal("2"))
    indicator(project, "6 70 01", 30, manual_value=Decimal("15"))
    indicator(project, "8 05 00", 1)
    indicator(project, "9 99 99", 3)
    OutputDocument.objects.create(project=project, title="Koncepce", published_on=END_1)

    values = indicator_values(project, END_1)

    assert [(v.code, v.value, v.percent_of_target, v.computed) for v in values] == [
        ("6 00 00", 4, Decimal("50.0"), True),
        ("6 00 02", 3, Decimal("75.0"), True),
        ("6 18 00", 2, None, True),
        ("6 70 01", Decimal("15.00"), Decimal("50.0"), False),
        ("670 102", 5, Decimal("50.0"), True),
        ("8 05 00", 1, Decimal("100.0"), True),
        ("9 99 99", None, None, False),
    ]
    assert values[4] == IndicatorValue(
        code="670 102",
        name="Indikátor 670 102",
        unit="osoby",
        baseline=Decimal("2.00"),
        target=Decimal("10.00"),
        value=5,
        computed=True,
    )


def test_indicator_values_agree_with_the_single_functions(project, breakdown_data):
    for code in ["6 00 00", "6 15 00", "6 18 00", "6 70 10", "6 73 10", "6 28 00"]:
        indicator(project, code, 10)

    values = {v.code: v.value for v in indicator_values(project, END_1)}

    assert values == {
        "6 00 00": participants(project, period_end=END_1),
        "6 15 00": participants_minorities(project, period_end=END_1),
        "6 18 00": participants_homeless(project, period_end=END_1),
        "6 28 00": disadvantaged_after_exit(project, period_end=END_1),
        "6 70 10": service_use(project, period_end=END_1),
        "6 73 10": purpose_fulfilled(project, period_end=END_1),
    }


def test_percent_of_target_rounds_half_up():
    value = IndicatorValue(
        code="6 00 00",
        name="Účastníci",
        unit="osoby",
        baseline=Decimal(0),
        target=Decimal(3),
        value=2,
        computed=True,
    )
    assert value.percent_of_target == Decimal("66.7")


def test_indicator_drilldown_lists_the_persons_behind_a_value(project, breakdown_data):
    homeless = indicator_drilldown(project, "6 18 00", END_1)
    assert sorted(row["missing_fields"] == [] for row in homeless) == [True, True]
    assert len(homeless) == participants_homeless(project, period_end=END_1)
    assert len(indicator_drilldown(project, "670 102", END_1)) == 5
    assert list(indicator_drilldown(project, "6 70 01", END_1)) == []


def test_indicator_drilldown_of_documents(project):
    document = OutputDocument.objects.create(project=project, title="Koncepce", published_on=END_1)

    assert list(indicator_drilldown(project, "80500", END_1)) == [
        {"pk": document.pk, "title": "Koncepce", "published_on": END_1}
    ]


# --- Query counts -----------------------------------------------------------------------------


def _people(project, count):
    for _ in range(count):
        participant(project, disadvantages=["PBOBP"])
        below = enrol(project)
        support(project, below.client, 60)


@pytest.mark.parametrize("count", [1, 3])
def test_indicator_values_query_count(project, django_assert_num_queries, count):
    _people(project, count)
    for code in ["6 00 00", "6 18 00", "6 70 10", "6 70 01", "8 05 00"]:
        indicator(project, code, 10)

    # The indicator rows and one aggregate (the output documents included).
    with django_assert_num_queries(2):
        values = indicator_values(project, END_1)

    assert [v.value for v in values] == [count, count, None, 2 * count, 0]


@pytest.mark.parametrize("count", [1, 3])
def test_drilldown_and_breakdown_query_counts(project, django_assert_num_queries, count):
    _people(project, count)

    with django_assert_num_queries(1):
        rows = list(participants_drilldown(project, END_1))
    with django_assert_num_queries(1):
        by_gender = participants_by_gender(project, period_end=END_1)
    with django_assert_num_queries(1):
        by_disadvantage = participants_by_disadvantage(project, period_end=END_1)
    with django_assert_num_queries(1):
        by_age = participants_by_age_band(project, period_end=END_1)

    assert len(rows) == 2 * count
    assert by_gender == {"POHZENY": count}
    assert by_disadvantage == {"PBOBP": count}
    assert by_age == {"25-54": count}


def test_every_indicator_function_names_its_rule():
    functions = [
        queries.participants,
        queries.participants_homeless,
        queries.participants_minorities,
        queries.service_use,
        queries.capacity,
        queries.purpose_fulfilled,
        queries.disadvantaged_after_exit,
        queries.output_documents,
    ]
    assert [("DOMAIN.md" in (f.__doc__ or "")) for f in functions] == [True] * 8
