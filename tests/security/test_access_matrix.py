"""The access matrix: every URL of the project × every persona × own / colleague's / foreign object.

``MATRIX`` lists each URL name once with how to build its URL for an object on each side, the
HTTP method, and the status each persona must get. Sides: ``own`` belongs to client_a (worker_a's
caseload in ``project``), ``colleague`` to client_b (worker_b's caseload in the same project) or
to ``other_project``, ``foreign`` to the second organisation (client_foreign, foreign_project).

A new URL name fails ``test_every_url_name_is_in_the_matrix`` until it gets a row here.
"""

import importlib
import pkgutil

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from casework.models import OutreachContact
from casework.roles import Role
from debts.models import ActionKind, DebtAction
from tests import security
from tests.factories import (
    CaseAssignmentFactory,
    DebtAnalysisFactory,
    DebtCaseFactory,
    DebtFactory,
    DocumentFactory,
    HousingSituationFactory,
    IndividualPlanFactory,
    InterventionFactory,
    MembershipFactory,
    RiskFactorSetFactory,
    TaskFactory,
    UserFactory,
    add_participant,
    add_worker,
)
from tests.security.matrix import (
    BAD_REQUEST,
    FORBIDDEN,
    LOGIN,
    NOT_FOUND,
    OK,
    PERSONAS,
    REDIRECT,
    SIDES,
    SKIPPED_NAMES,
    SKIPPED_NAMESPACES,
    Row,
    case_record,
    everyone,
    expect,
    managers_only,
    url,
)

pytestmark = pytest.mark.django_db

