"""Institutions as parties to interventions (issue 5.5): logging, editing, detail, list filter."""

import datetime as dt
import uuid
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.urls import reverse
from django.utils.translation import gettext

from casework import forms, services
from casework.models import DeliveryMode, Institution, InstitutionKind, Intervention
from tests.factories import (
    InstitutionFactory,
    InterventionFactory,
    KeyActivityFactory,
    OrganisationFactory,
)

pytestmark = pytest.mark.django_db

TODAY = dt.date(2021, 3, 15)


@pytest.fixture(autouse=True)
def _today(time_machine):
    # A day inside the Ralsko project, so that "today" is a valid date for a visit.
    time_machine.move_to(dt.datetime(2021, 3, 15, 10, 0, tzinfo=ZoneInfo("Europe/Prague")))


@pytest.fixture
def ka05(project):
    return KeyActivityFactory(project=project, code="KA 05", name="Bydlení")


@pytest.fixture
def housing_fund(organisation):
    return InstitutionFactory(
        organisation=organisation, name="Bytový fond Ralsko", kind=InstitutionKind.HOUSING_FUND
    )


@pytest.fixture
def labour_office(organisation):
    return InstitutionFactory(
        organisation=organisation, name="ÚP Česká Lípa", kind=InstitutionKind.LABOUR_OFFICE
    )


@pytest.fixture
def foreign_institution(foreign_organisation):
    return InstitutionFactory(
        organisation=foreign_organisation,
        name="MěÚ Vítkov",
        kind=InstitutionKind.MUNICIPAL_OFFICE,
    )


def visit(project, key_activity, clients=(), **overrides) -> dict:
    data = {
        "project": project.pk,
        "key_activity": key_activity.pk,
        "date": TODAY.isoformat(),
        "duration_preset": "30",
        "delivery_mode": DeliveryMode.objects.get(code="field_visit").pk,
        "clients": [c.pk for c in clients],
        "submission_id": str(uuid.uuid4()),
    }
    data.update(overrides)
    return data


def logged_with(project, ka05, worker, client, institutions):
    return services.log_intervention(
        by=worker,
        project=project,
        key_activity=ka05,
        date=TODAY,
        duration_minutes=30,
        delivery_mode=DeliveryMode.objects.get(code="field_visit"),
        clients=[client],
        institutions=institutions,
    )


# --- The code list ----------------------------------------------------------------------------


def test_institution_name_is_unique_per_organisation(organisation, foreign_organisation):
    InstitutionFactory(organisation=organisation, name="Úřad práce")
    InstitutionFactory(organisation=foreign_organisation, name="Úřad práce")

    with pytest.raises(IntegrityError):
        InstitutionFactory(organisation=organisation, name="Úřad práce")


# --- Logging ----------------------------------------------------------------------------------


def test_log_with_institutions(client, project, worker_a, client_a, ka05, housing_fund):
    client.force_login(worker_a)

    response = client.post(
        reverse("intervention_create"),
        visit(project, ka05, [client_a], institutions=[housing_fund.pk]),
    )

    intervention = Intervention.objects.get()
    assert (response.status_code, response.url) == (302, intervention.get_absolute_url())
    assert list(intervention.institutions.all()) == [housing_fund]


def test_form_offers_only_the_organisations_institutions_in_use(
    client, worker_a, client_a, ka05, housing_fund, labour_office, foreign_institution
):
    InstitutionFactory(organisation=housing_fund.organisation, name="Zrušený", is_active=False)
    client.force_login(worker_a)

    response = client.get(reverse("intervention_create"))

    offered = list(response.context["form"].fields["institutions"].queryset)
    assert offered == [housing_fund, labour_office]
    assert gettext("Institutions involved") in response.text


def test_form_rejects_another_organisations_institution(
    client, project, worker_a, client_a, ka05, foreign_institution
):
    client.force_login(worker_a)

    response = client.post(
        reverse("intervention_create"),
        visit(project, ka05, [client_a], institutions=[foreign_institution.pk]),
    )

    assert response.status_code == 200
    assert response.context["form"].errors["institutions"] == [str(forms.UNKNOWN_INSTITUTION)]
    assert response.context["form"].details_have_errors is True
    assert Intervention.objects.count() == 0


def test_service_rejects_another_organisations_institution(
    project, worker_a, client_a, ka05, foreign_institution
):
    with pytest.raises(ValidationError) as excinfo:
        logged_with(project, ka05, worker_a, client_a, [foreign_institution])

    assert excinfo.value.message_dict == {
        "institutions": [str(services.INSTITUTION_NOT_OF_ORGANISATION)]
    }
    assert Intervention.objects.count() == 0


