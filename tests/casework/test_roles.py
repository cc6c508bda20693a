"""Each role's scope over projects, interventions, memberships and reports, and the login gate."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import URLPattern, reverse

from casework import urls as casework_urls
from casework.models import Intervention, Membership, Project
from casework.roles import Role, has_role, manages_project, roles_of
from clients import urls as clients_urls
from debts import urls as debts_urls
from housing import urls as housing_urls
from reports.models import GeneratedReport
from tests.factories import GeneratedReportFactory, InterventionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def all_projects(project, other_project, foreign_project):
    return {"project": project, "other_project": other_project, "foreign_project": foreign_project}


@pytest.fixture
def personas(worker_a, worker_b, guarantor, admin_user, other_guarantor, foreign_admin):
    return {
        "worker_a": worker_a,
        "worker_b": worker_b,
        "guarantor": guarantor,
        "admin_user": admin_user,
        "other_guarantor": other_guarantor,
        "foreign_admin": foreign_admin,
    }


# --- Projects ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "visible", "managed"),
    [
        pytest.param("worker_a", ["RAL"], [], id="worker"),
        pytest.param("guarantor", ["RAL"], ["RAL"], id="guarantor"),
        pytest.param("other_guarantor", ["MLA"], ["MLA"], id="other-guarantor"),
        # Ordered by start date, newest first: MLA (2021) before RAL (2020).
        pytest.param("admin_user", ["MLA", "RAL"], ["MLA", "RAL"], id="admin-whole-organisation"),
        pytest.param("foreign_admin", ["VIT"], ["VIT"], id="foreign-admin"),
    ],
)
def test_project_visible_to_and_managed_by(all_projects, personas, persona, visible, managed):
    user = personas[persona]

    visible_codes = list(Project.objects.visible_to(user).values_list("code", flat=True))
    managed_codes = list(Project.objects.managed_by(user).values_list("code", flat=True))

    assert (visible_codes, managed_codes) == (visible, managed)
    # The one-project check answers as the queryset does, for every project.
    assert sorted(
        code for code, project in all_projects.items() if manages_project(user, project.pk)
    ) == sorted(code for code, project in all_projects.items() if project.code in managed)


def test_inactive_admin_sees_and_manages_no_project(all_projects, admin_user):
    admin_user.is_active = False
    admin_user.save(update_fields=["is_active"])

    assert list(Project.objects.visible_to(admin_user)) == []
    assert list(Project.objects.managed_by(admin_user)) == []
    assert not any(manages_project(admin_user, p.pk) for p in all_projects.values())


def test_superuser_sees_every_project(all_projects, django_user_model):
    superuser = django_user_model.objects.create_superuser("root", "root@example.cz", "x" * 12)

    codes = sorted(Project.objects.visible_to(superuser).values_list("code", flat=True))

    assert codes == ["MLA", "RAL", "VIT"]
    assert all(manages_project(superuser, p.pk) for p in all_projects.values())


# --- Roles ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "roles"),
    [
        pytest.param("worker_a", {Role.WORKER}, id="worker"),
        pytest.param("guarantor", {Role.GUARANTOR}, id="guarantor"),
        pytest.param("admin_user", {Role.ADMIN}, id="admin"),
    ],
)
def test_roles_of(personas, persona, roles):
    assert roles_of(personas[persona]) == roles


def test_roles_of_person_with_two_roles(personas, other_project, worker_a):
    Membership.objects.create(user=worker_a, project=other_project, role=Role.GUARANTOR)

    assert roles_of(worker_a) == {Role.WORKER, Role.GUARANTOR}
    assert has_role(worker_a, Role.GUARANTOR, Role.ADMIN) is True
    assert has_role(worker_a, Role.ADMIN) is False


def test_inactive_and_anonymous_users_hold_no_role(personas, guarantor):
    guarantor.is_active = False
    guarantor.save(update_fields=["is_active"])

    assert (roles_of(guarantor), roles_of(AnonymousUser())) == (set(), set())


def test_access_is_one_query_and_follows_membership_changes(
    django_assert_num_queries, project, other_project, foreign_project, admin_user, worker_a
):
    from casework.roles import access_of

    with django_assert_num_queries(1):
        access = access_of(admin_user)
    # The admin manages every project of the organisation, not the other organisation's.
    assert set(access.managed_projects) == {project.pk, other_project.pk}
    assert foreign_project.pk not in access.managed_projects
    with django_assert_num_queries(0):
        access_of(admin_user)  # cached on the user object

    assert Project.objects.visible_to(worker_a).filter(pk=other_project.pk).exists() is False
    membership = Membership.objects.create(user=worker_a, project=other_project, role=Role.WORKER)
    assert Project.objects.visible_to(worker_a).filter(pk=other_project.pk).exists() is True
    membership.delete()
    assert Project.objects.visible_to(worker_a).filter(pk=other_project.pk).exists() is False
    Membership.objects.filter(user=worker_a).delete()
    assert roles_of(worker_a) == set()


# --- Memberships ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        pytest.param("worker_a", ["alice"], id="worker-only-own"),
        pytest.param("guarantor", ["adela", "alice", "bob", "gustav"], id="guarantor-project"),
        pytest.param("foreign_admin", ["frantisek"], id="foreign-admin"),
    ],
)
def test_membership_visible_to(personas, persona, expected):
    usernames = Membership.objects.visible_to(personas[persona]).values_list(
        "user__username", flat=True
    )

    assert sorted(usernames) == expected


# --- Interventions ----------------------------------------------------------------------------


@pytest.fixture
def interventions(project, other_project, worker_a, worker_b, client_a, client_b, client_other):
    """Worker A's own log, worker B's visit to A's client, B's work with B's client, and one in
    the other project."""
    return {
        "a_alone": InterventionFactory(project=project, workers=[worker_a], record="a_alone"),
        "b_with_client_a": InterventionFactory(
            project=project, workers=[worker_b], participants=[client_a], record="b_with_client_a"
        ),
        "b_with_client_b": InterventionFactory(
            project=project, workers=[worker_b], participants=[client_b], record="b_with_client_b"
        ),
        "other_project": InterventionFactory(
            project=other_project, participants=[client_other], record="other_project"
        ),
    }


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        pytest.param("worker_a", ["a_alone", "b_with_client_a"], id="worker-a-own-and-clients"),
        pytest.param("worker_b", ["b_with_client_a", "b_with_client_b"], id="worker-b-own"),
        pytest.param(
            "guarantor", ["a_alone", "b_with_client_a", "b_with_client_b"], id="guarantor"
        ),
        pytest.param("other_guarantor", ["other_project"], id="other-guarantor"),
        pytest.param(
            "admin_user",
            ["a_alone", "b_with_client_a", "b_with_client_b", "other_project"],
            id="admin",
        ),
        pytest.param("foreign_admin", [], id="foreign-admin"),
    ],
)
def test_intervention_visible_to(interventions, personas, persona, expected):
    records = Intervention.objects.visible_to(personas[persona]).values_list("record", flat=True)

    assert sorted(records) == expected


def test_worker_loses_clients_interventions_when_assignment_ends(interventions, worker_a, client_a):
    client_a.assignments.update(ended_on=client_a.enrolments.get().entry_date)

    records = Intervention.objects.visible_to(worker_a).values_list("record", flat=True)

    assert list(records) == ["a_alone"]


def test_inactive_worker_sees_no_interventions(interventions, worker_a):
    worker_a.is_active = False
    worker_a.save(update_fields=["is_active"])

    assert list(Intervention.objects.visible_to(worker_a)) == []


# --- Generated reports ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        pytest.param("worker_a", [], id="worker-none-even-in-own-project"),
        pytest.param("guarantor", ["RAL"], id="guarantor"),
        pytest.param("other_guarantor", ["MLA"], id="other-guarantor"),
        pytest.param("admin_user", ["MLA", "RAL"], id="admin"),
        pytest.param("foreign_admin", [], id="foreign-admin"),
    ],
)
def test_generated_report_visible_to(all_projects, personas, persona, expected):
    GeneratedReportFactory(project=all_projects["project"])
    GeneratedReportFactory(project=all_projects["other_project"])

    reports = GeneratedReport.objects.visible_to(personas[persona])

    assert sorted(report.project.code for report in reports) == expected


# --- Logged out: every screen sends the visitor to the login page ---------------------------

# The service worker and the offline page are the same for everyone and carry no personal data.
# The health check answers load balancers: no sign-in, no personal data (tests/deploy).
PUBLIC = {"login", "logout", "service_worker", "offline", "health"}


def _login_required_urls():
    urls = []
    modules = [("", casework_urls), ("clients:", clients_urls), ("debts:", debts_urls)]
    modules.append(("housing:", housing_urls))
    for namespace, module in modules:
        for pattern in module.urlpatterns:
            if not isinstance(pattern, URLPattern) or pattern.name in PUBLIC:
                continue
            kwargs = {name: 1 for name in pattern.pattern.converters}
            urls.append(pytest.param(namespace + pattern.name, kwargs, id=namespace + pattern.name))
    return urls


LOGIN_REQUIRED = _login_required_urls()


def test_login_required_list_covers_every_screen():
    names = sorted(param.values[0] for param in LOGIN_REQUIRED)

    assert names == [
        "board",
        "board_worker",
        "clients:create",
        "clients:detail",
        "clients:document_download",
        "clients:document_upload",
        "clients:edit",
        "clients:enrolment_edit",
        "clients:export",
        "clients:list",
        "clients:plan_create",
        "clients:plan_detail",
        "clients:plan_edit",
        "clients:plan_print",
        "clients:plan_sign",
        "clients:reassign",
        "clients:search",
        "clients:task_create",
        "clients:task_done",
        "clients:task_edit",
        "clients:task_list",
        "debts:action_create",
        "debts:action_edit",
        "debts:analysis_create",
        "debts:analysis_detail",
        "debts:analysis_edit",
        "debts:analysis_pdf",
        "debts:baseline_take",
        "debts:create",
        "debts:debt_create",
        "debts:debt_edit",
        "debts:debt_status",
        "debts:debt_status_change",
        "debts:detail",
        "debts:outcome_create",
        "draft_discard",
        "draft_save",
        "home",
        "housing:assess",
        "housing:change",
        "housing:create",
        "housing:detail",
        "housing:factor_set_revise",
        "housing:list",
        "housing:outcome",
        "intervention_create",
        "intervention_detail",
        "intervention_edit",
        "intervention_list",
        "outreach_create",
        "outreach_link",
        "outreach_list",
        "password_change",
        "password_change_done",
        "project_dashboard",
        "project_detail",
    ]


@pytest.mark.parametrize(("name", "kwargs"), LOGIN_REQUIRED)
def test_logged_out_visitor_is_sent_to_login(client, name, kwargs):
    url = reverse(name, kwargs=kwargs)

    response = client.get(url)

    assert (response.status_code, response.url) == (302, f"{reverse('login')}?next={url}")