MATRIX: dict[str, Row] = {
    # --- casework ---------------------------------------------------------------------------
    "home": Row(url("home"), everyone()),
    "project_detail": Row(
        url("project_detail", "project"),
        expect(
            LOGIN,
            (OK, NOT_FOUND, NOT_FOUND),
            (OK, NOT_FOUND, NOT_FOUND),
            (OK, NOT_FOUND, NOT_FOUND),
            (OK, OK, NOT_FOUND),
            (NOT_FOUND, NOT_FOUND, OK),
        ),
    ),
    "project_dashboard": Row(
        url("project_dashboard", "project"),
        expect(
            LOGIN,
            (FORBIDDEN, NOT_FOUND, NOT_FOUND),
            (FORBIDDEN, NOT_FOUND, NOT_FOUND),
            (OK, NOT_FOUND, NOT_FOUND),
            (OK, OK, NOT_FOUND),
            (NOT_FOUND, NOT_FOUND, OK),
        ),
    ),
    "intervention_list": Row(url("intervention_list"), everyone(), htmx=True),
    # Only field workers log visits and outreach; managers get 403 (404 for a client they
    # may not see, which is checked first).
    "intervention_create": Row(
        url("intervention_create", query="?client={client}"),
        case_record(ok=FORBIDDEN, worker_ok=OK),
    ),
    "intervention_detail": Row(url("intervention_detail", "intervention"), case_record()),
    "intervention_edit": Row(url("intervention_edit", "intervention"), case_record()),
    "outreach_list": Row(url("outreach_list"), everyone()),
    "outreach_create": Row(
        url("outreach_create"), expect(LOGIN, OK, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN)
    ),
    "outreach_link": Row(url("outreach_link", "outreach"), case_record()),
    "board": Row(url("board"), expect(LOGIN, FORBIDDEN, FORBIDDEN, OK, OK, OK)),
    "board_worker": Row(url("board_worker", "worker"), managers_only()),
    "login": Row(url("login"), everyone(anonymous=OK)),
    "logout": Row(url("logout"), everyone(REDIRECT, anonymous=REDIRECT), method="post"),
    "password_change": Row(url("password_change"), everyone()),
    "password_change_done": Row(url("password_change_done"), everyone()),
    # --- clients ----------------------------------------------------------------------------
    "clients:list": Row(url("clients:list"), everyone(), htmx=True),
    "clients:export": Row(url("clients:export"), everyone()),
    "clients:search": Row(
        url("clients:search"),
        everyone(REDIRECT),
        method="post",
        data={"q": "Novák", "status": "active"},
        htmx=True,
        htmx_success=OK,
    ),
    "clients:detail": Row(url("clients:detail", "client"), case_record(), htmx=True),
    "clients:create": Row(url("clients:create"), everyone()),
    "clients:edit": Row(url("clients:edit", "client"), case_record()),
    "clients:enrolment_edit": Row(url("clients:enrolment_edit", "enrolment"), case_record()),
    "clients:reassign": Row(url("clients:reassign", "client"), managers_only()),
    "clients:plan_create": Row(url("clients:plan_create", "client"), case_record()),
    "clients:plan_detail": Row(url("clients:plan_detail", "plan"), case_record()),
    "clients:plan_edit": Row(url("clients:plan_edit", "plan"), case_record()),
    "clients:plan_sign": Row(
        url("clients:plan_sign", "plan"),
        case_record(ok=BAD_REQUEST, worker_ok=FORBIDDEN),
        method="post",
    ),
    "clients:plan_print": Row(url("clients:plan_print", "plan"), case_record()),
    "clients:task_list": Row(url("clients:task_list"), everyone(), htmx=True),
    "clients:task_create": Row(url("clients:task_create", query="?client={client}"), case_record()),
    "clients:task_edit": Row(url("clients:task_edit", "task"), case_record()),
    "clients:task_done": Row(
        url("clients:task_done", "task"),
        case_record(REDIRECT),
        method="post",
        htmx=True,
        htmx_success=OK,
    ),
    "clients:document_upload": Row(url("clients:document_upload", "client"), case_record()),
    "clients:document_download": Row(url("clients:document_download", "document"), case_record()),
    # --- debts ------------------------------------------------------------------------------
    "debts:create": Row(url("debts:create", "client"), case_record()),
    "debts:detail": Row(url("debts:detail", "debt_case"), case_record(), htmx=True),
    "debts:debt_create": Row(url("debts:debt_create", "debt_case"), case_record()),
    "debts:debt_edit": Row(url("debts:debt_edit", "debt"), case_record()),
    "debts:debt_status": Row(url("debts:debt_status", "debt"), case_record()),
    "debts:debt_status_change": Row(
        url("debts:debt_status_change", "debt"), case_record(), method="post"
    ),
    "debts:analysis_create": Row(url("debts:analysis_create", "debt_case"), case_record()),
    "debts:analysis_detail": Row(url("debts:analysis_detail", "analysis"), case_record()),
    "debts:analysis_edit": Row(url("debts:analysis_edit", "analysis"), case_record()),
    "debts:analysis_pdf": Row(url("debts:analysis_pdf", "analysis"), case_record()),
    "debts:action_create": Row(url("debts:action_create", "debt_case"), case_record()),
    "debts:action_edit": Row(url("debts:action_edit", "action"), case_record()),
    "debts:outcome_create": Row(url("debts:outcome_create", "debt_case"), case_record()),
    "debts:baseline_take": Row(
        url("debts:baseline_take", "debt_case"), case_record(REDIRECT), method="post"
    ),
    # --- housing ----------------------------------------------------------------------------
    "housing:list": Row(url("housing:list"), everyone(), htmx=True),
    "housing:detail": Row(url("housing:detail", "situation"), case_record()),
    "housing:change": Row(url("housing:change", "situation"), case_record()),
    # The clients all have a current situation, so "new" sends you to record a change.
    "housing:create": Row(url("housing:create", "client"), case_record(REDIRECT)),
    "housing:assess": Row(url("housing:assess", "client"), case_record()),
    "housing:outcome": Row(url("housing:outcome", "client"), case_record()),
    "housing:factor_set_revise": Row(
        url("housing:factor_set_revise", "factor_set"),
        expect(
            LOGIN,
            NOT_FOUND,
            NOT_FOUND,
            (OK, NOT_FOUND, NOT_FOUND),
            (OK, OK, NOT_FOUND),
            (NOT_FOUND, NOT_FOUND, OK),
        ),
    ),
}

EXTENSIONS = [
    importlib.import_module(f"{security.__name__}.{module.name}")
    for module in pkgutil.iter_modules(security.__path__)
    if module.name.startswith("matrix_")
]
for _extension in EXTENSIONS:
    assert not MATRIX.keys() & _extension.ROWS.keys(), _extension.__name__
    MATRIX.update(_extension.ROWS)


