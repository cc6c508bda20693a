"""The client's case file: every section, for a worker, a guarantor and an administrator."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.db.models import query
from django.db.models.fetch_modes import FETCH_RAISE
from django.urls import reverse
from django.utils import timezone

from casework.models import Membership
from casework.roles import Role
from clients.models import (
    ConsentScope,
    DocumentKind,
    GoalStatus,
    HouseholdMember,
    PlanGoal,
    PlanStatus,
    Relationship,
)
from debts.models import DebtKind, DebtStatus
from housing.models import RiskLevel, Tenure
from tests.factories import (
    ConsentFactory,
    DebtAnalysisFactory,
    DebtCaseFactory,
    DebtFactory,
    DocumentFactory,
    EnrolmentFactory,
    EthosCategoryFactory,
    HouseholdFactory,
    HousingSituationFactory,
    IndividualPlanFactory,
    InterventionFactory,
    KeyActivityFactory,
    LocalityFactory,
    RiskAssessmentFactory,
    TaskFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db

TODAY = dt.date(2021, 6, 30)
NBSP = "\xa0"


@pytest.fixture(autouse=True)
def _today(time_machine):
    # A day inside the Ralsko project (1 Sep 2020 – 30 Jun 2022).
    time_machine.move_to(dt.datetime(2021, 6, 30, 10, 0, tzinfo=ZoneInfo("Europe/Prague")))


def case_page(client, user, person, *, language="en", htmx=False, **params):
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    headers = {"HX-Request": "true"} if htmx else {}
    return client.get(reverse("clients:detail", args=[person.pk]), params, headers=headers)


def section(response, heading_id: str) -> str:
    """The HTML of one section of the page, from its heading to the end of the section."""
    start = response.text.index(f'id="{heading_id}"')
    return response.text[start : response.text.index("</section>", start)]


# --- Access -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "target", "status"),
    [
        pytest.param("worker_a", "client_a", 200, id="worker-own-client"),
        pytest.param("worker_a", "client_b", 404, id="worker-other-workers-client"),
        pytest.param("worker_b", "client_a", 404, id="other-worker"),
        pytest.param("guarantor", "client_a", 200, id="guarantor"),
        pytest.param("admin_user", "client_a", 200, id="admin"),
        pytest.param("other_guarantor", "client_a", 404, id="guarantor-of-another-project"),
        pytest.param("foreign_admin", "client_a", 404, id="foreign-admin"),
        pytest.param("foreign_admin", "client_foreign", 200, id="foreign-admin-own-client"),
    ],
)
def test_case_file_access(
    client, request, client_a, client_b, client_foreign, persona, target, status
):
    person = request.getfixturevalue(target)

    response = case_page(client, request.getfixturevalue(persona), person)
    more = case_page(client, request.getfixturevalue(persona), person, htmx=True, page=2)

    assert (response.status_code, more.status_code) == (status, status)
    assert (person.full_name in response.text) == (status == 200)


# --- Header -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("persona", "offered"), [("worker_a", True), ("guarantor", False)])
def test_log_a_visit_for_this_client_is_offered_to_workers(
    client, request, client_a, persona, offered
):
    response = case_page(client, request.getfixturevalue(persona), client_a)

    link = f'href="{reverse("intervention_create")}?client={client_a.pk}"'
    assert (link in response.text) == offered


def test_header_shows_identity_household_and_workers(
    client, project, worker_a, guarantor, client_a, client_b
):
    household = HouseholdFactory(organisation=project.organisation, name="Adámkovi, Husova 12")
    client_a.household = household
    client_a.locality = LocalityFactory(organisation=project.organisation, name="Hvězdov")
    client_a.phone = "777 123 456"
    client_a.save()
    client_b.household = household
    client_b.save()
    HouseholdMember.objects.create(
        household=household, client=client_a, relationship=Relationship.HEAD
    )
    HouseholdMember.objects.create(
        household=household, client=client_b, relationship=Relationship.PARTNER
    )
    HouseholdMember.objects.create(
        household=household,
        name="Eliška Adámková",
        birth_year=2015,
        relationship=Relationship.CHILD,
        is_dependent=True,
    )

    as_worker = case_page(client, worker_a, client_a)
    as_guarantor = case_page(client, guarantor, client_a)

    header = as_worker.text[as_worker.text.index('<header class="mb-3">') :]
    header = header[: header.index("</header>")]
    assert "RAL-0001" in header
    assert "36 years old" in header  # born 14 Mar 1985
    assert "Hvězdov" in header
    assert "Alice Terénní" in header
    household_html = section(as_worker, "household-heading")
    assert "Adámkovi, Husova 12" in household_html
    assert "Eliška Adámková" in household_html
    assert "dependent child" in household_html
    # A member who is a client the worker may not see stays out, name and all.
    assert [m.relationship for m in as_worker.context["case"].household_members] == [
        "head",
        "child",
    ]
    assert client_b.full_name not in as_worker.text
    assert client_b.full_name in section(as_guarantor, "household-heading")
    assert 'href="tel:777123456"' in as_worker.text


def test_header_of_a_client_with_only_a_year_of_birth(client, worker_a, client_a):
    client_a.birth_date = None
    client_a.birth_year = 1990
    client_a.save()

    response = case_page(client, worker_a, client_a)

    assert "born 1990" in response.text
    assert "years old" not in response.text


# --- Participant status -----------------------------------------------------------------------


def _support(project, person, *minutes):
    for duration in minutes:
        InterventionFactory(
            project=project,
            date=dt.date(2021, 3, 1),
            duration_minutes=duration,
            participants=[person],
        )


def test_participant_status_in_czech(client, project, worker_a, client_a):
    _support(project, client_a, 900, 900, 150)  # 32 h 30 min

    response = case_page(client, worker_a, client_a, language="cs")

    html = section(response, "enrolments-heading")
    assert f"32,5{NBSP}h" in html
    assert f"40{NBSP}h" in html
    assert '<progress class="support-progress" max="2400" value="1950"' in html


def test_participant_status_in_english(client, project, worker_a, client_a):
    _support(project, client_a, 900, 900, 150)

    response = case_page(client, worker_a, client_a)

    (status,) = response.context["case"].statuses
    html = section(response, "enrolments-heading")
    assert (status.support_minutes, status.threshold_minutes) == (1950, 2400)
    assert f"32.5{NBSP}h of 40{NBSP}h" in html
    assert f"7.5{NBSP}h to the threshold" in html
    assert status.missing_fields == [
        "gender",
        "labour_status",
        "education",
        "disadvantage",
        "municipality",
        "postcode",
    ]
    assert "<li>labour-market status</li>" in html


def test_over_the_threshold_but_data_missing_is_not_counted(client, project, worker_a, client_a):
    _support(project, client_a, 1200, 1200)

    response = case_page(client, worker_a, client_a)

    html = section(response, "enrolments-heading")
    assert f"40{NBSP}h of 40{NBSP}h" in html
    assert "Over the threshold, not counted: entry data missing" in html
    assert "Counts as a participant" not in html


def test_just_short_of_the_threshold_never_shows_as_reaching_it(
    client, project, worker_a, client_a
):
    _support(project, client_a, 1200, 1199)  # 39 h 59 min

    response = case_page(client, worker_a, client_a)

    assert f"39.9{NBSP}h of 40{NBSP}h" in section(response, "enrolments-heading")


@pytest.mark.parametrize(
    ("persona", "projects"),
    [
        pytest.param("worker_a", ["RAL"], id="worker-own-project-only"),
        pytest.param("guarantor", ["RAL"], id="guarantor-own-project"),
        pytest.param("admin_user", ["MLA", "RAL"], id="admin-both"),
    ],
)
def test_enrolments_in_projects_the_user_may_see(
    client, request, other_project, client_a, persona, projects
):
    EnrolmentFactory(client=client_a, project=other_project, entry_date=dt.date(2021, 2, 1))

    response = case_page(client, request.getfixturevalue(persona), client_a)

    shown = [s.enrolment.project.code for s in response.context["case"].statuses]
    assert shown == projects


# --- Consents ---------------------------------------------------------------------------------


def test_consents_in_force_and_withdrawn(client, worker_a, client_a):
    ConsentFactory(client=client_a, scope=ConsentScope.RECORDS, given_on=dt.date(2020, 9, 1))
    ConsentFactory(
        client=client_a,
        scope=ConsentScope.PHOTOS,
        given_on=dt.date(2020, 9, 1),
        withdrawn_on=dt.date(2021, 1, 10),
    )

    response = case_page(client, worker_a, client_a)

    html = section(response, "consents-heading")
    assert html.count("In force") == 1
    assert html.count(">Withdrawn<") == 1
    assert "withdrawn 10 Jan 2021" in html
    withdrawn = html[html.index("consent-withdrawn") :]
    assert withdrawn.index("Photographs") < withdrawn.index("Withdrawn")


# --- Timeline ---------------------------------------------------------------------------------


def test_timeline_rows_newest_first_with_their_details(
    client, project, worker_a, worker_b, client_a
):
    ka03 = KeyActivityFactory(project=project, code="KA 03", name="Individuální práce")
    older = InterventionFactory(
        project=project, key_activity=ka03, date=dt.date(2021, 5, 3), participants=[client_a]
    )
    newer = InterventionFactory(
        project=project,
        key_activity=ka03,
        date=dt.date(2021, 6, 28),
        duration_minutes=90,
        record="Návštěva v bytě. " * 30,
        workers=[worker_a, worker_b],
        participants=[client_a],
    )
    newer.topics.add(TopicFactory(code="debts", name="Dluhy"))

    response = case_page(client, worker_a, client_a)

    assert response.context["case"].timeline.interventions == [newer, older]
    html = section(response, "timeline-heading")
    row = html[: html.index(reverse("intervention_detail", args=[older.pk]))]
    assert "28 Jun 2021" in row
    assert "90 min" in row
    assert "KA 03 – Individuální práce (RAL)" in row
    assert "Terénní návštěva" in row
    assert "Topics: Dluhy" in row
    assert "Alice Terénní, Bob Terénní" in row
    excerpt = row[row.index('<p class="timeline-record') :]
    excerpt = excerpt[excerpt.index(">") + 1 : excerpt.index("</p>")]
    assert len(excerpt) == 240
    assert excerpt.endswith("…")


@pytest.mark.parametrize(
    ("persona", "shown"),
    [
        pytest.param("worker_a", ["RAL"], id="worker"),
        pytest.param("guarantor", ["RAL"], id="guarantor"),
        pytest.param("admin_user", ["MLA", "RAL"], id="admin"),
    ],
)
def test_timeline_shows_only_visible_interventions(
    client, request, project, other_project, client_a, persona, shown
):
    EnrolmentFactory(client=client_a, project=other_project, entry_date=dt.date(2021, 2, 1))
    InterventionFactory(project=project, date=dt.date(2021, 5, 1), participants=[client_a])
    InterventionFactory(project=other_project, date=dt.date(2021, 6, 1), participants=[client_a])

    response = case_page(client, request.getfixturevalue(persona), client_a)

    timeline = response.context["case"].timeline.interventions
    assert sorted(i.project.code for i in timeline) == shown


def test_timeline_loads_older_interventions(client, project, worker_a, client_a):
    rows = [
        InterventionFactory(
            project=project,
            date=dt.date(2021, 6, 1) - dt.timedelta(days=n),
            participants=[client_a],
        )
        for n in range(12)
    ]

    first = case_page(client, worker_a, client_a)
    more = case_page(client, worker_a, client_a, htmx=True, page=2)
    fallback = case_page(client, worker_a, client_a, page=2)

    assert first.context["case"].timeline.interventions == rows[:10]
    assert 'href="?page=2#timeline"' in first.text
    assert 'hx-get="?page=2"' in first.text
    assert more.context["timeline"].interventions == rows[10:]
    assert "<html" not in more.text
    assert more.text.count("autofocus") == 1
    assert "hx-get" not in more.text
    assert fallback.context["case"].timeline.interventions == rows[10:]
    assert "Back to the newest interventions" in fallback.text
    assert "autofocus" not in fallback.text
    assert "HX-Request" in more["Vary"].split(", ")


@pytest.mark.parametrize("page", ["abc", "0", "-1", ""])
def test_timeline_page_that_is_no_number_is_the_first(client, project, worker_a, client_a, page):
    InterventionFactory(project=project, date=dt.date(2021, 6, 1), participants=[client_a])

    response = case_page(client, worker_a, client_a, page=page)

    assert response.context["case"].timeline.number == 1
    assert len(response.context["case"].timeline.interventions) == 1


# --- Debts ------------------------------------------------------------------------------------


@pytest.fixture
def debt_record(project, other_project, client_a):
    case = DebtCaseFactory(project=project, client=client_a, opened_on=dt.date(2020, 10, 1))
    DebtFactory(case=case, principal=Decimal("10000.00"))
    DebtFactory(
        case=case,
        kind=DebtKind.INSTALMENTS,
        principal=Decimal("5000.00"),
        interest=Decimal("500.00"),
        status=DebtStatus.REPAYING,
    )
    DebtFactory(case=case, principal=Decimal("7000.00"), status=DebtStatus.PAID)
    DebtFactory(case=case, principal=Decimal("3000.00"), status=DebtStatus.STOPPED)
    DebtAnalysisFactory(case=case, analysed_on=dt.date(2021, 4, 20))
    DebtAnalysisFactory(case=case, analysed_on=dt.date(2021, 1, 15))
    closed = DebtCaseFactory(
        project=project, client=client_a, opened_on=dt.date(2020, 9, 1), closed_on=TODAY
    )
    DebtFactory(case=closed)
    EnrolmentFactory(client=client_a, project=other_project, entry_date=dt.date(2021, 2, 1))
    elsewhere = DebtCaseFactory(
        project=other_project, client=client_a, opened_on=dt.date(2021, 2, 1)
    )
    DebtFactory(case=elsewhere, principal=Decimal("99.00"))
    return case, elsewhere


@pytest.mark.parametrize("persona", ["worker_a", "guarantor"])
def test_debt_summary_of_open_cases(client, request, client_a, debt_record, persona):
    case, _ = debt_record

    response = case_page(client, request.getfixturevalue(persona), client_a)

    (shown,) = response.context["case"].debt_cases
    figures = (shown, shown.total_debt, shown.debt_count, shown.enforcement_count)
    assert figures == (case, Decimal("18500.00"), 3, 1)
    assert shown.latest_analysis_on == dt.date(2021, 4, 20)
    html = section(response, "debts-heading")
    assert f"CZK{NBSP}18,500.00" in html
    assert "20 Apr 2021" in html


def test_admin_sees_debt_cases_of_every_project(client, admin_user, client_a, debt_record):
    case, elsewhere = debt_record

    response = case_page(client, admin_user, client_a)

    totals = [(c, c.total_debt) for c in response.context["case"].debt_cases]
    assert totals == [(elsewhere, Decimal("99.00")), (case, Decimal("18500.00"))]


def test_debt_case_without_analysis(client, project, worker_a, client_a):
    DebtCaseFactory(project=project, client=client_a)

    response = case_page(client, worker_a, client_a)

    (shown,) = response.context["case"].debt_cases
    assert (shown.total_debt, shown.debt_count, shown.latest_analysis_on) == (0, 0, None)
    assert "none yet" in section(response, "debts-heading")


# --- Housing ----------------------------------------------------------------------------------


@pytest.fixture
def housing_record(project, other_project, client_a):
    HousingSituationFactory(
        client=client_a,
        valid_from=dt.date(2020, 9, 1),
        valid_to=dt.date(2021, 1, 31),
        ethos=EthosCategoryFactory(code="8.1", name="Dočasně u příbuzných"),
        tenure=Tenure.WITH_FAMILY,
    )
    current = HousingSituationFactory(
        client=client_a,
        valid_from=dt.date(2021, 2, 1),
        tenure=Tenure.LEASE,
        arrears=Decimal("4500.00"),
    )
    RiskAssessmentFactory(
        project=project, client=client_a, assessed_on=dt.date(2021, 3, 1), level=RiskLevel.MEDIUM
    )
    latest = RiskAssessmentFactory(
        project=project,
        client=client_a,
        assessed_on=dt.date(2021, 6, 1),
        score=7,
        level=RiskLevel.HIGH,
    )
    elsewhere = RiskAssessmentFactory(
        project=other_project,
        client=client_a,
        assessed_on=dt.date(2021, 6, 15),
        score=12,
        level=RiskLevel.ACUTE,
    )
    return current, latest, elsewhere


@pytest.mark.parametrize("persona", ["worker_a", "guarantor"])
def test_housing_summary(client, request, client_a, housing_record, persona):
    current, latest, _ = housing_record

    response = case_page(client, request.getfixturevalue(persona), client_a)

    housing = response.context["case"].housing
    assert (housing.situation, housing.latest_assessment) == (current, latest)
    html = section(response, "housing-heading")
    assert f"9.1 {current.ethos.name}" in html
    assert "Lease" in html
    assert f"CZK{NBSP}4,500.00" in html
    assert '<span class="badge risk-high">High</span>' in html
    assert "assessed 1 Jun 2021" in html
    assert "8.1" not in html


def test_admin_sees_the_latest_assessment_of_any_project(
    client, admin_user, client_a, housing_record
):
    _, _, elsewhere = housing_record

    response = case_page(client, admin_user, client_a)

    assert response.context["case"].housing.latest_assessment == elsewhere


def test_no_housing_recorded(client, worker_a, client_a):
    response = case_page(client, worker_a, client_a)

    assert "No current housing situation recorded." in section(response, "housing-heading")


# --- Plan, tasks, documents -------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["worker_a", "guarantor"])
def test_current_plan_with_its_goals(client, request, project, client_a, persona):
    plan = IndividualPlanFactory(
        project=project, client=client_a, status=PlanStatus.ACTIVE, review_due=dt.date(2021, 9, 1)
    )
    PlanGoal.objects.create(plan=plan, goal="Chci splácet nájem včas.", order=1)
    PlanGoal.objects.create(
        plan=plan, goal="Podat návrh na oddlužení.", status=GoalStatus.ACHIEVED, order=2
    )
    closed = IndividualPlanFactory(project=project, client=client_a, status=PlanStatus.CLOSED)
    PlanGoal.objects.create(plan=closed, goal="Starý cíl")

    response = case_page(client, request.getfixturevalue(persona), client_a)

    assert response.context["case"].plans == [plan]
    html = section(response, "plan-heading")
    assert html.index("Chci splácet nájem včas.") < html.index("In progress")
    assert html.index("Podat návrh na oddlužení.") < html.index("Achieved")
    assert "Review due 1 Sep 2021" in html
    assert reverse("clients:plan_detail", args=[plan.pk]) in html
    assert "Starý cíl" not in html


def test_open_tasks_of_the_client(client, worker_a, worker_b, client_a, client_b):
    late = TaskFactory(
        owner=worker_a, client=client_a, title="Odvolání", due_date=dt.date(2021, 6, 25)
    )
    later = TaskFactory(
        owner=worker_b, client=client_a, title="Schůzka", due_date=dt.date(2021, 7, 5)
    )
    TaskFactory(owner=worker_a, client=client_a, title="Hotovo", done_at=timezone.now())
    TaskFactory(owner=worker_b, client=client_b, title="Jiný klient")

    response = case_page(client, worker_a, client_a)

    assert response.context["case"].open_tasks == [late, later]
    html = section(response, "tasks-heading")
    assert html.count("task-overdue") == 1
    overdue = html[html.index("task-overdue") : html.index("Schůzka")]
    assert "Odvolání" in overdue
    assert "<svg" in overdue
    assert "Overdue" in overdue
    assert "Hotovo" not in html


@pytest.mark.parametrize(
    ("persona", "titles"),
    [
        pytest.param("worker_a", ["Rozhodnutí soudu"], id="worker"),
        pytest.param("guarantor", ["Rozhodnutí soudu"], id="guarantor"),
        pytest.param("admin_user", ["Smlouva MLA", "Rozhodnutí soudu"], id="admin"),
    ],
)
def test_documents_the_user_may_see(
    client, request, project, other_project, client_a, persona, titles
):
    decision = DocumentFactory(
        client=client_a, project=project, title="Rozhodnutí soudu", kind=DocumentKind.DECISION
    )
    DocumentFactory(client=client_a, project=other_project, title="Smlouva MLA")

    response = case_page(client, request.getfixturevalue(persona), client_a)

    assert [d.title for d in response.context["case"].documents] == titles
    html = section(response, "documents-heading")
    assert reverse("clients:document_download", args=[decision.pk]) in html
    assert "Court or authority decision" in html
    assert "30 Jun 2021" in html


# --- Query count ------------------------------------------------------------------------------


def _full_record(project, worker, person, size):
    """``size`` of everything the case file lists."""
    household = HouseholdFactory(organisation=project.organisation)
    person.household = household
    person.save()
    plan = IndividualPlanFactory(project=project, client=person, status=PlanStatus.ACTIVE)
    ka = KeyActivityFactory(project=project)
    topic = TopicFactory()
    for n in range(size):
        HouseholdMember.objects.create(
            household=household, name=f"Dítě {n}", relationship=Relationship.CHILD
        )
        ConsentFactory(client=person)
        intervention = InterventionFactory(
            project=project, key_activity=ka, workers=[worker], participants=[person]
        )
        intervention.topics.add(topic)
        TaskFactory(owner=worker, client=person)
        case = DebtCaseFactory(project=project, client=person)
        DebtFactory(case=case)
        DebtAnalysisFactory(case=case)
        HousingSituationFactory(
            client=person,
            valid_from=dt.date(2020, 9, 1) + dt.timedelta(days=10 * n),
            valid_to=None if n == size - 1 else dt.date(2020, 9, 1) + dt.timedelta(days=10 * n + 5),
        )
        RiskAssessmentFactory(project=project, client=person)
        PlanGoal.objects.create(plan=plan, goal=f"Cíl {n}")
        DocumentFactory(client=person, project=project)


@pytest.mark.parametrize("size", [1, 3])
def test_case_file_query_count(
    client, django_assert_num_queries, project, worker_a, client_a, size
):
    _full_record(project, worker_a, client_a, size)
    client.force_login(worker_a)

    # session, user, roles (the access the scopes are built from), the client with its
    # locality, gender and household, plans, their goals, assignments with their workers,
    # consents, household members, participant status, timeline (rows with their topics and
    # workers), debt summary, housing situation, latest assessment, open tasks, documents;
    # the access event (one INSERT).
    with django_assert_num_queries(17):
        response = client.get(reverse("clients:detail", args=[client_a.pk]))

    case = response.context["case"]
    assert (len(case.timeline.interventions), len(case.open_tasks), len(case.debt_cases)) == (
        size,
        size,
        size,
    )
    assert (len(case.documents), len(case.plans[0].goal_list)) == (size, size)


@pytest.mark.parametrize("persona", ["worker_a", "guarantor", "admin_user"])
def test_case_file_fetches_nothing_lazily(
    client, request, monkeypatch, project, worker_a, client_a, persona
):
    """Every related row and field the page shows comes with its section's statement."""
    _full_record(project, worker_a, client_a, 2)
    monkeypatch.setattr(query, "DEFAULT_FETCH_MODE", FETCH_RAISE)
    client.force_login(request.getfixturevalue(persona))

    response = client.get(reverse("clients:detail", args=[client_a.pk]))

    assert response.status_code == 200
    assert "Dítě 1" in section(response, "household-heading")
    assert "Cíl 1" in section(response, "plan-heading")


def test_a_change_of_roles_changes_what_the_case_file_reads(
    client, other_project, worker_a, client_a, client_other
):
    """The sections' statements are kept per access: a new role is in force at once."""
    client.force_login(worker_a)
    assert client.get(reverse("clients:detail", args=[client_a.pk])).status_code == 200
    assert client.get(reverse("clients:detail", args=[client_other.pk])).status_code == 404

    Membership.objects.create(user=worker_a, project=other_project, role=Role.GUARANTOR)

    response = client.get(reverse("clients:detail", args=[client_other.pk]))
    assert response.status_code == 200
    assert response.context["client"] == client_other
    (status,) = response.context["case"].statuses
    assert status.enrolment.project == other_project
