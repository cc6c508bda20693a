"""Re-assessments of housing-loss risk due on a schedule (issue 5.2) and on the Today page."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils.translation import gettext

from casework.roles import access_of
from clients.models import CaseAssignment
from housing.models import RiskLevel
from housing.queries import reassessments_due
from tests.factories import RiskAssessmentFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2021, 3, 15)


def _due(project, client, *, assessed_on=dt.date(2021, 1, 4), next_review_on, **fields):
    return RiskAssessmentFactory(
        project=project,
        client=client,
        assessed_on=assessed_on,
        next_review_on=next_review_on,
        **fields,
    )


def _codes(user, **kwargs):
    return [a.client.code for a in reassessments_due(user, TODAY, **kwargs)]


@pytest.mark.parametrize(
    ("days", "listed"),
    [
        pytest.param(-30, True, id="overdue"),
        pytest.param(0, True, id="today"),
        pytest.param(7, True, id="in-7-days"),
        pytest.param(8, False, id="in-8-days"),
    ],
)
def test_due_within_seven_days(project, worker_a, client_a, days, listed):
    _due(project, client_a, next_review_on=TODAY + dt.timedelta(days=days))

    assert _codes(worker_a) == (["RAL-0001"] if listed else [])


def test_within_days_can_be_widened(project, worker_a, client_a):
    _due(project, client_a, next_review_on=TODAY + dt.timedelta(days=20))

    assert _codes(worker_a, within_days=30) == ["RAL-0001"]


def test_only_the_latest_assessment_counts(project, worker_a, client_a, client_b):
    # The older assessment was due, but a newer one moved the review on.
    _due(project, client_a, assessed_on=dt.date(2020, 10, 1), next_review_on=dt.date(2021, 1, 1))
    _due(project, client_a, assessed_on=dt.date(2021, 3, 1), next_review_on=dt.date(2021, 6, 1))
    # Two assessments on the same day: the later row is the latest.
    _due(project, client_b, assessed_on=dt.date(2021, 3, 1), next_review_on=dt.date(2021, 6, 1))
    _due(project, client_b, assessed_on=dt.date(2021, 3, 1), next_review_on=dt.date(2021, 3, 16))
    CaseAssignment.objects.filter(client=client_b).update(worker=worker_a)

    assert _codes(worker_a) == ["RAL-0002"]


def test_without_a_review_date_nothing_is_due(project, worker_a, client_a):
    _due(project, client_a, next_review_on=None)

    assert _codes(worker_a) == []


def test_only_the_workers_own_clients(project, worker_a, worker_b, guarantor, client_a, client_b):
    _due(project, client_a, next_review_on=TODAY)
    _due(project, client_b, next_review_on=TODAY)

    assert (_codes(worker_a), _codes(worker_b), _codes(guarantor)) == (
        ["RAL-0001"],
        ["RAL-0002"],
        [],
    )


def test_ended_assignment_is_not_listed(project, worker_a, client_a):
    _due(project, client_a, next_review_on=TODAY)
    CaseAssignment.objects.filter(client=client_a).update(ended_on=TODAY)

    assert _codes(worker_a) == []


def test_soonest_first(project, worker_a, client_a, client_b):
    CaseAssignment.objects.filter(client=client_b).update(worker=worker_a)
    _due(project, client_a, next_review_on=TODAY + dt.timedelta(days=3))
    _due(project, client_b, next_review_on=TODAY - dt.timedelta(days=3))

    assert _codes(worker_a) == ["RAL-0002", "RAL-0001"]


def test_reassessments_due_is_one_query(django_assert_num_queries, project, worker_a, client_a):
    _due(project, client_a, next_review_on=TODAY)
    access_of(worker_a)  # the roles every request has read already (navigation)

    with django_assert_num_queries(1):
        assert _codes(worker_a) == ["RAL-0001"]


# --- The Today page ---------------------------------------------------------------------------


@pytest.fixture
def _today(time_machine):
    time_machine.move_to(dt.datetime(2021, 3, 15, 10, 0, tzinfo=ZoneInfo("Europe/Prague")))


@pytest.mark.usefixtures("_today")
def test_today_lists_due_and_overdue_reassessments(client, project, worker_a, client_a, client_b):
    CaseAssignment.objects.filter(client=client_b).update(worker=worker_a)
    _due(project, client_a, next_review_on=TODAY - dt.timedelta(days=2), level=RiskLevel.HIGH)
    _due(project, client_b, next_review_on=TODAY + dt.timedelta(days=5))
    client.force_login(worker_a)

    response = client.get(reverse("home"))

    due = response.context["worker"].reassessments_due
    assess_a = reverse("housing:assess", args=[client_a.pk]) + f"?project={project.pk}"
    assert [a.client for a in due] == [client_a, client_b]
    assert f'href="{assess_a}"' in response.text
    assert response.text.count(gettext("Re-assessment overdue")) == 1
    assert gettext("Housing risk re-assessments due") in response.text


@pytest.mark.usefixtures("_today")
def test_today_without_reassessments_says_so(client, worker_a, client_a):
    client.force_login(worker_a)

    response = client.get(reverse("home"))

    assert response.context["worker"].reassessments_due == []
    assert gettext("No housing risk re-assessment is due in the next 7 days.") in response.text


@pytest.mark.usefixtures("_today")
def test_today_does_not_list_another_workers_reassessment(client, project, worker_a, client_b):
    _due(project, client_b, next_review_on=TODAY)
    client.force_login(worker_a)

    response = client.get(reverse("home"))

    assert response.context["worker"].reassessments_due == []
    assert "Bartoš" not in response.text