def _url_names(resolver: URLResolver, namespace: str = "") -> set[str]:
    names = set()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace in SKIPPED_NAMESPACES:
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= _url_names(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{namespace}{pattern.name}")
    return names - SKIPPED_NAMES


def test_every_url_name_is_in_the_matrix():
    names = _url_names(get_resolver())
    assert (sorted(names - MATRIX.keys()), sorted(MATRIX.keys() - names)) == ([], [])


def _side(project, client, worker):
    """Every kind of record, for one client of one project and their worker."""
    plan = IndividualPlanFactory(project=project, client=client, created_by=worker)
    intervention = InterventionFactory(project=project, created_by=worker)
    add_worker(intervention, worker)
    add_participant(intervention, client)
    debt_case = DebtCaseFactory(project=project, client=client)
    debt = DebtFactory(case=debt_case)
    document = DocumentFactory(client=client, project=project, uploaded_by=worker)
    return {
        "project": project,
        "client": client,
        "worker": worker,
        "enrolment": client.enrolments.get(project=project),
        "plan": plan,
        "task": TaskFactory(owner=worker, client=client, project=project),
        "document": document,
        "intervention": intervention,
        "outreach": OutreachContact.objects.create(
            project=project,
            key_activity=intervention.key_activity,
            date=project.start_date,
            head_count=2,
            worker=worker,
        ),
        "debt_case": debt_case,
        "debt": debt,
        "analysis": DebtAnalysisFactory(case=debt_case, created_by=worker),
        "action": DebtAction.objects.create(
            case=debt_case,
            kind=ActionKind.DEBT_RELIEF_PETITION,
            filed_on=debt_case.opened_on,
            created_by=worker,
        ),
        "situation": HousingSituationFactory(client=client),
    }


@pytest.fixture
def world(
    settings,
    tmp_path,
    project,
    other_project,
    foreign_project,
    worker_a,
    worker_b,
    client_a,
    client_b,
    client_foreign,
):
    settings.MEDIA_ROOT = tmp_path
    foreign_worker = UserFactory()
    MembershipFactory(user=foreign_worker, project=foreign_project, role=Role.WORKER)
    CaseAssignmentFactory(client=client_foreign, project=foreign_project, worker=foreign_worker)
    world = {
        "own": _side(project, client_a, worker_a),
        "colleague": _side(project, client_b, worker_b),
        "foreign": _side(foreign_project, client_foreign, foreign_worker),
    }
    # Project-level records of the colleague side live in the organisation's other project.
    world["colleague"]["project"] = other_project
    world["own"]["factor_set"] = RiskFactorSetFactory(project=project)
    world["colleague"]["factor_set"] = RiskFactorSetFactory(project=other_project)
    world["foreign"]["factor_set"] = RiskFactorSetFactory(project=foreign_project)
    for side in world.values():
        (tmp_path / side["document"].file.name).parent.mkdir(exist_ok=True)
        (tmp_path / side["document"].file.name).write_bytes(b"%PDF-1.4\n")
    for extension in EXTENSIONS:
        if hasattr(extension, "extend"):
            for side in world.values():
                extension.extend(side, side["project"], side["client"], side["worker"])
    return world


def _outcome(response) -> str:
    if response.status_code in (302, 303):
        login = reverse("login") + "?next="
        return LOGIN if response["Location"].startswith(login) else REDIRECT
    return str(response.status_code)


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_access_matrix(request, client, world, name):
    row = MATRIX[name]
    users = {
        persona: request.getfixturevalue(persona) for persona in PERSONAS if persona != "anonymous"
    }
    header_sets = [{}, {"HTTP_HX_REQUEST": "true"}] if row.htmx else [{}]
    actual, expected = {}, {}
    for persona in PERSONAS:
        statuses = row.expected[persona]
        sides = SIDES if isinstance(statuses, tuple) else SIDES[:1]
        for index, side in enumerate(sides):
            for headers in header_sets:
                client.logout()
                if persona != "anonymous":
                    client.force_login(users[persona])
                target = row.build(world, side)
                response = getattr(client, row.method)(target, row.data, **headers)
                if response.streaming:
                    # Read to the end: the test client then closes the file without closing
                    # the database connection (response.close() would close it).
                    b"".join(response.streaming_content)
                key = (persona, side, bool(headers))
                actual[key] = _outcome(response)
                status = statuses[index] if isinstance(statuses, tuple) else statuses
                expected[key] = row.htmx_success if headers and status == REDIRECT else status
    assert actual == expected
