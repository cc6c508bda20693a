"""Housing reads: the acute list on the guarantor's board, baseline, sparkline."""

import datetime as dt

import pytest
from django.urls import reverse

from casework.models import Project
from housing.models import RiskLevel
from housing.queries import acute_cases, housing_baseline, sparkline_points
from tests.factories import HousingSituationFactory, RiskAssessmentFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 1, 15)


def _codes(cases):
    return [case.client.code for case in cases]


def test_acute_cases_by_latest_assessment(project, client_a, client_b):
    RiskAssessmentFactory(
        project=project, client=client_a, assessed_on=dt.date(2025, 1, 1), level=RiskLevel.ACUTE
    )
    RiskAssessmentFactory(
        project=project, client=client_a, assessed_on=dt.date(2025, 6, 1), level=RiskLevel.LOW
    )
    RiskAssessmentFactory(
        project=project, client=client_b, assessed_on=dt.date(2025, 6, 1), level=RiskLevel.ACUTE
    )

    cases = acute_cases(Project.objects.filter(pk=project.pk), today=TODAY)

    assert [(c.client.code, c.level) for c in cases] == [("RAL-0002", RiskLevel.ACUTE)]


@pytest.mark.parametrize(
    ("eviction_on", "listed"),
    [
        pytest.param(TODAY - dt.timedelta(days=1), False, id="yesterday"),
        pytest.param(TODAY, True, id="today"),
        pytest.param(TODAY + dt.timedelta(days=30), True, id="in-30-days"),
        pytest.param(TODAY + dt.timedelta(days=31), False, id="in-31-days"),
    ],
)
def test_acute_cases_by_eviction_within_30_days(project, client_a, eviction_on, listed):
    HousingSituationFactory(client=client_a, eviction_on=eviction_on)

    cases = acute_cases(Project.objects.filter(pk=project.pk), today=TODAY)

    assert _codes(cases) == (["RAL-0001"] if listed else [])


def test_acute_cases_only_of_the_given_projects(project, other_project, client_other):
    HousingSituationFactory(client=client_other, eviction_on=TODAY)

    assert _codes(acute_cases(Project.objects.filter(pk=project.pk), today=TODAY)) == []


def test_acute_cases_of_a_closed_situation_are_not_listed(project, client_a):
    HousingSituationFactory(
        client=client_a,
        valid_from=dt.date(2025, 1, 1),
        valid_to=dt.date(2025, 12, 31),
        eviction_on=TODAY,
    )

    assert _codes(acute_cases(Project.objects.filter(pk=project.pk), today=TODAY)) == []


@pytest.mark.parametrize(
    ("persona", "shown"), [("guarantor", True), ("admin_user", True), ("worker_a", False)]
)
def test_home_shows_acute_cases_to_managers_only(
    client, request, project, client_a, persona, shown
):
    RiskAssessmentFactory(project=project, client=client_a, level=RiskLevel.ACUTE)
    client.force_login(request.getfixturevalue(persona))

    response = client.get(reverse("home"))

    cases = response.context.get("acute_cases")
    assert (_codes(cases) if cases is not None else None) == (["RAL-0001"] if shown else None)


def test_housing_baseline_first_vs_now(project, client_a):
    first = HousingSituationFactory(
        client=client_a, valid_from=dt.date(2025, 1, 1), valid_to=dt.date(2025, 5, 31)
    )
    now = HousingSituationFactory(client=client_a, valid_from=dt.date(2025, 6, 1))
    early = RiskAssessmentFactory(project=project, client=client_a, assessed_on=dt.date(2025, 1, 2))
    late = RiskAssessmentFactory(project=project, client=client_a, assessed_on=dt.date(2025, 7, 1))

    baseline = housing_baseline([now, first], [late, early])

    assert (
        baseline.first_situation,
        baseline.current_situation,
        baseline.first_assessment,
        baseline.latest_assessment,
    ) == (first, now, early, late)


def test_sparkline_points_oldest_left_scaled_to_the_top_score(project, client_a):
    newest = RiskAssessmentFactory(project=project, client=client_a, score=10)
    oldest = RiskAssessmentFactory(project=project, client=client_a, score=0)

    assert sparkline_points([newest, oldest]) == "0.0,38.0 160.0,2.0"


def test_board_and_home_list_the_most_urgent_acute_cases_and_count_all(
    english, project, guarantor, worker_a
):
    from casework.board import caseload_board
    from housing.queries import ACUTE_LIST_SIZE
    from tests.factories import CaseAssignmentFactory, ClientFactory, EnrolmentFactory

    today = dt.date.today()
    total = ACUTE_LIST_SIZE + 3
    for number in range(total):
        person = ClientFactory(organisation=project.organisation)
        EnrolmentFactory(client=person, project=project, entry_date=project.start_date)
        CaseAssignmentFactory(
            client=person, project=project, worker=worker_a, started_on=project.start_date
        )
        HousingSituationFactory(client=person, eviction_on=today + dt.timedelta(days=number % 30))

    board = caseload_board([project.pk], today=today)
    assert (len(board.acute_cases), board.acute_total) == (ACUTE_LIST_SIZE, total)
    evictions = [case.eviction_on for case in board.acute_cases]
    assert evictions == sorted(evictions)  # the soonest evictions are the ones listed
    assert {row.worker.pk: row.acute for row in board.rows}[worker_a.pk] == total

    english.force_login(guarantor)
    page = english.get(reverse("home"))
    assert (len(page.context["acute_cases"]), page.context["acute_total"]) == (
        ACUTE_LIST_SIZE,
        total,
    )
    assert f"The {ACUTE_LIST_SIZE} most urgent of {total} cases." in page.content.decode()
    board_page = english.get(reverse("board"))
    assert f"The {ACUTE_LIST_SIZE} most urgent of {total} cases." in board_page.content.decode()
