import datetime as dt

import pytest
from django.urls import reverse

from casework.console import services
from casework.models import KeyActivity, Project, ReportingPeriod
from tests.factories import LocalityFactory, ProjectFactory, ReportingPeriodFactory, UserFactory

pytestmark = pytest.mark.django_db


def _settings_data(project, **changes):
    data = {
        "name": project.name,
        "registration_number": project.registration_number,
        "programme": project.programme,
        "start_date": project.start_date.isoformat(),
        "end_date": project.end_date.isoformat(),
        "participant_threshold_minutes": project.participant_threshold_minutes,
        "participants_in_service_use": "on",
        "fingerprint": services.project_fingerprint(project),
    }
    return {**data, **changes}


def test_admin_saves_project_settings(client, project, admin_user):
    locality = LocalityFactory(organisation=project.organisation)
    client.force_login(admin_user)

    response = client.post(
        reverse("console:project_edit", args=[project.pk]),
        _settings_data(project, name="Nový název", localities=[locality.pk]),
    )

    project.refresh_from_db()
    assert response.status_code == 302
    assert project.name == "Nový název"
    assert list(project.localities.all()) == [locality]


def test_concurrent_settings_edit_is_refused_and_input_kept(english, project, admin_user):
    stale = _settings_data(project, name="Moje změna")
    Project.objects.filter(pk=project.pk).update(name="Změna kolegy")
    english.force_login(admin_user)

    response = english.post(reverse("console:project_edit", args=[project.pk]), stale)

    project.refresh_from_db()
    assert project.name == "Změna kolegy"
    assert response.context["form"].non_field_errors() == [str(services.CHANGED_MEANWHILE)]
    assert 'value="Moje změna"' in response.text


def test_settings_end_before_start_is_refused(english, project, admin_user):
    english.force_login(admin_user)

    response = english.post(
        reverse("console:project_edit", args=[project.pk]),
        _settings_data(project, end_date="2019-01-01"),
    )

    assert response.context["form"].errors["end_date"] == [
        "The planned end cannot be earlier than the start."
    ]


def _rows_data(project, kind, rows, initial=0):
    rows_qs = {"activities": KeyActivity, "periods": ReportingPeriod}[kind].objects.filter(
        project=project
    )
    data = {
        f"{kind}-TOTAL_FORMS": str(len(rows)),
        f"{kind}-INITIAL_FORMS": str(initial),
        "rows-fingerprint": services.rows_fingerprint(rows_qs),
    }
    for index, row in enumerate(rows):
        data.update({f"{kind}-{index}-{key}": value for key, value in row.items()})
    return data


def test_admin_adds_key_activities(client, project, admin_user):
    client.force_login(admin_user)

    response = client.post(
        reverse("console:project_rows", args=[project.pk, "activities"]),
        _rows_data(
            project,
            "activities",
            [{"code": "KA 01", "name": "Motivace"}, {"code": "KA 02", "name": "Analýza dluhů"}],
        ),
    )

    assert response.status_code == 302
    assert list(project.key_activities.values_list("code", flat=True)) == ["KA 01", "KA 02"]


def test_overlapping_periods_are_refused(english, project, admin_user):
    english.force_login(admin_user)

    response = english.post(
        reverse("console:project_rows", args=[project.pk, "periods"]),
        _rows_data(
            project,
            "periods",
            [
                {"number": "1", "start_date": "2020-09-01", "end_date": "2021-03-31"},
                {"number": "2", "start_date": "2021-03-01", "end_date": "2021-08-31"},
            ],
        ),
    )

    assert response.context["formset"].non_form_errors() == [
        "Periods 1 and 2 overlap; reporting periods must not overlap."
    ]
    assert not ReportingPeriod.objects.exists()


def test_rows_changed_meanwhile_are_not_overwritten(english, project, admin_user):
    stale = _rows_data(
        project,
        "periods",
        [{"number": "1", "start_date": "2020-09-01", "end_date": "2021-02-28"}],
    )
    ReportingPeriodFactory(
        project=project, number=5, start_date=dt.date(2022, 1, 1), end_date=dt.date(2022, 6, 30)
    )
    english.force_login(admin_user)

    response = english.post(reverse("console:project_rows", args=[project.pk, "periods"]), stale)

    assert response.context["formset"].non_form_errors() == [str(services.CHANGED_MEANWHILE)]
    assert list(ReportingPeriod.objects.values_list("number", flat=True)) == [5]


def test_project_page_links_to_housing_factor_set(client, project, admin_user):
    from tests.factories import RiskFactorSetFactory

    factor_set = RiskFactorSetFactory(project=project)
    client.force_login(admin_user)

    response = client.get(reverse("console:project_edit", args=[project.pk]))

    assert reverse("housing:factor_set_revise", args=[factor_set.pk]) in response.text


