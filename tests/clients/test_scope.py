"""Who sees which client: the ``visible_to`` scope and every screen that lists clients.

Each negative case has the client that could leak in the database: worker A must not find
client B by list, search, detail address or export.
"""

import csv
import io

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from casework.models import Intervention
from clients.models import CaseAssignment, Client, Document, IndividualPlan, Task
from debts.models import DebtCase
from housing.models import HousingSituation, RiskAssessment
from tests.factories import (
    CaseAssignmentFactory,
    ClientFactory,
    DebtCaseFactory,
    DocumentFactory,
    EnrolmentFactory,
    HousingSituationFactory,
    IndividualPlanFactory,
    InterventionFactory,
    RiskAssessmentFactory,
    TaskFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def everyone(client_a, client_b, client_other, client_foreign):
    """All four clients exist, so whatever could leak is in the database."""
    return {
        "client_a": client_a,
        "client_b": client_b,
        "client_other": client_other,
        "client_foreign": client_foreign,
    }


def _codes(queryset):
    return list(queryset.values_list("code", flat=True))


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        pytest.param("worker_a", ["RAL-0001"], id="worker-a-own-caseload"),
        pytest.param("worker_b", ["RAL-0002"], id="worker-b-own-caseload"),
        pytest.param("guarantor", ["RAL-0001", "RAL-0002"], id="guarantor-whole-project"),
        pytest.param("other_guarantor", ["MLA-0001"], id="other-guarantor-own-project"),
        pytest.param(
            "admin_user", ["RAL-0001", "RAL-0002", "MLA-0001"], id="admin-whole-organisation"
        ),
        pytest.param("foreign_admin", ["VIT-0001"], id="foreign-admin-only-their-organisation"),
    ],
)
def test_client_visible_to(request, everyone, persona, expected):
    user = request.getfixturevalue(persona)

    visible = Client.objects.visible_to(user)

    assert _codes(visible) == expected


def test_inactive_user_sees_no_clients(everyone, guarantor):
    guarantor.is_active = False
    guarantor.save(update_fields=["is_active"])

    visible = Client.objects.visible_to(guarantor)

    assert _codes(visible) == []


def test_anonymous_user_sees_no_clients(everyone):
    assert _codes(Client.objects.visible_to(AnonymousUser())) == []


def test_ended_assignment_removes_access(everyone, worker_a):
    CaseAssignment.objects.filter(client=everyone["client_a"], worker=worker_a).update(
        ended_on=everyone["client_a"].enrolments.get().entry_date
    )

    visible = Client.objects.visible_to(worker_a)

    assert _codes(visible) == []


def test_shared_assignment_grants_access(everyone, project, worker_a, guarantor):
    CaseAssignmentFactory(
        client=everyone["client_b"],
        project=project,
        worker=worker_a,
        kind=CaseAssignment.Kind.SHARED,
        assigned_by=guarantor,
    )

    visible = Client.objects.visible_to(worker_a)

    assert _codes(visible) == ["RAL-0001", "RAL-0002"]


def test_assignment_in_project_where_user_is_no_worker_grants_nothing(
    everyone, other_project, worker_a
):
    CaseAssignmentFactory(client=everyone["client_other"], project=other_project, worker=worker_a)

    visible = Client.objects.visible_to(worker_a)

    assert _codes(visible) == ["RAL-0001"]


def test_guarantor_sees_client_assigned_but_not_enrolled(everyone, project, worker_a, guarantor):
    assigned_only = ClientFactory(organisation=project.organisation, code="RAL-0003")
    CaseAssignmentFactory(client=assigned_only, project=project, worker=worker_a)

    visible = Client.objects.visible_to(guarantor)

    assert _codes(visible) == ["RAL-0001", "RAL-0002", "RAL-0003"]


def test_admin_sees_client_of_organisation_in_no_project(everyone, organisation, admin_user):
    ClientFactory(organisation=organisation, code="RAL-0099", last_name="Zatímbezprojektu")

    visible = Client.objects.visible_to(admin_user)

    assert _codes(visible) == ["RAL-0001", "RAL-0002", "MLA-0001", "RAL-0099"]


