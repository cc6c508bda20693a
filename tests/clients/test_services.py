"""The client services on their own: code numbering under concurrency, duplicates, status."""

import datetime as dt
import threading

import pytest
from django.db import connection

from clients import services
from clients.models import Client, ClientStatus, Enrolment
from clients.queries import similar_clients
from tests.factories import ClientFactory, EnrolmentFactory

pytestmark = pytest.mark.django_db


def _person(**fields) -> Client:
    return Client(
        first_name="Jana", last_name="Horváthová", birth_date=dt.date(1990, 5, 20), **fields
    )


def test_create_client_ignores_codes_that_are_not_prefix_and_number(project, worker_a):
    ClientFactory(organisation=project.organisation, code="RAL-0012")
    ClientFactory(organisation=project.organisation, code="RAL-0099B")
    ClientFactory(organisation=project.organisation, code="XRAL-0500")

    created = services.create_client(
        _person(), by=worker_a, project=project, worker=worker_a, entry_date=project.start_date
    )

    assert created.code == "RAL-0013"


@pytest.mark.django_db(transaction=True)
def test_concurrent_registrations_get_different_codes(project, worker_a):
    """Two registrations at the same moment: the organisation's row lock numbers them apart."""
    barrier = threading.Barrier(2)
    codes, errors = [], []

    def register(last_name):
        try:
            barrier.wait(timeout=5)
            client = services.create_client(
                Client(first_name="Souběžný", last_name=last_name, birth_year=1980 + len(codes)),
                by=worker_a,
                project=project,
                worker=worker_a,
                entry_date=project.start_date,
                different_person=True,
            )
            codes.append(client.code)
        except Exception as error:  # reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=register, args=(name,)) for name in ["Prvý", "Druhý"]]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sorted(codes) == ["RAL-0001", "RAL-0002"]


def test_similar_clients_match_name_and_birth(project, client_a, client_b, client_other):
    twin = Client(
        organisation=project.organisation,
        first_name="Anna",
        last_name="Adamková",
        birth_date=client_a.birth_date,
    )

    assert list(similar_clients(twin)) == [client_a]


def test_similar_clients_leave_the_client_out(client_a):
    assert list(similar_clients(client_a)) == []


def test_reopened_cooperation_makes_the_client_active_again(worker_a, client_a):
    enrolment = client_a.enrolments.get()
    enrolment.exit_date = dt.date(2021, 1, 31)
    enrolment.exit_reason = "moved"
    services.set_enrolment(enrolment, by=worker_a, version=1)

    enrolment.exit_date, enrolment.exit_reason = None, ""
    services.set_enrolment(enrolment, by=worker_a, version=2)

    client_a.refresh_from_db()
    assert (client_a.status, Enrolment.objects.get(pk=enrolment.pk).version) == (
        ClientStatus.ACTIVE,
        3,
    )


def test_client_stays_active_while_another_cooperation_runs(worker_a, client_a, other_project):
    EnrolmentFactory(client=client_a, project=other_project)
    enrolment = client_a.enrolments.get(project__code="RAL")
    enrolment.exit_date = dt.date(2021, 1, 31)
    enrolment.exit_reason = "moved"

    services.set_enrolment(enrolment, by=worker_a, version=1)

    client_a.refresh_from_db()
    assert client_a.status == ClientStatus.ACTIVE
