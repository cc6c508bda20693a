"""The audit screens, the data-protection screens and what list exports leave out."""

import csv
import io
import json

import pytest
from django.urls import reverse

from casework.audit.context import acting_user
from casework.audit.events import record_access
from casework.audit.forms import CODE_MISMATCH
from casework.audit.models import AccessAction, AccessEvent, ChangeEvent
from casework.audit.sensitive import HIDDEN
from clients.models import Client, DisadvantageAnswer, Enrolment, MonitoringCodeKind
from tests.factories import MonitoringCodeFactory

pytestmark = pytest.mark.django_db


def touch(clients, user):
    with acting_user(user):
        for c in clients:
            Client.objects.filter(pk=c.pk).update(notes=f"poznámka {c.pk}")


@pytest.mark.parametrize("size", [1, 3])
def test_trail_query_count(client, django_assert_num_queries, project, guarantor, size):
    clients = [
        Client.objects.create(
            organisation=project.organisation, code=f"Q-{n}", first_name="A", last_name="B"
        )
        for n in range(size)
    ]
    for c in clients:
        record_access(guarantor, AccessAction.VIEW_CASE_FILE, client=c, project=project)
    client.force_login(guarantor)

    # session, user, roles (the decorator's, cached for the navigation), managed projects,
    # count, rows with their users, client codes
    with django_assert_num_queries(7):
        response = client.get(reverse("audit:trail"), {"kind": "reads"})

    assert len(response.context["page"].object_list) == size


def test_guarantor_sees_the_trail_of_their_projects_only(
    client, project, guarantor, client_a, client_other, client_foreign, admin_user
):
    for c in (client_a, client_other, client_foreign):
        record_access(admin_user, AccessAction.VIEW_CASE_FILE, client=c)
    client.force_login(guarantor)

    response = client.get(reverse("audit:trail"), {"kind": "reads"})

    assert [e.client_id for e in response.context["page"].object_list] == [client_a.pk]


def test_admin_sees_the_whole_organisation(
    client, admin_user, client_a, client_other, client_foreign
):
    for c in (client_a, client_other, client_foreign):
        record_access(admin_user, AccessAction.VIEW_CASE_FILE, client=c)
    client.force_login(admin_user)

    response = client.get(reverse("audit:trail"), {"kind": "reads"})

    assert sorted(e.client_id for e in response.context["page"].object_list) == sorted(
        [client_a.pk, client_other.pk]
    )


def test_client_trail_shows_changes_and_reads(client, guarantor, worker_a, client_a):
    touch([client_a], worker_a)
    record_access(worker_a, AccessAction.VIEW_CASE_FILE, client=client_a)
    client.force_login(guarantor)

    response = client.get(reverse("audit:client_trail", args=[client_a.pk]))

    change = response.context["page"].object_list[0]
    assert (change.user, change.values) == (worker_a, [("notes", "", f"poznámka {client_a.pk}")])
    assert [e.action for e in response.context["reads"]] == ["view_case_file"]


def test_case_file_links_to_the_trail_for_managers_only(client, worker_a, guarantor, client_a):
    trail_url = reverse("audit:client_trail", args=[client_a.pk]).encode()

    client.force_login(worker_a)
    as_worker = client.get(reverse("clients:detail", args=[client_a.pk])).content
    client.force_login(guarantor)
    as_guarantor = client.get(reverse("clients:detail", args=[client_a.pk])).content

    assert (trail_url in as_worker, trail_url in as_guarantor) == (False, True)


@pytest.fixture
def minority_code(db):
    return MonitoringCodeFactory(
        kind=MonitoringCodeKind.DISADVANTAGE, code="ZNMIG", name="Menšina", is_special_category=True
    )


@pytest.mark.parametrize(("persona", "shown"), [("guarantor", False), ("admin_user", True)])
def test_special_categories_in_the_trail_are_masked_for_guarantors(
    client, request, project, client_a, minority_code, persona, shown
):
    enrolment = Enrolment.objects.get(client=client_a, project=project)
    enrolment.disadvantage_answer = DisadvantageAnswer.ANSWERED
    enrolment.save(update_fields=["disadvantage_answer"])
    enrolment.disadvantages.add(minority_code)
    client.force_login(request.getfixturevalue(persona))

    response = client.get(reverse("audit:client_trail", args=[client_a.pk]))

    values = {}  # the newest value of each column
    for event in response.context["page"].object_list:
        for name, _old, new in event.values:
            values.setdefault((event.table, name), new)
    code_id = values[("clients_enrolment_disadvantages", "monitoringcode_id")]
    answer = values[("clients_enrolment", "disadvantage_answer")]
    assert (code_id == str(minority_code.pk), answer == "answered") == (shown, shown)
    assert (code_id == HIDDEN) is not shown


