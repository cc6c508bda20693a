"""The intervention log's default date range and the access scope behind it."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from casework.filters import months_before
from casework.models import Intervention, Membership, ProjectExtension
from casework.roles import Role
from tests.factories import (
    CaseAssignmentFactory,
    InterventionFactory,
    KeyActivityFactory,
    MembershipFactory,
)


def at(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, 10, 0, tzinfo=ZoneInfo("Europe/Prague"))


@pytest.fixture
def ka03(project):
    return KeyActivityFactory(project=project, code="KA 03", name="Individuální práce")


def logged(project, ka03, day, worker, clients=()):
    return InterventionFactory(
        project=project,
        key_activity=ka03,
        date=day,
        created_by=worker,
        workers=[worker],
        participants=list(clients),
    )


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (dt.date(2021, 3, 15), dt.date(2020, 12, 15)),
        (dt.date(2021, 5, 31), dt.date(2021, 2, 28)),
        (dt.date(2024, 5, 31), dt.date(2024, 2, 29)),
        (dt.date(2022, 1, 31), dt.date(2021, 10, 31)),
    ],
)
def test_months_before(day, expected):
    assert months_before(day, 3) == expected


def test_log_opens_on_the_last_three_months(client, time_machine, project, worker_a, ka03):
    time_machine.move_to(at(dt.date(2021, 3, 15)))
    older = logged(project, ka03, dt.date(2020, 12, 14), worker_a)
    first_day = logged(project, ka03, dt.date(2020, 12, 15), worker_a)
    client.force_login(worker_a)

    response = client.get(reverse("intervention_list"))

    assert list(response.context["page"].object_list) == [first_day]
    assert older not in response.context["page"].object_list
    assert 'value="2020-12-15"' in response.text
    assert "data-default-range" in response.text


def test_after_the_project_the_log_opens_on_its_last_three_months(
    client, time_machine, project, guarantor, worker_a, ka03
):
    ProjectExtension.objects.create(project=project, new_end_date=dt.date(2022, 8, 31))
    time_machine.move_to(at(dt.date(2026, 1, 10)))
    before = logged(project, ka03, dt.date(2022, 5, 30), worker_a)
    last_day = logged(project, ka03, dt.date(2022, 8, 31), worker_a)
    client.force_login(guarantor)

    response = client.get(reverse("intervention_list"))

    assert list(response.context["page"].object_list) == [last_day]
    assert before not in response.context["page"].object_list
    assert 'value="2022-05-31"' in response.text
    assert 'value="2022-08-31"' in response.text


def test_cleared_dates_show_the_whole_log(client, time_machine, project, worker_a, ka03):
    time_machine.move_to(at(dt.date(2021, 3, 15)))
    older = logged(project, ka03, dt.date(2020, 9, 1), worker_a)
    client.force_login(worker_a)

    response = client.get(reverse("intervention_list"), {"date_from": "", "date_to": ""})

    assert list(response.context["page"].object_list) == [older]
    assert "data-default-range" not in response.text


def test_any_filter_searches_all_dates(client, time_machine, project, worker_a, client_a, ka03):
    time_machine.move_to(at(dt.date(2021, 3, 15)))
    older = logged(project, ka03, dt.date(2020, 9, 1), worker_a, [client_a])
    client.force_login(worker_a)

    response = client.get(reverse("intervention_list"), {"client": client_a.code})

    assert list(response.context["page"].object_list) == [older]
    assert response.context["filter"].default_range is None


# --- Who sees an intervention (InterventionQuerySet.visible_to) --------------------------------


def visible(user) -> set[int]:
    return set(Intervention.objects.visible_to(user).values_list("pk", flat=True))


def test_a_worker_who_took_part_keeps_seeing_it_after_leaving_the_project(project, worker_a, ka03):
    own = logged(project, ka03, project.start_date, worker_a)
    Membership.objects.filter(user=worker_a, project=project).delete()

    assert visible(worker_a) == {own.pk}


def test_a_current_client_in_the_interventions_project_shows_it(
    project, worker_a, worker_b, client_b, ka03
):
    by_colleague = logged(project, ka03, project.start_date, worker_b, [client_b])
    assert visible(worker_a) == set()

    CaseAssignmentFactory(client=client_b, project=project, worker=worker_a)

    assert visible(worker_a) == {by_colleague.pk}


def test_the_client_must_be_the_workers_in_the_interventions_project(
    project, other_project, worker_a, worker_b, client_b, ka03
):
    """Assigned in another project, or no longer a worker here: the colleague's entry is hidden."""
    by_colleague = logged(project, ka03, project.start_date, worker_b, [client_b])
    MembershipFactory(user=worker_a, project=other_project, role=Role.WORKER)
    CaseAssignmentFactory(client=client_b, project=other_project, worker=worker_a)
    assert visible(worker_a) == set()

    assignment = CaseAssignmentFactory(client=client_b, project=project, worker=worker_a)
    assert visible(worker_a) == {by_colleague.pk}

    Membership.objects.filter(user=worker_a, project=project).delete()
    assert visible(worker_a) == set()

    MembershipFactory(user=worker_a, project=project, role=Role.WORKER)
    assignment.ended_on = project.start_date
    assignment.save()
    assert visible(worker_a) == set()


def test_guarantor_sees_the_whole_project_only(project, other_project, guarantor, worker_a, ka03):
    here = logged(project, ka03, project.start_date, worker_a)
    elsewhere = InterventionFactory(project=other_project, created_by=worker_a)

    assert visible(guarantor) == {here.pk}
    assert elsewhere.pk not in visible(guarantor)


def test_case_file_timeline_is_the_clients_visible_interventions(
    client, project, worker_a, worker_b, client_a, client_b, ka03
):
    shared = logged(project, ka03, project.start_date, worker_b, [client_a, client_b])
    logged(project, ka03, project.start_date, worker_b, [client_b])
    client.force_login(worker_a)

    response = client.get(reverse("clients:detail", args=[client_a.pk]))

    assert response.context["case"].timeline.interventions == [shared]
