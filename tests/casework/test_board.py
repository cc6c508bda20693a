"""The guarantor's caseload board and the drill into one worker's caseload."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.db import router
from django.urls import reverse
from django.utils import timezone

from casework import compiled
from casework.board import (
    _acute,
    _board_sql,
    _caseloads,
    _minutes,
    _workers,
    caseload_board,
    worker_caseload,
)
from casework.roles import Role
from clients.models import CaseAssignment, DisadvantageAnswer, MonitoringCodeKind, PlanStatus, Task
from housing.models import RiskLevel
from tests.factories import (
    CaseAssignmentFactory,
    ClientFactory,
    EnrolmentFactory,
    InterventionFactory,
    KeyActivityFactory,
    LocalityFactory,
    MembershipFactory,
    MonitoringCodeFactory,
    RiskAssessmentFactory,
    TaskFactory,
    UserFactory,
)
from tests.factories import IndividualPlanFactory as PlanFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2021, 5, 31)


@pytest.fixture(autouse=True)
def _today(time_machine):
    # Inside the Ralsko project; May 2021 is the board's default month.
    time_machine.move_to(dt.datetime(2021, 5, 31, 10, 0, tzinfo=ZoneInfo("Europe/Prague")))


def _intervention(project, ka, day, minutes, workers, participants):
    return InterventionFactory(
        project=project,
        key_activity=ka,
        date=day,
        duration_minutes=minutes,
        workers=workers,
        participants=participants,
    )


@pytest.fixture
def hvezdov(project):
    locality = LocalityFactory(organisation=project.organisation, name="Hvězdov")
    project.localities.add(locality)
    return locality


@pytest.fixture
def client_a2(project, worker_a):
    """worker_a's second client: complete entry data and 40 h 30 min of support."""
    client = ClientFactory(
        organisation=project.organisation,
        code="RAL-0003",
        first_name="Alena",
        last_name="Dvořáková",
        gender=MonitoringCodeFactory(),
        municipality="Ralsko",
        postcode="47124",
    )
    EnrolmentFactory(
        client=client,
        project=project,
        labour_status=MonitoringCodeFactory(kind=MonitoringCodeKind.LABOUR_STATUS, code="TPNEAKO"),
        education=MonitoringCodeFactory(kind=MonitoringCodeKind.EDUCATION, code="VZ0"),
        disadvantage_answer=DisadvantageAnswer.NONE,
    )
    CaseAssignmentFactory(client=client, project=project, worker=worker_a)
    return client


@pytest.fixture
def caseload(project, worker_a, worker_b, guarantor, client_a, client_b, client_a2, hvezdov):
    """A small record whose board figures are computed by hand in the tests below.

    worker_a: client_a (Hvězdov; last contact 1 May, 30 days ago), client_a2 (participant,
    last contact 20 May). worker_b: client_b (last contact 30 April, 31 days ago; acute).
    May hours: worker_a KA 03 1.5 h (client_a) and KA 05 0.5 h (joint visit with worker_b,
    client_a2); worker_b KA 05 0.5 h. April: worker_a KA 03 40 h, worker_b KA 03 1 h.
    """
    client_a.locality = hvezdov
    client_a.save(update_fields=["locality"])
    ka03 = KeyActivityFactory(project=project, code="KA 03")
    ka05 = KeyActivityFactory(project=project, code="KA 05")
    _intervention(project, ka03, dt.date(2021, 5, 1), 90, [worker_a], [client_a])
    _intervention(project, ka03, dt.date(2021, 4, 30), 60, [worker_b], [client_b])
    _intervention(project, ka03, dt.date(2021, 4, 1), 1440, [worker_a], [client_a2])
    _intervention(project, ka03, dt.date(2021, 4, 2), 960, [worker_a], [client_a2])
    _intervention(project, ka05, dt.date(2021, 5, 20), 30, [worker_a, worker_b], [client_a2])
    # Overdue yesterday; due today (not overdue); overdue but done.
    TaskFactory(owner=worker_a, project=project, client=client_a, due_date=dt.date(2021, 5, 30))
    TaskFactory(owner=worker_a, project=project, client=client_a, due_date=TODAY)
    TaskFactory(
        owner=worker_b,
        project=project,
        client=client_b,
        due_date=dt.date(2021, 5, 1),
        done_at=timezone.now(),
    )
    # Review in 7 days (due) and unsigned; review overdue, a draft (not "unsigned").
    PlanFactory(
        project=project,
        client=client_a,
        status=PlanStatus.ACTIVE,
        review_due=dt.date(2021, 6, 7),
    )
    PlanFactory(
        project=project,
        client=client_a2,
        status=PlanStatus.DRAFT,
        review_due=dt.date(2021, 5, 1),
    )
    # Review in 8 days (not yet), signed.
    PlanFactory(
        project=project,
        client=client_b,
        status=PlanStatus.ACTIVE,
        review_due=dt.date(2021, 6, 8),
        signed_by=guarantor,
        signed_at=timezone.now(),
    )
    RiskAssessmentFactory(project=project, client=client_b, level=RiskLevel.ACUTE, score=12)
    return {"ka03": ka03, "ka05": ka05}


