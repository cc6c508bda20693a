"""Reassigning a client to another key worker: the service, the form and the screen."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from clients.models import CaseAssignment, Client
from clients.services import REASSIGN_BEFORE_START, REASSIGN_IN_FUTURE, reassign_client
from clients.views import CLIENT_REASSIGNED

pytestmark = pytest.mark.django_db

TODAY = dt.date(2021, 5, 31)


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(dt.datetime(2021, 5, 31, 10, 0, tzinfo=ZoneInfo("Europe/Prague")))


def _history(client):
    return [
        (a.worker.username, a.kind, a.started_on, a.ended_on, a.assigned_by_id)
        for a in CaseAssignment.objects.filter(client=client).order_by("started_on", "pk")
    ]


def test_reassign_ends_the_old_assignment_and_keeps_it(project, client_a, worker_b, guarantor):
    reassign_client(client_a, project=project, to_worker=worker_b, by=guarantor, on=TODAY)

    assert _history(client_a) == [
        ("alice", "primary", dt.date(2020, 9, 1), dt.date(2021, 5, 30), None),
        ("bob", "primary", TODAY, None, guarantor.pk),
    ]


def test_reassign_moves_access(project, client_a, worker_a, worker_b, guarantor):
    reassign_client(client_a, project=project, to_worker=worker_b, by=guarantor, on=TODAY)

    assert list(Client.objects.visible_to(worker_b).filter(pk=client_a.pk)) == [client_a]
    assert list(Client.objects.visible_to(worker_a).filter(pk=client_a.pk)) == []


def test_reassign_on_the_first_day_ends_the_old_assignment_that_day(
    project, client_a, worker_b, guarantor
):
    start = project.start_date

    reassign_client(client_a, project=project, to_worker=worker_b, by=guarantor, on=start)

    assert _history(client_a)[0][3] == start


def test_reassign_refuses_someone_who_is_not_a_worker(project, client_a, guarantor):
    with pytest.raises(ValidationError):
        reassign_client(client_a, project=project, to_worker=guarantor, by=guarantor, on=TODAY)

    assert [row[0] for row in _history(client_a)] == ["alice"]


# --- The screen -------------------------------------------------------------------------------


def _post(client, client_a, project, worker, on="2021-05-31"):
    return client.post(
        reverse("clients:reassign", args=[client_a.pk]),
        {"project": project.pk, "to_worker": worker.pk, "on": on},
    )


@pytest.mark.parametrize("persona", ["guarantor", "admin_user"])
def test_manager_reassigns_and_the_case_file_shows_both(
    client, request, project, client_a, worker_b, persona
):
    client.force_login(request.getfixturevalue(persona))

    response = _post(client, client_a, project, worker_b)

    assert (response.status_code, response.url) == (302, client_a.get_absolute_url())
    assert [m.message for m in response.wsgi_request._messages] == [str(CLIENT_REASSIGNED)]
    detail = client.get(client_a.get_absolute_url())
    assert (b"Alice Ter" in detail.content, b"Bob Ter" in detail.content) == (True, True)


def test_reassigned_client_opens_for_the_new_worker_only(
    client, project, client_a, worker_a, worker_b, guarantor
):
    client.force_login(guarantor)
    _post(client, client_a, project, worker_b)

    client.force_login(worker_b)
    new_worker = client.get(client_a.get_absolute_url()).status_code
    client.force_login(worker_a)
    old_worker = client.get(client_a.get_absolute_url()).status_code

    assert (new_worker, old_worker) == (200, 404)


def test_reassign_form_shows_for_a_manager(
    client, project, client_a, worker_a, worker_b, guarantor
):
    client.force_login(guarantor)

    response = client.get(reverse("clients:reassign", args=[client_a.pk]))

    form = response.context["form"]
    assert (
        list(form.fields["project"].queryset),
        list(form.fields["to_worker"].queryset),
    ) == ([project], [worker_a, worker_b])


def test_reassign_to_a_non_worker_keeps_the_input(client, project, client_a, guarantor):
    client.force_login(guarantor)

    response = _post(client, client_a, project, guarantor, on="2021-05-20")

    assert (response.status_code, "to_worker" in response.context["form"].errors) == (200, True)
    assert response.context["form"]["on"].value() == "2021-05-20"
    assert [row[0] for row in _history(client_a)] == ["alice"]


@pytest.mark.parametrize("persona", ["worker_a", "worker_b"])
def test_reassign_refused_to_field_workers(client, request, project, client_a, worker_b, persona):
    client.force_login(request.getfixturevalue(persona))

    response = _post(client, client_a, project, worker_b)

    assert (response.status_code, [row[0] for row in _history(client_a)]) == (403, ["alice"])


@pytest.mark.parametrize("persona", ["other_guarantor", "foreign_admin"])
def test_reassign_of_a_client_outside_the_scope_is_404(
    client, request, project, client_a, worker_b, persona
):
    client.force_login(request.getfixturevalue(persona))

    response = _post(client, client_a, project, worker_b)

    assert (response.status_code, [row[0] for row in _history(client_a)]) == (404, ["alice"])


@pytest.mark.parametrize(
    ("on", "message"),
    [
        pytest.param(dt.date(2021, 6, 1), REASSIGN_IN_FUTURE, id="future"),
        pytest.param(dt.date(2020, 8, 31), REASSIGN_BEFORE_START, id="before-current-start"),
    ],
)
def test_reassign_refuses_a_day_it_cannot_honour(
    project, client_a, worker_b, guarantor, on, message
):
    with pytest.raises(ValidationError) as error:
        reassign_client(client_a, project=project, to_worker=worker_b, by=guarantor, on=on)

    assert (error.value.messages, [row[0] for row in _history(client_a)]) == (
        [str(message)],
        ["alice"],
    )


def test_reassign_screen_shows_the_service_refusal(client, project, client_a, worker_b, guarantor):
    client.force_login(guarantor)

    response = _post(client, client_a, project, worker_b, on="2021-06-01")

    assert response.context["form"].non_field_errors() == [str(REASSIGN_IN_FUTURE)]