# --- The screens ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "query", "expected"),
    [
        pytest.param("worker_a", "Bartoš", [], id="worker-a-searches-client-b-surname"),
        pytest.param("worker_a", "bartos", [], id="worker-a-searches-unaccented"),
        pytest.param("worker_a", "RAL-0002", [], id="worker-a-searches-client-b-code"),
        pytest.param("worker_a", "Adámková", ["RAL-0001"], id="worker-a-finds-own-client"),
        pytest.param("guarantor", "bartos", ["RAL-0002"], id="guarantor-finds-client-b"),
        pytest.param("foreign_admin", "RAL", [], id="foreign-admin-searches-our-codes"),
    ],
)
def test_client_list_search_stays_in_scope(client, request, everyone, persona, query, expected):
    client.force_login(request.getfixturevalue(persona))

    response = client.post(reverse("clients:search"), {"q": query}, follow=True)

    assert [c.code for c in response.context["page"].object_list] == expected
    client_b_link = reverse("clients:detail", args=[everyone["client_b"].pk])
    assert (f'href="{client_b_link}"' in response.text) == ("RAL-0002" in expected)


def test_client_list_shows_worker_only_their_clients(client, everyone, worker_a):
    client.force_login(worker_a)

    response = client.get(reverse("clients:list"))

    assert [c.code for c in response.context["page"].object_list] == ["RAL-0001"]
    assert "Adámková" in response.text
    assert "Bartoš" not in response.text
    assert "RAL-0002" not in response.text
    assert "Ondrová" not in response.text


@pytest.mark.parametrize(
    ("persona", "target", "status"),
    [
        pytest.param("worker_a", "client_a", 200, id="worker-a-own-client"),
        pytest.param("worker_a", "client_b", 404, id="worker-a-client-b"),
        pytest.param("worker_a", "client_other", 404, id="worker-a-other-project"),
        pytest.param("guarantor", "client_b", 200, id="guarantor-project-client"),
        pytest.param("guarantor", "client_other", 404, id="guarantor-other-project"),
        pytest.param("admin_user", "client_other", 200, id="admin-organisation-client"),
        pytest.param("admin_user", "client_foreign", 404, id="admin-foreign-client"),
        pytest.param("foreign_admin", "client_a", 404, id="foreign-admin-our-client"),
    ],
)
def test_client_detail_only_in_scope(client, request, everyone, persona, target, status):
    client.force_login(request.getfixturevalue(persona))
    target_client = everyone[target]

    response = client.get(reverse("clients:detail", args=[target_client.pk]))

    assert response.status_code == status
    assert (target_client.last_name in response.text) == (status == 200)


def _export_rows(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";"))


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        pytest.param("worker_a", [["RAL-0001", "Adámková", "Anna"]], id="worker-a"),
        pytest.param(
            "guarantor",
            [["RAL-0001", "Adámková", "Anna"], ["RAL-0002", "Bartoš", "Bedřich"]],
            id="guarantor",
        ),
        pytest.param("foreign_admin", [["VIT-0001", "Fiala", "Filip"]], id="foreign-admin"),
    ],
)
def test_client_export_contains_only_visible_clients(client, request, everyone, persona, expected):
    client.force_login(request.getfixturevalue(persona))

    response = client.get(reverse("clients:export"))

    rows = _export_rows(response)
    assert [row[:3] for row in rows[1:]] == expected
    assert response["Content-Type"] == "text/csv; charset=utf-8"


def test_client_export_applies_the_search_inside_the_scope(client, everyone, worker_a):
    client.force_login(worker_a)

    searched = client.post(reverse("clients:search"), {"q": "Bartoš"})
    token = searched["Location"].split("search=")[1]

    response = client.get(reverse("clients:export"), {"search": token})

    assert _export_rows(response)[1:] == []


# --- Records that follow the client -----------------------------------------------------------


def _task(client, project):
    return TaskFactory(client=client, project=project)