def test_client_list_export_has_no_special_categories(
    english, client, settings, admin_user, project, client_a, minority_code
):
    Enrolment.objects.get(client=client_a, project=project).disadvantages.add(minority_code)
    client.force_login(admin_user)

    response = client.get(reverse("clients:export"))
    body = b"".join(response.streaming_content).decode("utf-8-sig")

    header = next(csv.reader(io.StringIO(body), delimiter=";"))
    assert header == ["Code", "Surname", "First name", "Year of birth", "Locality", "Status"]
    assert ("ZNMIG" in body, "Menšina" in body) == (False, False)


def test_admin_exports_everything_about_a_client_as_json(client, admin_user, client_a):
    client.force_login(admin_user)

    response = client.get(reverse("audit:client_export_json", args=[client_a.pk]))

    data = json.loads(response.content)
    assert data["client"] == client_a.code
    assert response["Content-Disposition"] == f'attachment; filename="{client_a.code}.json"'
    assert list(AccessEvent.objects.values_list("action", "client_id")) == [
        ("export_client", client_a.pk)
    ]


def test_anonymise_needs_the_typed_code(english, client, admin_user, client_a):
    client.force_login(admin_user)

    response = client.post(
        reverse("audit:client_anonymise", args=[client_a.pk]),
        {"confirm_code": "XYZ", "password": "heslo-pro-testy-2026"},
    )

    assert response.context["form"].errors == {"confirm_code": [str(CODE_MISMATCH)]}
    assert Client.objects.get(pk=client_a.pk).first_name == client_a.first_name


def test_anonymise_from_the_page(client, admin_user, client_a):
    client.force_login(admin_user)

    response = client.post(
        reverse("audit:client_anonymise", args=[client_a.pk]),
        {"confirm_code": client_a.code, "password": "heslo-pro-testy-2026"},
    )

    anonymised = Client.objects.get(pk=client_a.pk)
    assert response["Location"] == reverse("clients:detail", args=[client_a.pk])
    assert (anonymised.first_name, anonymised.last_name) == ("[anonymizováno]", "[anonymizováno]")
    assert ChangeEvent.objects.filter(client_id=client_a.pk, user=admin_user).exists()


@pytest.mark.parametrize("size", [1, 3])
def test_client_trail_query_count(
    client, django_assert_num_queries, guarantor, worker_a, client_a, size
):
    for n in range(size):
        with acting_user(worker_a):
            Client.objects.filter(pk=client_a.pk).update(notes=f"změna {n}")
        record_access(worker_a, AccessAction.VIEW_CASE_FILE, client=client_a)
    client.force_login(guarantor)

    # session, user, roles (with the project and organisation ids every scope uses), client,
    # count, changes with users, special-category access (own assignment), reads with users
    with django_assert_num_queries(8):
        response = client.get(reverse("audit:client_trail", args=[client_a.pk]))

    # The client, their enrolment and assignment were recorded when the fixture made them.
    assert (len(response.context["page"].object_list), len(response.context["reads"])) == (
        size + 3,
        size,
    )


def test_client_list_export_is_recorded(client, worker_a, client_a):
    client.force_login(worker_a)

    response = client.get(reverse("clients:export"))
    b"".join(response.streaming_content)

    assert list(AccessEvent.objects.values_list("user", "action", "client_id")) == [
        (worker_a.pk, "export_list", None)
    ]


def test_a_list_export_is_in_the_trail_of_the_exporters_project(
    client, guarantor, other_guarantor, worker_a
):
    record_access(worker_a, AccessAction.EXPORT_LIST)

    seen = [
        list(AccessEvent.objects.visible_to(user).values_list("user", flat=True))
        for user in (guarantor, other_guarantor)
    ]

    assert seen == [[worker_a.pk], []]