def _figures(board):
    return {
        row.worker.username: (
            row.active_clients,
            row.participants,
            row.hours_columns,
            row.not_contacted,
            row.overdue_tasks,
            row.plans_for_review,
            row.unsigned_plans,
            row.acute,
        )
        for row in board.rows
    }


def test_board_numbers_per_worker(caseload, project):
    board = caseload_board([project.pk])

    assert _figures(board) == {
        "alice": (2, 1, [("KA 03", 1.5), ("KA 05", 0.5)], 0, 1, 2, 1, 0),
        "bob": (1, 0, [("KA 03", 0.0), ("KA 05", 0.5)], 1, 0, 0, 0, 1),
    }


def test_board_not_contacted_reuses_the_30_day_definition(caseload, project, client_a, client_b):
    # client_a: last contact 30 days ago (recent); client_b: 31 days ago (listed).
    board = caseload_board([project.pk])

    assert [(row.worker.username, row.not_contacted) for row in board.rows] == [
        ("alice", 0),
        ("bob", 1),
    ]


def test_board_period_filter_sums_the_chosen_month(caseload, project):
    board = caseload_board([project.pk], month=dt.date(2021, 4, 1))

    assert (board.month_start, board.month_end) == (dt.date(2021, 4, 1), dt.date(2021, 4, 30))
    assert [(row.worker.username, row.hours_columns) for row in board.rows] == [
        ("alice", [("KA 03", 40.0)]),
        ("bob", [("KA 03", 1.0)]),
    ]


def test_board_locality_filter_counts_only_clients_living_there(caseload, project, hvezdov):
    board = caseload_board([project.pk], locality=hvezdov)

    assert _figures(board) == {
        "alice": (1, 0, [("KA 03", 1.5)], 0, 1, 1, 1, 0),
        "bob": (0, 0, [("KA 03", 0.0)], 0, 0, 0, 0, 0),
    }
    assert board.acute_cases == []


def test_board_counts_a_client_once_across_its_projects(
    caseload, project, other_project, worker_b, client_b
):
    # bob has client_b (acute, not contacted) in both projects: one client in every figure.
    MembershipFactory(user=worker_b, project=other_project, role=Role.WORKER)
    EnrolmentFactory(client=client_b, project=other_project)
    CaseAssignmentFactory(client=client_b, project=other_project, worker=worker_b)

    board = caseload_board([project.pk, other_project.pk])

    assert {
        row.worker.username: (row.active_clients, row.not_contacted, row.acute)
        for row in board.rows
    } == {"alice": (2, 0, 0), "bob": (1, 1, 1)}
    assert [case.client.code for case in board.acute_cases] == ["RAL-0002"]


def _rows(response):
    return [(row.worker.username, row.active_clients) for row in response.context["board"].rows]


@pytest.mark.parametrize("persona", ["guarantor", "admin_user"])
def test_board_shows_the_managers_workers(client, request, caseload, persona):
    client.force_login(request.getfixturevalue(persona))

    response = client.get(reverse("board"))

    assert (response.status_code, _rows(response)) == (200, [("alice", 2), ("bob", 1)])
    assert [case.client.code for case in response.context["board"].acute_cases] == ["RAL-0002"]


