"""The worker's Today page: tasks due, clients gone quiet for 30 days, plans to review."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.urls import reverse

from casework.queries import plans_for_review
from casework.roles import Role, worker_project_ids
from clients.models import Client, ClientStatus, PlanStatus
from tests.factories import (
    CaseAssignmentFactory,
    ClientFactory,
    EnrolmentFactory,
    IndividualPlanFactory,
    InterventionFactory,
    MembershipFactory,
    TaskFactory,
)

pytestmark = pytest.mark.django_db

TODAY = dt.date(2021, 6, 30)


@pytest.fixture(autouse=True)
def _today(time_machine):
    # A day inside the Ralsko project (1 Sep 2020 – 30 Jun 2022).
    time_machine.move_to(dt.datetime(2021, 6, 30, 10, 0, tzinfo=ZoneInfo("Europe/Prague")))


def days_ago(days: int) -> dt.date:
    return TODAY - dt.timedelta(days=days)


def today_page(client, user, *, language="en"):
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client.get(reverse("home"))


def not_contacted_codes(worker) -> list[str]:
    return list(
        Client.objects.assigned_to(worker)
        .not_contacted_since(30, TODAY, projects=worker_project_ids(worker))
        .values_list("code", flat=True)
    )


# --- The primary action -----------------------------------------------------------------------


def test_log_a_visit_is_the_first_thing_on_the_page(client, worker_a, client_a):
    response = today_page(client, worker_a)

    button = f'<a class="btn btn-primary btn-lg" href="{reverse("intervention_create")}">'
    assert button in response.text
    assert response.text.index(button) < response.text.index('id="tasks-heading"')


def test_guarantor_keeps_project_cards_and_gets_no_today_page(client, guarantor, client_a):
    response = today_page(client, guarantor)

    assert [s.project.code for s in response.context["projects"]] == ["RAL"]
    assert "worker" not in response.context
    assert "btn-lg" not in response.text
    assert "No contact for" not in response.text


# --- Not contacted for 30 days: one definition ------------------------------------------------


@pytest.mark.parametrize(
    ("days", "listed"),
    [
        pytest.param(29, [], id="29-days-ago-is-recent"),
        pytest.param(30, [], id="30-days-ago-is-still-recent"),
        pytest.param(31, ["RAL-0001"], id="31-days-ago-is-too-long"),
    ],
)
def test_not_contacted_edges(client, project, worker_a, client_a, days, listed):
    InterventionFactory(
        project=project, date=days_ago(days), workers=[worker_a], participants=[client_a]
    )

    response = today_page(client, worker_a)

    assert not_contacted_codes(worker_a) == listed
    assert [c.code for c in response.context["worker"].not_contacted] == listed
    assert response.context["worker"].not_contacted_count == len(listed)


def test_client_without_any_contact_is_listed(client, worker_a, client_a):
    response = today_page(client, worker_a)

    (listed,) = response.context["worker"].not_contacted
    assert (listed.code, listed.last_contact) == ("RAL-0001", None)
    assert "no contact since entry" in response.text


def test_contact_before_the_entry_date_does_not_count(project, worker_a, client_a):
    client_a.enrolments.update(entry_date=days_ago(10))
    InterventionFactory(
        project=project, date=days_ago(15), workers=[worker_a], participants=[client_a]
    )

    assert not_contacted_codes(worker_a) == ["RAL-0001"]


def test_contact_by_another_worker_counts(project, worker_a, worker_b, client_a):
    InterventionFactory(
        project=project, date=days_ago(3), workers=[worker_b], participants=[client_a]
    )

    assert not_contacted_codes(worker_a) == []


def test_contact_in_a_project_where_the_worker_does_not_work_does_not_count(
    other_project, worker_a, client_a
):
    EnrolmentFactory(client=client_a, project=other_project, entry_date=other_project.start_date)
    InterventionFactory(project=other_project, date=days_ago(3), participants=[client_a])

    assert not_contacted_codes(worker_a) == ["RAL-0001"]


def test_future_dated_intervention_is_no_contact(project, worker_a, client_a):
    InterventionFactory(project=project, date=TODAY + dt.timedelta(days=2), participants=[client_a])

    assert not_contacted_codes(worker_a) == ["RAL-0001"]


def test_last_contact_is_shown_with_its_age(client, project, worker_a, client_a):
    InterventionFactory(project=project, date=days_ago(45), participants=[client_a])
    InterventionFactory(project=project, date=days_ago(40), participants=[client_a])

    response = today_page(client, worker_a)

    (listed,) = response.context["worker"].not_contacted
    assert listed.last_contact == days_ago(40)
    assert "last contact 21 May 2021 (40 days ago)" in response.text
    assert f'href="{reverse("intervention_create")}?client={client_a.pk}"' in response.text


def test_only_own_active_current_clients_are_listed(client, project, worker_a, client_a, client_b):
    closed = ClientFactory(organisation=project.organisation, status=ClientStatus.CLOSED)
    EnrolmentFactory(client=closed, project=project)
    CaseAssignmentFactory(client=closed, project=project, worker=worker_a)
    handed_over = ClientFactory(organisation=project.organisation)
    EnrolmentFactory(client=handed_over, project=project)
    CaseAssignmentFactory(
        client=handed_over, project=project, worker=worker_a, ended_on=days_ago(60)
    )

    response = today_page(client, worker_a)

    assert [c.code for c in response.context["worker"].not_contacted] == ["RAL-0001"]
    assert client_b.full_name not in response.text


def test_worker_who_also_guarantees_sees_only_their_caseload(
    client, other_project, worker_a, client_a, client_other
):
    MembershipFactory(user=worker_a, project=other_project, role=Role.GUARANTOR)

    response = today_page(client, worker_a)

    assert [c.code for c in response.context["worker"].not_contacted] == ["RAL-0001"]
    assert [s.project.code for s in response.context["projects"]] == ["MLA"]


def test_never_contacted_come_first_then_the_longest_quiet(project, worker_a, client_a):
    quiet = ClientFactory(organisation=project.organisation, code="RAL-0003")
    EnrolmentFactory(client=quiet, project=project)
    CaseAssignmentFactory(client=quiet, project=project, worker=worker_a)
    quieter = ClientFactory(organisation=project.organisation, code="RAL-0004")
    EnrolmentFactory(client=quieter, project=project)
    CaseAssignmentFactory(client=quieter, project=project, worker=worker_a)
    InterventionFactory(project=project, date=days_ago(40), participants=[quiet])
    InterventionFactory(project=project, date=days_ago(90), participants=[quieter])

    assert not_contacted_codes(worker_a) == ["RAL-0001", "RAL-0004", "RAL-0003"]


# --- Tasks and deadlines ----------------------------------------------------------------------


def test_overdue_tasks_stand_out_by_text_and_icon(client, worker_a, client_a):
    TaskFactory(owner=worker_a, client=client_a, title="Odpor proti rozkazu", due_date=days_ago(2))
    TaskFactory(owner=worker_a, title="Zavolat na úřad", due_date=TODAY)
    TaskFactory(owner=worker_a, title="Za měsíc", due_date=TODAY + dt.timedelta(days=20))

    response = today_page(client, worker_a)

    tasks = response.context["worker"].open_tasks
    assert [t.title for t in tasks] == ["Odpor proti rozkazu", "Zavolat na úřad"]
    assert response.context["worker"].overdue_count == 1
    overdue = response.text.split('<li class="list-group-item task-overdue">')[1].split("</li>")[0]
    assert "Odpor proti rozkazu" in overdue
    assert "<svg" in overdue
    assert "Overdue" in overdue
    assert "2 days overdue" in overdue
    assert response.text.count("task-overdue") == 1
    assert "Due today" in response.text
    assert "1 task is overdue." in response.text


def test_other_workers_tasks_are_not_shown(client, worker_a, worker_b, client_a):
    TaskFactory(owner=worker_b, title="Úkol kolegy", due_date=days_ago(1))

    response = today_page(client, worker_a)

    assert response.context["worker"].open_tasks == []
    assert "Úkol kolegy" not in response.text


# --- Plans due for review ---------------------------------------------------------------------


def test_plans_due_for_review_within_a_week(client, project, worker_a, client_a, client_b):
    late = IndividualPlanFactory(
        project=project, client=client_a, status=PlanStatus.ACTIVE, review_due=days_ago(3)
    )
    in_a_week = IndividualPlanFactory(
        project=project,
        client=client_a,
        status=PlanStatus.DRAFT,
        review_due=TODAY + dt.timedelta(days=7),
    )
    IndividualPlanFactory(
        project=project,
        client=client_a,
        status=PlanStatus.ACTIVE,
        review_due=TODAY + dt.timedelta(days=8),
    )
    IndividualPlanFactory(
        project=project, client=client_a, status=PlanStatus.CLOSED, review_due=days_ago(3)
    )
    IndividualPlanFactory(
        project=project, client=client_b, status=PlanStatus.ACTIVE, review_due=days_ago(3)
    )

    response = today_page(client, worker_a)

    assert response.context["worker"].plans_for_review == [late, in_a_week]
    assert response.text.count("Review overdue") == 1
    assert reverse("clients:plan_detail", args=[late.pk]) in response.text
    assert client_b.full_name not in response.text


def test_plan_of_a_client_no_longer_assigned_is_not_listed(project, worker_a, client_a):
    IndividualPlanFactory(
        project=project, client=client_a, status=PlanStatus.ACTIVE, review_due=TODAY
    )
    client_a.assignments.update(ended_on=days_ago(1))

    assert list(plans_for_review(worker_a, TODAY)) == []


# --- Query count ------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [1, 3])
def test_today_query_count(client, django_assert_num_queries, project, worker_a, size):
    for _ in range(size):
        person = ClientFactory(organisation=project.organisation)
        EnrolmentFactory(client=person, project=project)
        CaseAssignmentFactory(client=person, project=project, worker=worker_a)
        TaskFactory(owner=worker_a, client=person, due_date=days_ago(1))
        IndividualPlanFactory(
            project=project, client=person, status=PlanStatus.ACTIVE, review_due=TODAY
        )
        InterventionFactory(project=project, date=days_ago(45), participants=[person])
    client.force_login(worker_a)

    # session, user, roles (cached for the navigation), client count, recent clients, open
    # tasks, overdue count, not-contacted clients, their count, plans for review, housing risk
    # re-assessments due.
    with django_assert_num_queries(11):
        response = client.get(reverse("home"))

    home = response.context["worker"]
    assert (len(home.not_contacted), len(home.open_tasks), len(home.plans_for_review)) == (
        size,
        size,
        size,
    )
