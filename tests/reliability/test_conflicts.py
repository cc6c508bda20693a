"""Two people edit the same record: the second save shows both versions instead of overwriting.

Each test opens the edit form twice (two browser tabs, two people), saves the first, then
sends the second: the page answers 200 with the conflict message, a field-by-field table of
"your version" against "saved version", the second person's input still in the form, and the
stored record unchanged. Saving that form again is a deliberate overwrite and succeeds.
"""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils.html import escape

from casework.conflicts import CONFLICT_MESSAGE
from clients.models import PlanGoal
from tests.factories import (
    DebtAnalysisFactory,
    DebtCaseFactory,
    DebtFactory,
    EthosCategoryFactory,
    HousingSituationFactory,
    IndividualPlanFactory,
    TaskFactory,
)
from tests.reliability.forms_html import form_data

pytestmark = pytest.mark.django_db


def open_form(client, user, url):
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    action, data = form_data(response.text)
    return action or url, data


def race(client, first, second, url, *, field, mine, theirs):
    """``first`` and ``second`` open ``url``; ``first`` saves ``theirs``, then ``second`` sends
    ``mine`` for the same field. Returns the second response."""
    action_1, data_1 = open_form(client, first, url)
    action_2, data_2 = open_form(client, second, url)
    client.force_login(first)
    saved = client.post(action_1, {**data_1, field: theirs})
    assert saved.status_code == 302, saved.context and [
        getattr(saved.context.get(name), "errors", None) for name in ("form", "goals", "lines")
    ]
    client.force_login(second)
    return client.post(action_2, {**data_2, field: mine})


def assert_conflict(response, field, mine, theirs):
    assert response.status_code == 200
    conflict = response.context["conflict"]
    assert conflict is not None
    rows = {row.name: (row.yours, row.theirs) for row in conflict.fields}
    assert rows[field] == (mine, theirs)
    assert escape(str(CONFLICT_MESSAGE)) in response.text
    assert "data-conflict" in response.text
    # The user's input is kept in the form and the hidden version now names the saved one.
    _, kept = form_data(response.text)
    assert kept[field] == mine
    return kept


def test_client_edit_conflict(client, worker_a, guarantor, client_a):
    url = reverse("clients:edit", args=[client_a.pk])
    response = race(
        client, guarantor, worker_a, url, field="phone", mine="777 111 222", theirs="603 000 000"
    )
    kept = assert_conflict(response, "phone", "777 111 222", "603 000 000")
    client_a.refresh_from_db()
    assert client_a.phone.replace(" ", "") == "603000000"

    again = client.post(url, kept)
    client_a.refresh_from_db()
    assert again.status_code == 302
    assert client_a.phone.replace(" ", "") == "777111222"


def test_intervention_edit_conflict(client, worker_a, guarantor, logged_intervention):
    url = reverse("intervention_edit", args=[logged_intervention.pk])
    response = race(
        client, guarantor, worker_a, url, field="record", mine="Moje verze.", theirs="Garant."
    )
    assert_conflict(response, "record", "Moje verze.", "Garant.")
    logged_intervention.refresh_from_db()
    assert (logged_intervention.record, logged_intervention.version) == ("Garant.", 2)


def test_task_edit_conflict(client, worker_a, guarantor, client_a, project):
    task = TaskFactory(owner=worker_a, client=client_a, project=project, title="Zavolat")
    url = reverse("clients:task_edit", args=[task.pk])
    _, data = open_form(client, worker_a, url)
    client.post(url, {**data, "title": "Zavolat na úřad"})
    task.refresh_from_db()
    assert task.title == "Zavolat na úřad"
    response = client.post(url, {**data, "title": "Zavolat exekutorovi"})
    assert_conflict(response, "title", "Zavolat exekutorovi", "Zavolat na úřad")
    task.refresh_from_db()
    assert task.title == "Zavolat na úřad"


def test_plan_edit_conflict(client, worker_a, guarantor, client_a, project):
    plan = IndividualPlanFactory(project=project, client=client_a, created_by=worker_a)
    url = reverse("clients:plan_edit", args=[plan.pk])
    PlanGoal.objects.create(plan=plan, goal="Najít bydlení", order=1)
    response = race(
        client, guarantor, worker_a, url, field="evaluation", mine="Moje.", theirs="Jejich."
    )
    assert_conflict(response, "evaluation", "Moje.", "Jejich.")


def test_debt_edit_conflict(client, worker_a, guarantor, client_a, project):
    debt = DebtFactory(case=DebtCaseFactory(project=project, client=client_a))
    url = reverse("debts:debt_edit", args=[debt.pk])
    response = race(
        client, guarantor, worker_a, url, field="principal", mine="12000", theirs="15000"
    )
    assert response.status_code == 200
    rows = {row.name: row for row in response.context["conflict"].fields}
    assert "principal" in rows
    debt.refresh_from_db()
    assert debt.principal == 15000


def test_analysis_edit_conflict(client, worker_a, guarantor, client_a, project):
    analysis = DebtAnalysisFactory(
        case=DebtCaseFactory(project=project, client=client_a), created_by=worker_a
    )
    url = reverse("debts:analysis_edit", args=[analysis.pk])
    response = race(
        client, guarantor, worker_a, url, field="reasoning", mine="Moje.", theirs="Jejich."
    )
    assert_conflict(response, "reasoning", "Moje.", "Jejich.")


def test_housing_change_conflict(client, worker_a, guarantor, client_a, project):
    situation = HousingSituationFactory(
        client=client_a, valid_from=dt.date(2020, 9, 1), ethos=EthosCategoryFactory()
    )
    url = reverse("housing:change", args=[situation.pk])
    response = race(client, guarantor, worker_a, url, field="note", mine="Moje.", theirs="Jejich.")
    kept = assert_conflict(response, "note", "Moje.", "Jejich.")
    newest = client_a.housing_situations.order_by("-valid_from", "-pk").first()
    assert newest.note == "Jejich."
    assert response.context["form_action"] == reverse("housing:change", args=[newest.pk])
    assert kept["version"] == str(newest.version)