def test_board_without_any_project(client):
    # A superuser manages every project, and there may be none yet.
    client.force_login(UserFactory(is_superuser=True))

    response = client.get(reverse("board"))

    assert (response.status_code, _rows(response), response.context["board"].acute_cases) == (
        200,
        [],
        [],
    )


def test_board_project_filter(client, caseload, admin_user, other_project, other_guarantor):
    client.force_login(admin_user)

    response = client.get(reverse("board"), {"project": other_project.pk})

    assert (response.status_code, _rows(response)) == (200, [])


def test_board_ignores_a_project_the_viewer_does_not_manage(
    client, caseload, guarantor, other_project
):
    client.force_login(guarantor)

    response = client.get(reverse("board"), {"project": other_project.pk, "month": "2021-04"})

    # The invalid choice falls back to the viewer's own projects and the current month.
    assert (_rows(response), response.context["board"].month_start) == (
        [("alice", 2), ("bob", 1)],
        dt.date(2021, 5, 1),
    )


def test_board_month_filter_from_the_request(client, caseload, guarantor):
    client.force_login(guarantor)

    response = client.get(reverse("board"), {"month": "2021-04"})

    assert [row.hours_total for row in response.context["board"].rows] == [40.0, 1.0]


@pytest.mark.parametrize("persona", ["foreign_admin", "other_guarantor"])
def test_board_of_another_manager_shows_nothing_of_ours(client, request, caseload, persona):
    client.force_login(request.getfixturevalue(persona))

    response = client.get(reverse("board"))

    assert (response.status_code, _rows(response), response.context["board"].acute_cases) == (
        200,
        [],
        [],
    )
    assert b"RAL-0002" not in response.content


@pytest.mark.parametrize("name", ["board", "board_worker"])
def test_board_refused_to_a_field_worker(client, caseload, worker_a, name):
    client.force_login(worker_a)
    kwargs = {"pk": worker_a.pk} if name == "board_worker" else {}

    response = client.get(reverse(name, kwargs=kwargs))

    assert response.status_code == 403


def test_board_worker_lists_their_clients(client, caseload, guarantor, worker_a):
    client.force_login(guarantor)

    response = client.get(reverse("board_worker", args=[worker_a.pk]))

    lines = response.context["lines"]
    assert [
        (line.client.code, line.last_contact, line.is_participant, line.open_tasks)
        for line in lines
    ] == [
        ("RAL-0001", dt.date(2021, 5, 1), False, 2),
        ("RAL-0003", dt.date(2021, 5, 20), True, 0),
    ]
    assert reverse("clients:detail", args=[lines[0].client.pk]).encode() in response.content


@pytest.mark.parametrize("persona", ["foreign_admin", "other_guarantor"])
def test_board_worker_of_another_managers_project_is_404(
    client, request, caseload, worker_a, persona
):
    client.force_login(request.getfixturevalue(persona))

    response = client.get(reverse("board_worker", args=[worker_a.pk]))

    assert response.status_code == 404


def test_board_worker_who_is_not_a_worker_is_404(client, caseload, guarantor, admin_user):
    client.force_login(guarantor)

    response = client.get(reverse("board_worker", args=[admin_user.pk]))

    assert response.status_code == 404


# --- Query counts -----------------------------------------------------------------------------


def _workers_with_caseloads(project, count):
    ka = KeyActivityFactory(project=project, code="KA 03")
    for _ in range(count):
        worker = UserFactory()
        MembershipFactory(user=worker, project=project, role=Role.WORKER)
        assignment = CaseAssignmentFactory(project=project, worker=worker)
        EnrolmentFactory(project=project, client=assignment.client)
        _intervention(project, ka, TODAY, 60, [worker], [assignment.client])
        TaskFactory(owner=worker, project=project, client=assignment.client, due_date=TODAY)
        PlanFactory(project=project, client=assignment.client, status=PlanStatus.ACTIVE)
        RiskAssessmentFactory(project=project, client=assignment.client, level=RiskLevel.ACUTE)


@pytest.mark.parametrize("count", [1, 3])
def test_board_query_count_does_not_grow_with_workers(
    client, django_assert_num_queries, project, guarantor, count
):
    _workers_with_caseloads(project, count)
    client.force_login(guarantor)

    # Session, user, roles; managed projects, localities (filter form); the workers with their
    # overdue tasks, the caseload figures (one aggregate over the assignments), the month's
    # hours, and the acute clients with their workers.
    with django_assert_num_queries(9):
        response = client.get(reverse("board"))

    assert len(response.context["board"].rows) == count