def _debt_case(client, project):
    return DebtCaseFactory(client=client, project=project)


def _housing(client, project):
    return HousingSituationFactory(client=client)


def _risk(client, project):
    return RiskAssessmentFactory(client=client, project=project)


def _plan(client, project):
    return IndividualPlanFactory(client=client, project=project)


def _document(client, project):
    return DocumentFactory(client=client, project=project)


FOLLOWERS = [
    pytest.param(Task, _task, id="task"),
    pytest.param(DebtCase, _debt_case, id="debt-case"),
    pytest.param(HousingSituation, _housing, id="housing-situation"),
    pytest.param(RiskAssessment, _risk, id="risk-assessment"),
    pytest.param(IndividualPlan, _plan, id="individual-plan"),
    pytest.param(Document, _document, id="document"),
]


@pytest.mark.parametrize(("model", "make"), FOLLOWERS)
@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        pytest.param("worker_a", ["client_a"], id="worker-a"),
        pytest.param("guarantor", ["client_a", "client_b"], id="guarantor"),
        pytest.param("other_guarantor", ["client_other"], id="other-guarantor"),
        pytest.param("foreign_admin", [], id="foreign-admin"),
    ],
)
def test_record_visibility_follows_the_client(
    request, everyone, project, other_project, model, make, persona, expected
):
    rows = {
        "client_a": make(everyone["client_a"], project),
        "client_b": make(everyone["client_b"], project),
        "client_other": make(everyone["client_other"], other_project),
    }
    user = request.getfixturevalue(persona)

    visible = model.objects.visible_to(user)

    assert sorted(row.pk for row in visible) == sorted(rows[name].pk for name in expected)


def test_worker_sees_own_task_without_client(everyone, worker_a, worker_b):
    own = TaskFactory(owner=worker_a, title="Zavolat na úřad práce")
    TaskFactory(owner=worker_b, title="Cizí úkol")

    visible = Task.objects.visible_to(worker_a)

    assert list(visible) == [own]


@pytest.mark.parametrize(("model", "make"), FOLLOWERS)
def test_inactive_user_sees_no_records(everyone, project, guarantor, model, make):
    make(everyone["client_a"], project)
    guarantor.is_active = False
    guarantor.save(update_fields=["is_active"])

    visible = model.objects.visible_to(guarantor)

    assert list(visible) == []


# --- A client in two projects: each project's records stay with its own staff -----------------

PROJECT_BOUND = [param for param in FOLLOWERS if param.id not in {"housing-situation"}]


@pytest.mark.parametrize(("model", "make"), PROJECT_BOUND)
@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        pytest.param("worker_a", ["here"], id="worker-a"),
        pytest.param("guarantor", ["here"], id="guarantor"),
        pytest.param("other_guarantor", ["there"], id="other-guarantor"),
        pytest.param("admin_user", ["here", "there"], id="admin"),
    ],
)
def test_project_records_of_a_client_in_two_projects_stay_in_their_project(
    request, everyone, project, other_project, model, make, persona, expected
):
    client_a = everyone["client_a"]
    EnrolmentFactory(client=client_a, project=other_project, entry_date=other_project.start_date)
    rows = {"here": make(client_a, project), "there": make(client_a, other_project)}
    user = request.getfixturevalue(persona)

    visible = model.objects.visible_to(user)

    assert sorted(row.pk for row in visible) == sorted(rows[name].pk for name in expected)


def test_worker_does_not_see_their_clients_interventions_in_another_project(
    everyone, project, other_project, worker_a, other_guarantor
):
    client_a = everyone["client_a"]
    EnrolmentFactory(client=client_a, project=other_project, entry_date=other_project.start_date)
    here = InterventionFactory(project=project, workers=[worker_a], participants=[client_a])
    there = InterventionFactory(
        project=other_project, workers=[other_guarantor], participants=[client_a]
    )

    assert list(Intervention.objects.visible_to(worker_a)) == [here]
    assert list(Intervention.objects.visible_to(other_guarantor)) == [there]
