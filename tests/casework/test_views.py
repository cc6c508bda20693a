"""Login, the home page of each role, the project page, password change, language, query counts."""

import datetime as dt

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.forms import AuthenticationForm
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from casework.roles import Role
from tests.factories import (
    CaseAssignmentFactory,
    ClientFactory,
    EnrolmentFactory,
    HouseholdFactory,
    InterventionFactory,
    LocalityFactory,
    MembershipFactory,
    ProjectFactory,
    TaskFactory,
)

pytestmark = pytest.mark.django_db

PASSWORD = "heslo-pro-testy-2026"  # noqa: S105 - UserFactory's test password


# --- Login ------------------------------------------------------------------------------------


def test_login_page_renders_the_form(client):
    response = client.get(reverse("login"))

    assert response.status_code == 200
    assert 'name="username"' in response.text
    assert 'name="password"' in response.text
    assert response.templates[0].name == "registration/login.html"


def test_login_with_good_credentials_goes_home(client, worker_a):
    response = client.post(reverse("login"), {"username": "alice", "password": PASSWORD})

    assert (response.status_code, response.url) == (302, reverse("home"))
    assert client.session[SESSION_KEY] == str(worker_a.pk)


def test_login_with_bad_credentials_shows_error(client, worker_a):
    response = client.post(reverse("login"), {"username": "alice", "password": "spatne-heslo"})

    form = response.context["form"]
    message = AuthenticationForm.error_messages["invalid_login"] % {
        "username": form.username_field.verbose_name
    }
    assert response.status_code == 200
    assert [error.code for error in form.non_field_errors().as_data()] == ["invalid_login"]
    assert escape(message) in response.text
    assert SESSION_KEY not in client.session


def test_inactive_user_cannot_log_in(client, worker_a):
    worker_a.is_active = False
    worker_a.save(update_fields=["is_active"])

    response = client.post(reverse("login"), {"username": "alice", "password": PASSWORD})

    assert response.status_code == 200
    assert SESSION_KEY not in client.session


# --- Home -------------------------------------------------------------------------------------


def test_worker_home_lists_own_clients_only(client, worker_a, client_a, client_b):
    client.force_login(worker_a)

    response = client.get(reverse("home"))

    assert [c.code for c in response.context["worker"].recent_clients] == ["RAL-0001"]
    assert client_a.full_name in response.text
    assert client_b.full_name not in response.text
    assert "projects" not in response.context


def test_worker_home_shows_own_open_tasks(client, worker_a, worker_b, client_a):
    today = timezone.localdate()
    TaskFactory(owner=worker_a, client=client_a, title="Odvolání proti rozhodnutí", due_date=today)
    TaskFactory(owner=worker_b, title="Úkol kolegy", due_date=today)

    client.force_login(worker_a)
    response = client.get(reverse("home"))

    assert [t.title for t in response.context["worker"].open_tasks] == ["Odvolání proti rozhodnutí"]
    assert "Úkol kolegy" not in response.text


@pytest.mark.parametrize(
    ("persona", "shown", "hidden"),
    [
        pytest.param(
            "guarantor",
            ["Preventivní sociální práce v Ralsku"],
            ["Mládež bez dluhů", "Terénní sociální práce Vítkov"],
            id="guarantor-own-project",
        ),
        pytest.param(
            "admin_user",
            # Newest project first.
            ["Mládež bez dluhů", "Preventivní sociální práce v Ralsku"],
            ["Terénní sociální práce Vítkov"],
            id="admin-organisation-projects",
        ),
        pytest.param(
            "foreign_admin",
            ["Terénní sociální práce Vítkov"],
            ["Preventivní sociální práce v Ralsku", "Mládež bez dluhů"],
            id="foreign-admin-their-project",
        ),
    ],
)
def test_manager_home_lists_managed_projects(
    client, request, other_project, foreign_project, persona, shown, hidden
):
    client.force_login(request.getfixturevalue(persona))

    response = client.get(reverse("home"))

    assert [s.project.name for s in response.context["projects"]] == shown
    assert [name for name in shown + hidden if name in response.text] == shown
    assert "worker" not in response.context


def test_guarantor_home_counts_project_figures(client, guarantor, project, client_a, client_b):
    InterventionFactory(project=project, date=timezone.localdate(), duration_minutes=90)

    client.force_login(guarantor)
    response = client.get(reverse("home"))

    (summary,) = response.context["projects"]
    assert (summary.enrolled, summary.active_clients, summary.interventions_this_month) == (2, 2, 1)
    assert summary.hours_this_month == 1.5


