"""The debt case page, opening a case and the debt register screens, per role."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from casework.conflicts import CONFLICT_MESSAGE
from debts.forms import (
    CREDITOR_MISSING,
    DATE_IN_FUTURE,
    INSTALMENT_ABOVE_TOTAL,
    NEGATIVE_AMOUNT,
    NO_PROJECT,
    STATUS_BEFORE_ORIGIN,
)
from debts.models import (
    ActionKind,
    Debt,
    DebtAction,
    DebtCase,
    DebtKind,
    DebtOutcome,
    DebtStatus,
    InformationSource,
    OutcomeKind,
)
from debts.services import STATUS_BEFORE_LAST_CHANGE, STATUS_UNCHANGED
from tests.factories import (
    ClientFactory,
    CreditorFactory,
    CreditorTypeFactory,
    DebtCaseFactory,
    DebtFactory,
    HouseholdFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def case_a(project, client_a):
    return DebtCaseFactory(project=project, client=client_a)


@pytest.fixture
def case_b(project, client_b):
    return DebtCaseFactory(project=project, client=client_b)


def _debt_data(creditor=None, **overrides):
    data = {
        "creditor": creditor.pk if creditor else "",
        "kind": DebtKind.ENFORCEMENT,
        "bailiff_office": "EÚ Praha 4",
        "case_reference": "120 EX 1234/21",
        "principal": "10000.00",
        "interest": "1500.00",
        "costs": "500.00",
        "monthly_instalment": "1000.00",
        "originated_on": "2019-05-01",
        "status": DebtStatus.ACTIVE,
        "status_since": "2020-09-01",
        "source": InformationSource.CEE,
    }
    return {**data, **overrides}


# --- Access ------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["worker_a", "guarantor", "admin_user"])
def test_debt_case_detail_shows_the_register_to_roles_in_scope(client, request, case_a, persona):
    debt = DebtFactory(case=case_a, case_reference="120 EX 1/21")
    client.force_login(request.getfixturevalue(persona))

    response = client.get(reverse("debts:detail", args=[case_a.pk]))

    assert list(response.context["debts"]) == [debt]
    assert "120 EX 1/21" in response.text


@pytest.mark.parametrize("persona", ["worker_b", "other_guarantor", "foreign_admin"])
def test_debt_case_detail_is_404_outside_the_scope(client, request, case_a, persona):
    DebtFactory(case=case_a, case_reference="120 EX 1/21")
    client.force_login(request.getfixturevalue(persona))

    response = client.get(reverse("debts:detail", args=[case_a.pk]))

    assert response.status_code == 404
    assert "120 EX 1/21" not in response.text


@pytest.mark.parametrize(
    ("name", "target"),
    [
        ("debts:debt_create", "case"),
        ("debts:debt_edit", "debt"),
        ("debts:debt_status", "debt"),
        ("debts:debt_status_change", "debt"),
    ],
)
def test_worker_cannot_reach_another_workers_debts_by_url(client, worker_a, case_b, name, target):
    debt = DebtFactory(case=case_b)
    client.force_login(worker_a)
    pk = case_b.pk if target == "case" else debt.pk

    response = client.post(reverse(name, args=[pk]), {"status": DebtStatus.PAID})

    assert response.status_code == 404
    assert Debt.objects.get().status == DebtStatus.ACTIVE


def test_worker_cannot_open_a_case_for_another_workers_client(client, worker_a, client_b, project):
    client.force_login(worker_a)

    response = client.post(
        reverse("debts:create", args=[client_b.pk]),
        {"project": project.pk, "opened_on": "2021-01-04"},
    )

    assert response.status_code == 404
    assert DebtCase.objects.count() == 0


# --- Opening a case -----------------------------------------------------------------------------


def test_worker_opens_a_debt_case_for_the_household(client, worker_a, client_a, project):
    household = HouseholdFactory(organisation=project.organisation)
    client_a.household = household
    client_a.save(update_fields=["household"])
    client.force_login(worker_a)

    response = client.post(
        reverse("debts:create", args=[client_a.pk]),
        {"project": project.pk, "opened_on": "2021-01-04", "for_household": "on"},
    )

    debt_case = DebtCase.objects.get()
    assert response.url == reverse("debts:detail", args=[debt_case.pk])
    assert (debt_case.client, debt_case.project, debt_case.household, debt_case.opened_on) == (
        client_a,
        project,
        household,
        dt.date(2021, 1, 4),
    )


def test_opening_a_case_in_the_future_is_refused(client, worker_a, client_a, project):
    client.force_login(worker_a)

    response = client.post(
        reverse("debts:create", args=[client_a.pk]),
        {"project": project.pk, "opened_on": "2999-01-01"},
    )

    assert response.context["form"].errors == {"opened_on": [str(DATE_IN_FUTURE)]}
    assert DebtCase.objects.count() == 0


# --- The register -------------------------------------------------------------------------------


def test_adding_a_debt_records_its_first_status(client, worker_a, case_a):
    creditor = CreditorFactory(organisation=case_a.project.organisation)
    client.force_login(worker_a)

    response = client.post(reverse("debts:debt_create", args=[case_a.pk]), _debt_data(creditor))

    debt = Debt.objects.get()
    assert response.url == reverse("debts:detail", args=[case_a.pk])
    assert (debt.creditor, debt.total) == (creditor, Decimal("12000.00"))
    assert [(c.status, c.changed_on, c.changed_by) for c in debt.status_history.all()] == [
        (DebtStatus.ACTIVE, dt.date(2020, 9, 1), worker_a)
    ]


def test_a_new_creditor_is_created_inline_in_the_cases_organisation(client, worker_a, case_a):
    creditor_type = CreditorTypeFactory()
    client.force_login(worker_a)
    data = _debt_data(
        new_creditor_name="Dopravní podnik Ralsko",
        new_creditor_type=creditor_type.pk,
    )

    client.post(reverse("debts:debt_create", args=[case_a.pk]), data)

    debt = Debt.objects.select_related("creditor").get()
    assert (debt.creditor.name, debt.creditor.organisation, debt.creditor.creditor_type) == (
        "Dopravní podnik Ralsko",
        case_a.project.organisation,
        creditor_type,
    )


def test_a_debt_without_a_creditor_is_refused(client, worker_a, case_a):
    client.force_login(worker_a)
    data = _debt_data()

    response = client.post(reverse("debts:debt_create", args=[case_a.pk]), data)

    assert response.context["form"].errors == {"creditor": [str(CREDITOR_MISSING)]}


@pytest.mark.parametrize(
    ("overrides", "errors"),
    [
        ({"principal": "-1.00"}, {"principal": [str(NEGATIVE_AMOUNT)]}),
        ({"costs": "-0.01"}, {"costs": [str(NEGATIVE_AMOUNT)]}),
        (
            {"monthly_instalment": "12000.01"},
            {
                "monthly_instalment": [
                    str(INSTALMENT_ABOVE_TOTAL)
                    % {"instalment": Decimal("12000.01"), "total": Decimal("12000.00")}
                ]
            },
        ),
        ({"originated_on": "2999-01-01"}, {"originated_on": [str(DATE_IN_FUTURE)]}),
        ({"status_since": "2999-01-01"}, {"status_since": [str(DATE_IN_FUTURE)]}),
        (
            {"status_since": "2019-04-30"},
            {"status_since": [str(STATUS_BEFORE_ORIGIN) % {"date": "1. 5. 2019"}]},
        ),
    ],
)
def test_bad_debt_input_is_refused_with_a_clear_message(
    client, worker_a, case_a, overrides, errors
):
    creditor = CreditorFactory(organisation=case_a.project.organisation)
    client.force_login(worker_a)

    response = client.post(
        reverse("debts:debt_create", args=[case_a.pk]), _debt_data(creditor, **overrides)
    )

    assert response.context["form"].errors == errors
    assert response.context["form"].data["case_reference"] == "120 EX 1234/21"
    assert Debt.objects.count() == 0


def test_an_instalment_equal_to_the_total_is_accepted(client, worker_a, case_a):
    creditor = CreditorFactory(organisation=case_a.project.organisation)
    client.force_login(worker_a)

    client.post(
        reverse("debts:debt_create", args=[case_a.pk]),
        _debt_data(creditor, monthly_instalment="12000.00"),
    )

    assert Debt.objects.get().monthly_instalment == Decimal("12000.00")


def test_editing_a_debt_increments_its_version(client, worker_a, case_a):
    debt = DebtFactory(case=case_a)
    client.force_login(worker_a)
    data = _debt_data(debt.creditor, principal="8000.00", version=1)

    client.post(reverse("debts:debt_edit", args=[debt.pk]), data)

    debt.refresh_from_db()
    assert (debt.principal, debt.total, debt.version) == (
        Decimal("8000.00"),
        Decimal("10000.00"),
        2,
    )


def test_editing_a_debt_changed_meanwhile_is_refused(client, worker_a, case_a):
    debt = DebtFactory(case=case_a, version=2)
    client.force_login(worker_a)
    data = _debt_data(debt.creditor, principal="8000.00", version=1)

    response = client.post(reverse("debts:debt_edit", args=[debt.pk]), data)

    debt.refresh_from_db()
    assert response.context["form"].non_field_errors() == [str(CONFLICT_MESSAGE)]
    assert response.context["form"].data["principal"] == "8000.00"
    assert debt.principal == Decimal("10000.00")


def test_changing_the_status_writes_the_history(client, worker_a, case_a):
    debt = DebtFactory(case=case_a)
    client.force_login(worker_a)

    response = client.post(
        reverse("debts:debt_status_change", args=[debt.pk]),
        {"status": DebtStatus.STOPPED, "changed_on": "2021-03-01", "note": "zastaveno"},
    )

    debt.refresh_from_db()
    assert response.url == reverse("debts:detail", args=[case_a.pk])
    assert (debt.status, debt.status_since) == (DebtStatus.STOPPED, dt.date(2021, 3, 1))
    assert [(c.status, c.changed_on, c.note) for c in debt.status_history.all()] == [
        (DebtStatus.STOPPED, dt.date(2021, 3, 1), "zastaveno")
    ]


def test_the_status_page_lists_the_history(client, worker_a, case_a):
    debt = DebtFactory(case=case_a)
    client.force_login(worker_a)

    response = client.get(reverse("debts:debt_status", args=[debt.pk]))

    assert list(response.context["history"]) == []
    assert response.context["debt"] == debt


def test_a_status_change_before_the_debt_arose_is_refused(client, worker_a, case_a):
    debt = DebtFactory(case=case_a, originated_on=dt.date(2020, 1, 1))
    client.force_login(worker_a)

    response = client.post(
        reverse("debts:debt_status_change", args=[debt.pk]),
        {"status": DebtStatus.PAID, "changed_on": "2019-12-31"},
    )

    assert response.context["form"].errors == {
        "changed_on": [str(STATUS_BEFORE_ORIGIN) % {"date": "1. 1. 2020"}]
    }
    assert Debt.objects.get().status == DebtStatus.ACTIVE


# --- Totals -------------------------------------------------------------------------------------


def test_totals_by_kind_and_status_and_for_the_household(client, guarantor, project, case_a):
    household = HouseholdFactory(organisation=project.organisation)
    DebtCase.objects.filter(pk=case_a.pk).update(household=household)
    other_case = DebtCaseFactory(project=project, household=household)
    DebtFactory(case=case_a, principal=Decimal("1000.00"))
    DebtFactory(
        case=case_a, principal=Decimal("300.00"), kind=DebtKind.REMINDER, status=DebtStatus.PAID
    )
    DebtFactory(case=other_case, principal=Decimal("50.00"))
    client.force_login(guarantor)

    response = client.get(reverse("debts:detail", args=[case_a.pk]))

    totals = response.context["totals"]
    assert (totals["total"], totals["owed"], totals["count"]) == (
        Decimal("1300.00"),
        Decimal("1000.00"),
        2,
    )
    assert [(r["code"], r["count"], r["amount"]) for r in totals["by_kind"]] == [
        (DebtKind.ENFORCEMENT, 1, Decimal("1000.00")),
        (DebtKind.REMINDER, 1, Decimal("300.00")),
    ]
    assert [(r["code"], r["amount"]) for r in totals["by_status"]] == [
        (DebtStatus.ACTIVE, Decimal("1000.00")),
        (DebtStatus.PAID, Decimal("300.00")),
    ]
    assert response.context["household_totals"]["owed"] == Decimal("1050.00")


def test_the_register_filters_by_status(client, worker_a, case_a):
    active = DebtFactory(case=case_a)
    DebtFactory(case=case_a, status=DebtStatus.PAID)
    client.force_login(worker_a)

    response = client.get(
        reverse("debts:detail", args=[case_a.pk]),
        {"status": DebtStatus.ACTIVE},
        headers={"HX-Request": "true"},
    )

    assert list(response.context["debts"]) == [active]
    assert "<html" not in response.text


@pytest.mark.parametrize("size", [1, 3])
def test_debt_case_detail_query_count(client, django_assert_num_queries, worker_a, case_a, size):
    for _ in range(size):
        debt = DebtFactory(case=case_a)
        action = DebtAction.objects.create(
            case=case_a,
            debt=debt,
            kind=ActionKind.LETTER,
            filed_on=case_a.opened_on,
            created_by=worker_a,
        )
        DebtOutcome.objects.create(
            case=case_a,
            debt=debt,
            action=action,
            kind=OutcomeKind.PAID,
            achieved_on=case_a.opened_on,
        )
    client.force_login(worker_a)

    # session, user, the case (scope), totals (overall, by kind, by status), roles
    # (navigation), analyses, actions, outcomes, figures now, the register rows.
    with django_assert_num_queries(12):
        response = client.get(reverse("debts:detail", args=[case_a.pk]))

    assert (len(response.context["debts"]), len(response.context["actions"])) == (size, size)
    assert "Věřitel" in response.text


def test_a_status_change_before_the_last_one_is_refused(client, worker_a, case_a):
    debt = DebtFactory(case=case_a, status_since=dt.date(2021, 6, 1))
    client.force_login(worker_a)

    response = client.post(
        reverse("debts:debt_status_change", args=[debt.pk]),
        {"status": DebtStatus.PAID, "changed_on": "2021-05-31"},
    )

    assert response.context["form"].non_field_errors() == [
        str(STATUS_BEFORE_LAST_CHANGE) % {"date": "1. 6. 2021"}
    ]
    assert Debt.objects.get().status == DebtStatus.ACTIVE


def test_a_status_change_to_the_same_status_is_refused(client, worker_a, case_a):
    debt = DebtFactory(case=case_a)
    client.force_login(worker_a)

    response = client.post(
        reverse("debts:debt_status_change", args=[debt.pk]),
        {"status": DebtStatus.ACTIVE, "changed_on": "2021-05-31"},
    )

    assert response.context["form"].non_field_errors() == [str(STATUS_UNCHANGED)]
    assert list(debt.status_history.all()) == []


def test_a_client_in_no_project_cannot_get_a_case(client, admin_user, organisation):
    # The admin sees every client of the organisation, but this one takes part in no project.
    outsider = ClientFactory(organisation=organisation)
    client.force_login(admin_user)

    response = client.post(reverse("debts:create", args=[outsider.pk]), {"opened_on": "2021-01-04"})

    assert response.context["form"].errors == {"project": [str(NO_PROJECT)]}
    assert DebtCase.objects.count() == 0