def test_edit_replaces_institutions(
    client, project, worker_a, client_a, ka05, housing_fund, labour_office
):
    intervention = logged_with(project, ka05, worker_a, client_a, [housing_fund])
    client.force_login(worker_a)

    form = client.get(reverse("intervention_edit", args=[intervention.pk])).context["form"]
    response = client.post(
        reverse("intervention_edit", args=[intervention.pk]),
        {
            "version": intervention.version,
            "key_activity": ka05.pk,
            "date": TODAY.isoformat(),
            "duration_other": "30",
            "delivery_mode": intervention.delivery_mode_id,
            "clients": [client_a.pk],
            "institutions": [labour_office.pk],
        },
    )

    intervention.refresh_from_db()
    assert form.initial["institutions"] == [housing_fund.pk]
    assert response.status_code == 302
    assert (list(intervention.institutions.all()), intervention.version) == ([labour_office], 2)


def test_edit_keeps_an_institution_no_longer_in_use(
    project, worker_a, client_a, ka05, housing_fund
):
    intervention = logged_with(project, ka05, worker_a, client_a, [housing_fund])
    Institution.objects.filter(pk=housing_fund.pk).update(is_active=False)

    form = forms.InterventionForm(user=worker_a, instance=intervention)

    assert list(form.fields["institutions"].queryset) == [housing_fund]


# --- Detail -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [("worker_a", 200), ("guarantor", 200), ("admin_user", 200), ("worker_b", 404)],
)
def test_detail_shows_institutions_by_role(
    client, request, project, worker_a, client_a, ka05, housing_fund, persona, status
):
    intervention = logged_with(project, ka05, worker_a, client_a, [housing_fund])
    client.force_login(request.getfixturevalue(persona))

    response = client.get(reverse("intervention_detail", args=[intervention.pk]))

    assert response.status_code == status
    shown = f"Bytový fond Ralsko ({gettext('Housing fund')})"
    assert (shown in response.text) == (status == 200)


def test_detail_without_institutions_has_no_row(client, project, worker_a, client_a, ka05):
    intervention = logged_with(project, ka05, worker_a, client_a, [])
    client.force_login(worker_a)

    response = client.get(reverse("intervention_detail", args=[intervention.pk]))

    assert gettext("Institutions involved") not in response.text


# --- The list filter --------------------------------------------------------------------------


def test_list_filters_by_institution(
    client, project, worker_a, client_a, ka05, housing_fund, labour_office
):
    with_fund = logged_with(project, ka05, worker_a, client_a, [housing_fund, labour_office])
    logged_with(project, ka05, worker_a, client_a, [labour_office])
    logged_with(project, ka05, worker_a, client_a, [])
    client.force_login(worker_a)

    response = client.get(reverse("intervention_list"), {"institution": housing_fund.pk})

    assert list(response.context["page"].object_list) == [with_fund]


def test_list_filter_offers_only_institutions_of_visible_organisations(
    client, worker_a, housing_fund, foreign_institution
):
    OrganisationFactory()
    client.force_login(worker_a)

    response = client.get(reverse("intervention_list"))

    offered = list(response.context["filter"].form.fields["institution"].queryset)
    assert offered == [housing_fund]


def test_list_filter_ignores_a_foreign_institution_id(
    client, project, worker_a, client_a, ka05, foreign_institution
):
    logged_with(project, ka05, worker_a, client_a, [])
    client.force_login(worker_a)

    response = client.get(reverse("intervention_list"), {"institution": foreign_institution.pk})

    assert "institution" in response.context["filter"].form.errors


@pytest.mark.parametrize("size", [1, 3])
def test_list_query_count_with_institutions(
    client, django_assert_num_queries, project, worker_a, client_a, ka05, housing_fund, size
):
    for _ in range(size):
        InterventionFactory(
            project=project,
            key_activity=ka05,
            created_by=worker_a,
            workers=[worker_a],
            participants=[client_a],
        ).institutions.set([housing_fund])
    client.force_login(worker_a)

    # session, user, roles (navigation), the chosen institution (filter validation), filter
    # choices (project, key activity, institution), rows with their clients, workers and
    # topics. Unfiltered it is 7, as in test_interventions.test_log_query_count.
    with django_assert_num_queries(8):
        response = client.get(reverse("intervention_list"), {"institution": housing_fund.pk})

    assert len(response.context["page"].object_list) == size