@pytest.mark.parametrize("with_locality", [False, True])
@pytest.mark.parametrize(
    "dates",
    [
        (TODAY, dt.date(2021, 5, 1), dt.date(2021, 5, 31)),
        (dt.date(2024, 3, 1), dt.date(2024, 2, 1), dt.date(2024, 2, 29)),
        (dt.date(2020, 12, 31), dt.date(2021, 1, 1), dt.date(2021, 1, 31)),
    ],
)
def test_board_statements_are_compiled_once_and_bind_like_a_fresh_build(
    project, other_project, hvezdov, with_locality, dates
):
    shape = ((project.pk, other_project.pk), hvezdov.pk if with_locality else None)
    alias = router.db_for_read(CaseAssignment)

    for build in (_workers, _caseloads, _minutes, _acute):
        args = (build, *shape, alias)
        statement = compiled.compiled(_board_sql, args, dates)
        assert statement is not None, build.__name__
        assert compiled.compiled(_board_sql, args, dates) is statement
        assert statement.bind(dates) == _board_sql(*args, dates), build.__name__


def _from_the_first_of_the_month(project_ids, locality_id, today, month_start, month_end):
    return Task.objects.filter(due_date__gte=today.replace(day=1)).values_list("pk")


def test_a_statement_with_a_date_computed_otherwise_is_compiled_every_time(project):
    args = (_from_the_first_of_the_month, (project.pk,), None, router.db_for_read(CaseAssignment))
    dates = (TODAY, dt.date(2021, 5, 1), dt.date(2021, 5, 31))

    assert compiled.compiled(_board_sql, args, dates) is None
    sql, params = compiled.bound_sql(_board_sql, args, dates)
    assert (sql, params) == _board_sql(*args, dates)
    assert dt.date(2021, 5, 1) in params


@pytest.mark.parametrize("count", [1, 3])
def test_board_worker_query_count_does_not_grow_with_clients(
    client, django_assert_num_queries, project, guarantor, worker_a, count
):
    for _ in range(count):
        assignment = CaseAssignmentFactory(project=project, worker=worker_a)
        EnrolmentFactory(project=project, client=assignment.client)
    client.force_login(guarantor)

    # Session, user, roles; managed projects, the worker, the caseload in one query.
    with django_assert_num_queries(6):
        response = client.get(reverse("board_worker", args=[worker_a.pk]))

    assert len(response.context["lines"]) == count


def test_worker_caseload_only_in_the_given_projects(caseload, worker_a, other_project):
    assert worker_caseload(worker_a, [other_project.pk]) == []


@pytest.mark.parametrize(("persona", "shown"), [("guarantor", True), ("worker_a", False)])
def test_board_nav_item_only_for_managers(client, request, project, persona, shown):
    client.force_login(request.getfixturevalue(persona))

    response = client.get(reverse("home"))

    assert (f'href="{reverse("board")}"'.encode() in response.content) == shown


def test_labelled_cells_escape_label_and_text():
    from casework.templatetags.casework_tags import labelled_cells

    html = labelled_cells([("Hours <KA 01>", "1,5"), ('A "B"', "<b>")])

    assert html == (
        '<td data-label="Hours &lt;KA 01&gt;">1,5</td>'
        '<td data-label="A &quot;B&quot;">&lt;b&gt;</td>'
    )


def test_board_table_shows_each_figure_under_its_column(client, caseload, guarantor):
    client.force_login(guarantor)

    response = client.get(reverse("board"), {"month": "2021-04"}, HTTP_ACCEPT_LANGUAGE="cs")

    board = response.context["board"]
    html = response.content.decode()
    alice = board.rows[0]
    assert alice.url == reverse("board_worker", args=[alice.worker.pk])
    assert [label for label, _ in alice.cells] == board.columns
    # The hours as the floatformat:1 filter shows them in Czech, under the total's label.
    assert '<td data-label="Hodiny celkem">40,0</td>' in html
    for label in board.columns:
        assert f'<th scope="col">{label}</th>' in html