def test_home_of_user_without_role_says_so(client, django_user_model):
    nobody = django_user_model.objects.create_user("nikdo", password=PASSWORD)
    client.force_login(nobody)

    response = client.get(reverse("home"))

    assert response.context["roles"] == set()
    assert "worker" not in response.context
    assert "projects" not in response.context


# --- Project page -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        pytest.param("worker_a", 200, id="worker-member"),
        pytest.param("guarantor", 200, id="guarantor-member"),
        pytest.param("admin_user", 200, id="admin"),
        pytest.param("other_guarantor", 404, id="guarantor-of-another-project"),
        pytest.param("foreign_admin", 404, id="foreign-admin"),
    ],
)
def test_project_detail_only_for_members(client, request, project, persona, status):
    client.force_login(request.getfixturevalue(persona))

    response = client.get(reverse("project_detail", args=[project.pk]))

    assert response.status_code == status
    assert (project.name in response.text) == (status == 200)


def test_project_detail_for_admin_of_same_organisation(client, admin_user, other_project):
    client.force_login(admin_user)

    response = client.get(reverse("project_detail", args=[other_project.pk]))

    assert response.context["project"] == other_project
    assert other_project.registration_number in response.text


# --- Password and language --------------------------------------------------------------------


def test_password_change(client, worker_a):
    client.force_login(worker_a)
    new_password = "Zeleny-Kopec-u-Ralska-2026"  # noqa: S105 - a test password

    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": new_password, "new_password2": new_password},
    )

    worker_a.refresh_from_db()
    assert (response.status_code, response.url) == (302, reverse("password_change_done"))
    assert worker_a.check_password(new_password) is True


def test_password_change_with_wrong_old_password_keeps_password(client, worker_a):
    client.force_login(worker_a)

    response = client.post(
        reverse("password_change"),
        {
            "old_password": "spatne",
            "new_password1": "Zeleny-Kopec-u-Ralska-2026",
            "new_password2": "Zeleny-Kopec-u-Ralska-2026",
        },
    )

    worker_a.refresh_from_db()
    assert list(response.context["form"].errors) == ["old_password"]
    assert worker_a.check_password(PASSWORD) is True


def test_language_switch_to_english(client, worker_a):
    client.force_login(worker_a)
    before = client.get(reverse("home"))

    client.post(reverse("set_language"), {"language": "en", "next": reverse("home")})
    after = client.get(reverse("home"))

    assert '<html lang="cs">' in before.text
    assert '<html lang="en">' in after.text


# --- Query counts: the same at 1 and 3 rows ---------------------------------------------------


def _caseload(project, worker, size):
    """``size`` clients assigned to the worker, each with a locality, household and open task."""
    locality = LocalityFactory(organisation=project.organisation)
    today = timezone.localdate()
    for _ in range(size):
        client = ClientFactory(
            organisation=project.organisation,
            locality=locality,
            household=HouseholdFactory(organisation=project.organisation),
        )
        EnrolmentFactory(client=client, project=project)
        CaseAssignmentFactory(client=client, project=project, worker=worker)
        TaskFactory(owner=worker, client=client, due_date=today + dt.timedelta(days=1))
        InterventionFactory(project=project, date=today, participants=[client])


@pytest.mark.parametrize("size", [1, 3])
def test_client_list_query_count(client, django_assert_num_queries, project, worker_a, size):
    _caseload(project, worker_a, size)
    client.force_login(worker_a)

    # session, user, roles (navigation), filter choices (project, locality, worker), page
    # rows; a page shorter than the page size needs no count.
    with django_assert_num_queries(7):
        response = client.get(reverse("clients:list"))

    assert len(response.context["page"].object_list) == size


@pytest.mark.parametrize("size", [1, 3])
def test_worker_home_query_count(client, django_assert_num_queries, project, worker_a, size):
    _caseload(project, worker_a, size)
    client.force_login(worker_a)

    # session, user, roles (once, cached for the navigation), client count, recent clients,
    # open tasks, overdue count, not-contacted clients and their count, plans for review,
    # housing risk re-assessments due.
    with django_assert_num_queries(11):
        response = client.get(reverse("home"))

    assert len(response.context["worker"].recent_clients) == size


@pytest.mark.parametrize("size", [1, 3])
def test_manager_home_query_count(client, django_assert_num_queries, organisation, size):
    projects = [ProjectFactory(organisation=organisation) for _ in range(size)]
    admin = MembershipFactory(project=projects[0], role=Role.ADMIN).user
    for project in projects:
        _caseload(project, MembershipFactory(project=project).user, 2)
    client.force_login(admin)

    # session, user, roles (once, cached for the navigation), projects, extensions, three
    # summary aggregates, acute housing cases.
    with django_assert_num_queries(9):
        response = client.get(reverse("home"))

    assert len(response.context["projects"]) == size