@pytest.mark.parametrize("count", [1, 3])
def test_project_list_query_count(client, django_assert_num_queries, admin_user, project, count):
    for _ in range(count - 1):
        ProjectFactory(organisation=project.organisation)
    client.force_login(admin_user)

    # Session, user, roles; count, page of projects with organisations.
    with django_assert_num_queries(5):
        response = client.get(reverse("console:project_list"))

    assert len(response.context["page"].object_list) == count


def test_code_lists_are_read_only_for_admins(client, admin_user):
    client.force_login(admin_user)

    response = client.get(reverse("console:code_lists"))

    assert [slug for slug, *_ in response.context["lists"]] == [
        "topics",
        "delivery-modes",
        "intervention-types",
        "creditor-types",
    ]
    assert reverse("admin:index") not in response.text.split("<main")[1]


def test_superuser_adds_a_topic_and_admin_may_not(client, admin_user):
    from casework.models import Topic

    superuser = UserFactory(is_superuser=True)
    rows = Topic.objects.order_by("order", "name", "pk")
    data = {
        "codes-TOTAL_FORMS": str(len(rows) + 1),
        "codes-INITIAL_FORMS": str(len(rows)),
        "rows-fingerprint": services.rows_fingerprint(Topic.objects.all()),
    }
    for index, topic in enumerate(rows):
        data.update(
            {
                f"codes-{index}-id": topic.pk,
                f"codes-{index}-code": topic.code,
                f"codes-{index}-name": topic.name,
                f"codes-{index}-order": topic.order,
                f"codes-{index}-is_active": "on" if topic.is_active else "",
            }
        )
    new = len(rows)
    data.update(
        {
            f"codes-{new}-code": "energy",
            f"codes-{new}-name": "Energie",
            f"codes-{new}-order": "99",
            f"codes-{new}-is_active": "on",
        }
    )
    url = reverse("console:code_list_edit", args=["topics"])
    client.force_login(admin_user)
    refused = client.post(url, data)
    client.force_login(superuser)

    response = client.post(url, data)

    assert (refused.status_code, response.status_code) == (403, 302)
    assert Topic.objects.get(code="energy").name == "Energie"


def _new_project_data(organisation, **changes):
    data = {
        "organisation": organisation.pk,
        "code": "NOV",
        "name": "Nový projekt",
        "registration_number": "CZ.03.2.60/0.0/0.0/16_052/0099999",
        "programme": "opz_plus",
        "start_date": "2023-01-01",
        "end_date": "2024-12-31",
        "budget_eu": "850000.00",
        "budget_state": "100000.00",
        "budget_own": "50000.00",
    }
    return {**data, **changes}


def test_admin_creates_a_project_with_the_total_summed(client, organisation, admin_user):
    client.force_login(admin_user)

    response = client.post(reverse("console:project_create"), _new_project_data(organisation))

    created = Project.objects.get(code="NOV")
    assert response.status_code == 302
    assert (created.organisation, str(created.budget_total)) == (organisation, "1000000.00")


def test_project_code_taken_and_foreign_organisation_are_refused(
    english, organisation, foreign_organisation, admin_user, project
):
    english.force_login(admin_user)

    taken = english.post(
        reverse("console:project_create"), _new_project_data(organisation, code="ral")
    )
    foreign = english.post(
        reverse("console:project_create"), _new_project_data(foreign_organisation)
    )

    assert taken.context["form"].errors["code"] == [
        "The organisation already has a project with the code ral."
    ]
    assert foreign.context["form"].errors["organisation"] == ["Choose one of your organisations."]
    assert not Project.objects.filter(code__in=["NOV", "ral"]).exists()


def test_admin_adds_a_locality_and_a_duplicate_is_refused(english, organisation, admin_user):
    LocalityFactory(organisation=organisation, name="Hvězdov")
    english.force_login(admin_user)
    url = reverse("console:organisation_edit", args=[organisation.pk])

    def post(name):
        existing = list(organisation.localities.order_by("name"))
        data = {
            "name": organisation.name,
            "address": "",
            "fingerprint": services.organisation_fingerprint(organisation),
            "localities-TOTAL_FORMS": str(len(existing) + 1),
            "localities-INITIAL_FORMS": str(len(existing)),
        }
        for index, locality in enumerate(existing):
            data.update(
                {
                    f"localities-{index}-id": locality.pk,
                    f"localities-{index}-name": locality.name,
                    f"localities-{index}-municipality": locality.municipality,
                }
            )
        data.update(
            {
                f"localities-{len(existing)}-name": name,
                f"localities-{len(existing)}-municipality": "Ralsko",
            }
        )
        return english.post(url, data)

    added = post("Ploužnice")
    duplicate = post("Hvězdov")

    assert added.status_code == 302
    assert duplicate.context["form"].non_field_errors() == [str(services.ROWS_CONFLICT)]
    assert sorted(organisation.localities.values_list("name", flat=True)) == [
        "Hvězdov",
        "Ploužnice",
    ]
