"""The intervention log: logging a visit, the rules it must meet, the log, detail and edit."""

import datetime as dt
import uuid
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import escape

from casework import forms, services
from casework.conflicts import CONFLICT_MESSAGE
from casework.models import (
    DeliveryMode,
    Intervention,
    InterventionType,
    Membership,
    ProjectExtension,
    Topic,
)
from casework.roles import Role, can_edit_intervention
from clients.models import Enrolment, GoalStatus, PlanGoal, Task
from clients.queries import with_participant_status
from tests.factories import (
    CaseAssignmentFactory,
    ClientFactory,
    EnrolmentFactory,
    HouseholdFactory,
    IndividualPlanFactory,
    InterventionFactory,
    KeyActivityFactory,
    MembershipFactory,
)

pytestmark = pytest.mark.django_db

TODAY = dt.date(2021, 3, 15)


@pytest.fixture(autouse=True)
def _today(time_machine):
    # A day inside the Ralsko project, so that "today" is a valid date for a visit.
    time_machine.move_to(dt.datetime(2021, 3, 15, 10, 0, tzinfo=ZoneInfo("Europe/Prague")))


@pytest.fixture
def ka03(project):
    return KeyActivityFactory(project=project, code="KA 03", name="Individuální práce")


@pytest.fixture
def ka05(project):
    return KeyActivityFactory(project=project, code="KA 05", name="Bydlení")


def mode(code: str) -> DeliveryMode:
    return DeliveryMode.objects.get(code=code)


def kind(code: str) -> InterventionType:
    return InterventionType.objects.get(code=code)


def own_client(project, worker, *, entry=None, exit_date=None, **fields):
    """A client assigned to ``worker`` and enrolled in ``project``."""
    client = ClientFactory(organisation=project.organisation, **fields)
    EnrolmentFactory(
        client=client,
        project=project,
        entry_date=entry or project.start_date,
        exit_date=exit_date,
    )
    CaseAssignmentFactory(client=client, project=project, worker=worker)
    return client


def visit(project, key_activity, clients=(), **overrides) -> dict:
    """The POST data of a typical visit: today, 30 minutes in the field."""
    data = {
        "project": project.pk,
        "key_activity": key_activity.pk,
        "date": TODAY.isoformat(),
        "duration_preset": "30",
        "delivery_mode": mode("field_visit").pk,
        "clients": [c.pk for c in clients],
        "submission_id": str(uuid.uuid4()),
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def log(client, data, query=""):
    return client.post(reverse("intervention_create") + query, data)


def messages_of(response, field):
    return response.context["form"].errors.get(field, [])


def service_call(project, key_activity, by, **overrides):
    kwargs = {
        "by": by,
        "project": project,
        "key_activity": key_activity,
        "date": TODAY,
        "duration_minutes": 30,
        "delivery_mode": mode("field_visit"),
    }
    kwargs.update(overrides)
    return services.log_intervention(**kwargs)


def rule_errors(excinfo) -> dict:
    return {field: [str(m) for m in messages] for field, messages in excinfo.value}


# --- The form -----------------------------------------------------------------------------


def test_form_preselects_client_project_date_and_first_form(client, worker_a, client_a, ka03):
    client.force_login(worker_a)

    response = client.get(reverse("intervention_create"), {"client": client_a.pk})

    form = response.context["form"]
    assert form.initial["date"] == TODAY
    assert form.initial["project"] == form.single_project.pk
    assert form.initial["delivery_mode"] == mode("field_visit").pk
    assert [m.client for g in form.selected_groups for m in g.members] == [client_a]
    assert f'id="id_clients_{client_a.pk}" checked' in response.text
    assert 'name="submission_id"' in response.text


def test_form_preselects_key_activity_and_form_of_last_entry(
    client, project, worker_a, client_a, ka03, ka05
):
    InterventionFactory(
        project=project,
        key_activity=ka05,
        delivery_mode=mode("phone"),
        created_by=worker_a,
        workers=[worker_a],
    )
    client.force_login(worker_a)

    response = client.get(reverse("intervention_create"))

    form = response.context["form"]
    assert (form.initial["key_activity"], form.initial["delivery_mode"]) == (
        ka05.pk,
        mode("phone").pk,
    )


def test_form_submission_id_is_new_each_time(client, worker_a, ka03):
    client.force_login(worker_a)

    first = client.get(reverse("intervention_create")).context["form"].initial["submission_id"]
    second = client.get(reverse("intervention_create")).context["form"].initial["submission_id"]

    assert first != second


def test_form_lists_own_clients_only(client, worker_a, client_a, client_b, ka03):
    client.force_login(worker_a)

    response = client.get(reverse("intervention_create"))

    shown = [m.client for g in response.context["form"].client_groups for m in g.members]
    assert shown == [client_a]
    assert client_b.last_name not in response.text


def test_form_with_client_of_another_worker_is_404(client, worker_a, client_b, ka03):
    client.force_login(worker_a)

    response = client.get(reverse("intervention_create"), {"client": client_b.pk})

    assert response.status_code == 404
    assert client_b.last_name not in response.text


@pytest.mark.parametrize("persona", ["guarantor", "admin_user", "foreign_admin"])
def test_form_is_for_field_workers_only(client, request, persona, ka03):
    client.force_login(request.getfixturevalue(persona))

    response = client.get(reverse("intervention_create"))

    assert (response.status_code, response.context["form"]) == (403, None)


def test_form_requires_login(client):
    response = client.get(reverse("intervention_create"))

    assert (response.status_code, response.url) == (
        302,
        f"{reverse('login')}?next={reverse('intervention_create')}",
    )


def test_form_offers_goals_of_the_selected_clients_plans(client, project, worker_a, client_a, ka03):
    plan = IndividualPlanFactory(project=project, client=client_a, created_by=worker_a)
    goal = PlanGoal.objects.create(plan=plan, goal="Chci splácet nájem včas.")
    PlanGoal.objects.create(plan=plan, goal="Hotový cíl", status=GoalStatus.ACHIEVED)
    other = own_client(project, worker_a)
    other_plan = IndividualPlanFactory(project=project, client=other, created_by=worker_a)
    PlanGoal.objects.create(plan=other_plan, goal="Cíl jiného klienta")
    client.force_login(worker_a)

    response = client.get(reverse("intervention_create"), {"client": client_a.pk})

    choices = response.context["form"].fields["plan_goal"].choices
    assert choices[2:] == [(client_a.full_name, [(str(goal.pk), "Chci splácet nájem včas.")])]
    assert [value for value, _ in choices[:2]] == ["", forms.ONE_OFF]


# --- Logging ------------------------------------------------------------------------------


def test_log_a_visit(client, project, worker_a, client_a, ka03):
    client.force_login(worker_a)
    debts = Topic.objects.get(code="debts")

    response = log(
        client,
        visit(project, ka03, [client_a], topics=[debts.pk], record="Dopis exekutorovi."),
        query=f"?client={client_a.pk}",
    )

    intervention = Intervention.objects.get()
    assert (response.status_code, response.url) == (302, intervention.get_absolute_url())
    assert (
        intervention.date,
        intervention.duration_minutes,
        intervention.delivery_mode.code,
        intervention.record,
        intervention.created_by,
    ) == (TODAY, 30, "field_visit", "Dopis exekutorovi.", worker_a)
    assert list(intervention.clients.all()) == [client_a]
    assert list(intervention.workers.all()) == [worker_a]
    assert list(intervention.topics.all()) == [debts]
    assert Task.objects.count() == 0


@pytest.mark.parametrize("preset", [15, 30, 45, 60, 90])
def test_duration_presets(client, project, worker_a, client_a, ka03, preset):
    client.force_login(worker_a)

    log(client, visit(project, ka03, [client_a], duration_preset=str(preset)))

    assert Intervention.objects.get().duration_minutes == preset


def test_duration_presets_are_radio_buttons_styled_as_buttons(client, worker_a, ka03):
    client.force_login(worker_a)

    response = client.get(reverse("intervention_create"))

    for minutes in forms.DURATION_PRESETS:
        assert 'name="duration_preset" id="id_duration_preset_' in response.text
        assert f'value="{minutes}" autocomplete="off">' in response.text
    assert response.text.count('class="btn-check" name="duration_preset"') == 5


def test_typed_minutes_win_over_a_preset(client, project, worker_a, client_a, ka03):
    client.force_login(worker_a)

    log(client, visit(project, ka03, [client_a], duration_preset="30", duration_other="50"))

    assert Intervention.objects.get().duration_minutes == 50


@pytest.mark.parametrize("minutes", ["1", "1440"])
def test_typed_minutes_at_the_limits(client, project, worker_a, client_a, ka03, minutes):
    client.force_login(worker_a)

    log(client, visit(project, ka03, [client_a], duration_preset=None, duration_other=minutes))

    assert Intervention.objects.get().duration_minutes == int(minutes)


@pytest.mark.parametrize("minutes", ["0", "1441", "-5", "půl hodiny", "1.5"])
def test_typed_minutes_out_of_range(client, project, worker_a, client_a, ka03, minutes):
    client.force_login(worker_a)

    response = log(client, visit(project, ka03, [client_a], duration_other=minutes))

    assert messages_of(response, "duration_other") == [forms.DURATION_RANGE]
    assert escape(str(forms.DURATION_RANGE)) in response.text
    assert Intervention.objects.count() == 0


def test_duration_is_required(client, project, worker_a, client_a, ka03):
    client.force_login(worker_a)

    response = log(client, visit(project, ka03, [client_a], duration_preset=None))

    assert messages_of(response, "duration_preset") == [forms.DURATION_MISSING]


def test_error_keeps_what_was_typed(client, project, worker_a, client_a, ka03):
    client.force_login(worker_a)

    response = log(
        client,
        visit(project, ka03, [client_a], duration_preset=None, record="Klientka přinesla výzvu."),
    )

    assert response.status_code == 200
    assert "Klientka přinesla výzvu." in response.text
    assert f'id="id_clients_{client_a.pk}" checked' in response.text


def test_add_clients_by_code(client, project, worker_a, client_a, ka03):
    second = own_client(project, worker_a, code="RAL-0042")
    client.force_login(worker_a)

    log(client, visit(project, ka03, [client_a], client_codes="ral-0042"))

    assert list(Intervention.objects.get().clients.order_by("code")) == [client_a, second]


def test_codes_of_clients_the_worker_cannot_see_are_refused(
    client, project, worker_a, client_a, client_b, ka03
):
    client.force_login(worker_a)

    response = log(client, visit(project, ka03, [client_a], client_codes="RAL-0002 RAL-9999"))

    assert [str(m) for m in messages_of(response, "client_codes")] == [
        str(forms.UNKNOWN_CLIENT_CODES) % {"codes": "RAL-0002, RAL-9999"}
    ]
    assert Intervention.objects.count() == 0


def test_ticking_a_client_of_another_worker_is_refused(
    client, project, worker_a, client_a, client_b, ka03
):
    client.force_login(worker_a)

    response = log(client, visit(project, ka03, [client_a, client_b]))

    assert list(response.context["form"].errors) == ["clients"]
    assert Intervention.objects.count() == 0


# --- Rules ----------------------------------------------------------------------------------


def test_date_in_the_future(client, project, worker_a, client_a, ka03):
    client.force_login(worker_a)

    response = log(client, visit(project, ka03, [client_a], date="2021-03-16"))

    assert messages_of(response, "date") == [str(services.DATE_IN_FUTURE)]


def test_date_before_the_project(client, project, worker_a, client_a, ka03):
    client.force_login(worker_a)

    response = log(client, visit(project, ka03, [client_a], date="2020-08-31"))

    assert messages_of(response, "date") == [
        str(services.DATE_BEFORE_PROJECT) % {"start": "1. 9. 2020"}
    ]


def test_date_after_the_project(client, time_machine, project, worker_a, client_a, ka03):
    time_machine.move_to(dt.datetime(2022, 8, 15, 10, 0, tzinfo=ZoneInfo("Europe/Prague")))
    client.force_login(worker_a)

    response = log(client, visit(project, ka03, [client_a], date="2022-07-01"))

    assert messages_of(response, "date") == [
        str(services.DATE_AFTER_PROJECT) % {"end": "30. 6. 2022"}
    ]


def test_date_within_an_extension(client, time_machine, project, worker_a, client_a, ka03):
    ProjectExtension.objects.create(project=project, new_end_date=dt.date(2022, 8, 31))
    time_machine.move_to(dt.datetime(2022, 8, 15, 10, 0, tzinfo=ZoneInfo("Europe/Prague")))
    client.force_login(worker_a)

    log(client, visit(project, ka03, [client_a], date="2022-07-01"))

    assert Intervention.objects.get().date == dt.date(2022, 7, 1)


def test_client_not_enrolled_in_the_project(client, project, worker_a, ka03):
    unenrolled = ClientFactory(
        organisation=project.organisation, code="RAL-0077", first_name="Petr", last_name="Nový"
    )
    CaseAssignmentFactory(client=unenrolled, project=project, worker=worker_a)
    client.force_login(worker_a)

    response = log(client, visit(project, ka03, [unenrolled]))

    assert messages_of(response, "clients") == [
        str(services.CLIENT_NOT_ENROLLED) % {"client": "Petr Nový (RAL-0077)"}
    ]
    assert Intervention.objects.count() == 0


@pytest.mark.parametrize(
    ("entry", "exit_date", "day", "shown_exit"),
    [
        pytest.param(dt.date(2021, 3, 1), None, "2021-02-28", "…", id="before-entry"),
        pytest.param(
            dt.date(2020, 9, 1), dt.date(2021, 1, 31), "2021-02-01", "31. 1. 2021", id="after-exit"
        ),
    ],
)
def test_date_outside_the_clients_support(
    client, project, worker_a, ka03, entry, exit_date, day, shown_exit
):
    person = own_client(
        project,
        worker_a,
        entry=entry,
        exit_date=exit_date,
        code="RAL-0050",
        first_name="Eva",
        last_name="Malá",
    )
    client.force_login(worker_a)

    response = log(client, visit(project, ka03, [person], date=day))

    assert messages_of(response, "clients") == [
        str(services.CLIENT_OUTSIDE_SUPPORT)
        % {
            "client": "Eva Malá (RAL-0050)",
            "entry": f"{entry.day}. {entry.month}. {entry.year}",
            "exit": shown_exit,
        }
    ]
    assert Intervention.objects.count() == 0


def test_date_on_the_exit_day_counts(client, project, worker_a, ka03):
    person = own_client(project, worker_a, exit_date=dt.date(2021, 1, 31))
    client.force_login(worker_a)

    log(client, visit(project, ka03, [person], date="2021-01-31"))

    assert Intervention.objects.get().date == dt.date(2021, 1, 31)


def test_field_only_type_cannot_be_in_the_office(client, project, worker_a, client_a, ka03):
    client.force_login(worker_a)

    response = log(
        client,
        visit(
            project,
            ka03,
            [client_a],
            delivery_mode=mode("office").pk,
            intervention_type=kind("accompaniment").pk,
            plan_goal=forms.ONE_OFF,
        ),
    )

    assert messages_of(response, "delivery_mode") == [
        str(services.FIELD_ONLY_IN_OFFICE) % {"type": "Doprovod"}
    ]


def test_office_counselling_is_fine(client, project, worker_a, client_a, ka03):
    client.force_login(worker_a)

    log(
        client,
        visit(
            project,
            ka03,
            [client_a],
            delivery_mode=mode("office").pk,
            intervention_type=kind("basic_counselling").pk,
            plan_goal=forms.ONE_OFF,
        ),
    )

    assert (Intervention.objects.get().is_one_off, Intervention.objects.get().plan_goal) == (
        True,
        None,
    )


def test_outreach_needs_no_goal(client, project, worker_a, client_a, ka03):
    client.force_login(worker_a)

    log(client, visit(project, ka03, [client_a], intervention_type=kind("outreach").pk))

    intervention = Intervention.objects.get()
    assert (
        intervention.intervention_type.code,
        intervention.plan_goal,
        intervention.is_one_off,
    ) == (
        "outreach",
        None,
        False,
    )


def test_other_types_need_a_goal_or_a_one_off(client, project, worker_a, client_a, ka03):
    client.force_login(worker_a)

    response = log(
        client, visit(project, ka03, [client_a], intervention_type=kind("field_work").pk)
    )

    assert messages_of(response, "plan_goal") == [services.GOAL_OR_ONE_OFF]


def test_support_linked_to_a_plan_goal(client, project, worker_a, client_a, ka03):
    plan = IndividualPlanFactory(project=project, client=client_a, created_by=worker_a)
    goal = PlanGoal.objects.create(plan=plan, goal="Chci podat návrh na oddlužení.")
    client.force_login(worker_a)

    log(
        client,
        visit(
            project,
            ka03,
            [client_a],
            intervention_type=kind("field_work").pk,
            plan_goal=str(goal.pk),
        ),
    )

    assert Intervention.objects.get().plan_goal == goal


def test_goal_of_a_client_not_at_the_visit_is_refused(project, worker_a, client_a, ka03):
    other = own_client(project, worker_a)
    plan = IndividualPlanFactory(project=project, client=other, created_by=worker_a)
    goal = PlanGoal.objects.create(plan=plan, goal="Cizí cíl")

    with pytest.raises(ValidationError) as excinfo:
        service_call(project, ka03, worker_a, clients=[client_a], plan_goal=goal)

    assert rule_errors(excinfo) == {"plan_goal": [str(services.GOAL_NOT_OF_CLIENTS)]}


def test_key_activity_of_another_project_is_refused(project, other_project, worker_a, client_a):
    foreign_ka = KeyActivityFactory(project=other_project)

    with pytest.raises(ValidationError) as excinfo:
        service_call(project, foreign_ka, worker_a, clients=[client_a])

    assert rule_errors(excinfo) == {"key_activity": [str(services.KEY_ACTIVITY_NOT_IN_PROJECT)]}


def test_co_worker_from_outside_the_project_is_refused(
    project, worker_a, guarantor, client_a, ka03
):
    with pytest.raises(ValidationError) as excinfo:
        service_call(project, ka03, worker_a, clients=[client_a], coworkers=[guarantor])

    assert rule_errors(excinfo) == {
        "coworkers": [str(services.WORKER_NOT_IN_PROJECT) % {"worker": "Gustav Garant"}]
    }


def test_anonymous_count_only_at_a_group_session(client, project, worker_a, client_a, ka03):
    client.force_login(worker_a)

    response = log(client, visit(project, ka03, [client_a], anonymous_count="2"))

    assert messages_of(response, "anonymous_count") == [services.ANONYMOUS_ONLY_IN_GROUP]


def test_somebody_must_be_supported(client, project, worker_a, ka03):
    client.force_login(worker_a)

    response = log(client, visit(project, ka03, []))

    assert messages_of(response, "clients") == [services.NOBODY_SUPPORTED]


def test_evaluation_work_needs_no_client(client, project, worker_a):
    evaluation = KeyActivityFactory(project=project, code="KA 07", is_evaluation=True)
    client.force_login(worker_a)

    log(client, visit(project, evaluation, []))

    assert list(Intervention.objects.get().clients.all()) == []


def test_all_rule_messages_at_once(client, project, worker_a, ka03):
    unenrolled = ClientFactory(organisation=project.organisation)
    CaseAssignmentFactory(client=unenrolled, project=project, worker=worker_a)
    client.force_login(worker_a)

    response = log(
        client,
        visit(
            project,
            ka03,
            [unenrolled],
            date="2021-04-01",
            delivery_mode=mode("office").pk,
            intervention_type=kind("outreach").pk,
        ),
    )

    assert sorted(response.context["form"].errors) == ["clients", "date", "delivery_mode"]


# --- Co-workers, households, groups, follow-up ------------------------------------------------


def test_co_workers_are_recorded(client, project, worker_a, worker_b, client_a, ka03):
    client.force_login(worker_a)

    log(client, visit(project, ka03, [client_a], coworkers=[worker_b.pk]))

    assert list(Intervention.objects.get().workers.order_by("username")) == [worker_a, worker_b]


def test_co_worker_choices_are_the_projects_other_workers(
    client, worker_a, worker_b, guarantor, other_project, ka03
):
    MembershipFactory(project=other_project, role=Role.WORKER)
    client.force_login(worker_a)

    response = client.get(reverse("intervention_create"))

    assert list(response.context["form"].fields["coworkers"].queryset) == [worker_b]


@pytest.fixture
def household(project, worker_a, client_a):
    """client_a lives with her partner (also a client of worker_a) and a small child."""
    home = HouseholdFactory(organisation=project.organisation, name="Adámkovi")
    partner = own_client(project, worker_a, first_name="Karel", last_name="Adámek")
    for person in (client_a, partner):
        person.household = home
        person.save(update_fields=["household"])
        home.members.create(client=person, relationship="partner")
    home.members.create(name="Malý Adámek", birth_year=2019, relationship="child")
    return home


def test_household_is_offered_with_the_client(client, worker_a, client_a, household, ka03):
    client.force_login(worker_a)

    response = client.get(reverse("intervention_create"), {"client": client_a.pk})

    (group,) = response.context["form"].selected_groups
    assert group.household == household
    assert [(m.client.last_name, m.checked) for m in group.members] == [
        ("Adámek", False),
        ("Adámková", True),
    ]
    assert f'name="households" value="{household.pk}"' in response.text


def test_whole_household_in_one_tap(client, project, worker_a, household, ka03):
    client.force_login(worker_a)

    log(client, visit(project, ka03, [], households=[household.pk]))

    assert list(Intervention.objects.get().clients.values_list("last_name", flat=True)) == [
        "Adámek",
        "Adámková",
    ]


def test_group_session_gives_each_identified_attendee_the_full_duration(
    client, project, worker_a, ka03
):
    attendees = [own_client(project, worker_a) for _ in range(8)]
    client.force_login(worker_a)

    log(
        client,
        visit(
            project,
            ka03,
            attendees,
            delivery_mode=mode("group").pk,
            duration_preset=None,
            duration_other="120",
            anonymous_count="3",
        ),
    )

    intervention = Intervention.objects.get()
    minutes = with_participant_status(Enrolment.objects.filter(project=project)).values_list(
        "support_minutes", flat=True
    )
    assert (intervention.is_group, intervention.anonymous_count) == (True, 3)
    assert list(minutes) == [120] * 8


def test_group_checkbox_allows_anonymous_count(client, project, worker_a, client_a, ka03):
    client.force_login(worker_a)

    log(client, visit(project, ka03, [client_a], is_group="on", anonymous_count="4"))

    assert (Intervention.objects.get().is_group, Intervention.objects.get().anonymous_count) == (
        True,
        4,
    )


def test_follow_up_task(client, project, worker_a, client_a, ka03):
    client.force_login(worker_a)

    log(
        client,
        visit(
            project,
            ka03,
            [client_a],
            follow_up_title="Zavolat na úřad práce",
            follow_up_due="2021-03-22",
        ),
    )

    task = Task.objects.get()
    assert (task.title, task.due_date, task.owner, task.client, task.project, task.done_at) == (
        "Zavolat na úřad práce",
        dt.date(2021, 3, 22),
        worker_a,
        client_a,
        project,
        None,
    )


@pytest.mark.parametrize(
    ("title", "due", "field", "message"),
    [
        pytest.param("Zavolat", None, "follow_up_due", forms.FOLLOW_UP_NEEDS_DUE, id="no-due"),
        pytest.param(
            None, "2021-03-22", "follow_up_title", forms.FOLLOW_UP_NEEDS_TITLE, id="no-title"
        ),
        pytest.param("Zavolat", "2021-03-14", "follow_up_due", forms.FOLLOW_UP_IN_PAST, id="past"),
    ],
)
def test_follow_up_needs_title_and_due_date(
    client, project, worker_a, client_a, ka03, title, due, field, message
):
    client.force_login(worker_a)

    response = log(
        client, visit(project, ka03, [client_a], follow_up_title=title, follow_up_due=due)
    )

    assert messages_of(response, field) == [message]
    assert (Intervention.objects.count(), Task.objects.count()) == (0, 0)


# --- Sent twice -------------------------------------------------------------------------------


def test_same_submission_twice_creates_one_intervention(client, project, worker_a, client_a, ka03):
    client.force_login(worker_a)
    data = visit(project, ka03, [client_a], follow_up_title="Zavolat", follow_up_due="2021-03-20")

    first = log(client, data)
    second = log(client, data)

    intervention = Intervention.objects.get()
    assert first.url == second.url == intervention.get_absolute_url()
    assert (Intervention.objects.count(), Task.objects.count()) == (1, 1)
    assert intervention.submission_id == uuid.UUID(data["submission_id"])


def test_submission_id_of_another_worker_is_not_handed_over(
    project, worker_a, worker_b, client_a, client_b, ka03
):
    submission = uuid.uuid4()
    first = service_call(project, ka03, worker_a, clients=[client_a], submission_id=submission)

    with pytest.raises(ValidationError) as excinfo:
        service_call(project, ka03, worker_b, clients=[client_b], submission_id=submission)

    assert excinfo.value.messages == [str(services.SUBMISSION_TAKEN)]
    assert list(Intervention.objects.all()) == [first]


# --- The log ----------------------------------------------------------------------------------


@pytest.fixture
def two_logs(project, worker_a, worker_b, client_a, client_b, ka03, ka05):
    mine = InterventionFactory(
        project=project,
        key_activity=ka03,
        date=dt.date(2021, 3, 1),
        created_by=worker_a,
        workers=[worker_a],
        participants=[client_a],
    )
    theirs = InterventionFactory(
        project=project,
        key_activity=ka05,
        date=dt.date(2021, 3, 2),
        created_by=worker_b,
        workers=[worker_b],
        participants=[client_b],
    )
    return mine, theirs


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        pytest.param("worker_a", ["mine"], id="worker-own-log"),
        pytest.param("worker_b", ["theirs"], id="other-worker-own-log"),
        pytest.param("guarantor", ["theirs", "mine"], id="guarantor-project"),
        pytest.param("admin_user", ["theirs", "mine"], id="admin-organisation"),
        pytest.param("other_guarantor", [], id="guarantor-of-another-project"),
        pytest.param("foreign_admin", [], id="foreign-admin"),
    ],
)
def test_log_shows_what_the_user_may_see(client, request, two_logs, persona, expected):
    mine, theirs = two_logs
    named = {"mine": mine, "theirs": theirs}
    client.force_login(request.getfixturevalue(persona))

    response = client.get(reverse("intervention_list"))

    assert list(response.context["page"].object_list) == [named[n] for n in expected]
    assert ("Adámková" in response.text) == ("mine" in expected)
    assert ("Bartoš" in response.text) == ("theirs" in expected)


def test_log_shows_interventions_with_own_clients_logged_by_others(
    client, project, worker_a, worker_b, client_a, ka03
):
    by_colleague = InterventionFactory(
        project=project,
        key_activity=ka03,
        created_by=worker_b,
        workers=[worker_b],
        participants=[client_a],
    )
    client.force_login(worker_a)

    # Cleared dates: the whole log, not only the default last three months.
    response = client.get(reverse("intervention_list"), {"date_from": "", "date_to": ""})

    assert list(response.context["page"].object_list) == [by_colleague]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        pytest.param({"client": "ral-0001"}, ["mine"], id="client-code"),
        pytest.param({"date_from": "2021-03-02"}, ["theirs"], id="date-from"),
        pytest.param({"date_to": "2021-03-01"}, ["mine"], id="date-to"),
        pytest.param({"key_activity": "ka05"}, ["theirs"], id="key-activity"),
        pytest.param({"worker": "worker_a"}, ["mine"], id="worker"),
        pytest.param({"project": "other_project"}, [], id="project"),
    ],
)
def test_log_filters(client, request, admin_user, two_logs, other_project, params, expected):
    mine, theirs = two_logs
    named = {"mine": mine, "theirs": theirs}
    query = {
        key: (
            request.getfixturevalue(value).pk
            if value in {"ka05", "worker_a", "other_project"}
            else value
        )
        for key, value in params.items()
    }
    client.force_login(admin_user)

    response = client.get(reverse("intervention_list"), query)

    assert list(response.context["page"].object_list) == [named[n] for n in expected]


def test_worker_filter_is_for_managers_only(client, worker_a, guarantor):
    client.force_login(worker_a)
    as_worker = client.get(reverse("intervention_list"))
    client.force_login(guarantor)
    as_guarantor = client.get(reverse("intervention_list"))

    assert "worker" not in as_worker.context["filter"].form.fields
    assert list(as_guarantor.context["filter"].form.fields["worker"].queryset) == [worker_a]


def test_log_rows_for_htmx(client, worker_a, two_logs):
    client.force_login(worker_a)

    response = client.get(reverse("intervention_list"), headers={"HX-Request": "true"})

    assert "<html" not in response.text
    assert "Adámková" in response.text
    assert response.headers["Vary"].count("HX-Request") == 1


@pytest.mark.parametrize("size", [1, 3])
def test_log_query_count(client, django_assert_num_queries, project, worker_a, ka03, size):
    topics = list(Topic.objects.all()[:2])
    for _ in range(size):
        intervention = InterventionFactory(
            project=project,
            key_activity=ka03,
            date=project.end_date,  # within the default range of the log
            created_by=worker_a,
            workers=[worker_a],
            participants=[own_client(project, worker_a), own_client(project, worker_a)],
        )
        intervention.topics.set(topics)
    client.force_login(worker_a)

    # session, user, roles (navigation), filter choices (project, key activity, institution),
    # rows with their clients, workers and topics; a page shorter than the page size needs no
    # count.
    with django_assert_num_queries(7):
        response = client.get(reverse("intervention_list"))

    assert len(response.context["page"].object_list) == size


def test_a_guarantors_full_log_page_is_counted_in_two_parts(
    client, django_assert_num_queries, project, worker_a, guarantor, ka03
):
    from casework.views import INTERVENTION_PAGE_SIZE

    person = own_client(project, worker_a)
    for _ in range(INTERVENTION_PAGE_SIZE + 2):
        InterventionFactory(
            project=project,
            key_activity=ka03,
            date=project.end_date,
            created_by=worker_a,
            workers=[worker_a],
            participants=[person],
        )
    client.force_login(guarantor)

    # session, user, roles, filter choices (project, key activity, institution, worker),
    # rows; the count as its two parts: the managed projects, and the rest of the scope.
    with django_assert_num_queries(10):
        response = client.get(reverse("intervention_list"))

    page = response.context["page"]
    assert (len(page.object_list), page.paginator.count) == (
        INTERVENTION_PAGE_SIZE,
        INTERVENTION_PAGE_SIZE + 2,
    )


# --- Detail and edit --------------------------------------------------------------------------


@pytest.fixture
def logged(project, worker_a, client_a, ka03):
    return services.log_intervention(
        by=worker_a,
        project=project,
        key_activity=ka03,
        date=dt.date(2021, 3, 1),
        duration_minutes=45,
        delivery_mode=mode("field_visit"),
        clients=[client_a],
        record="Výzva k úhradě nájmu.",
    )


@pytest.mark.parametrize(
    ("persona", "status", "can_edit"),
    [
        pytest.param("worker_a", 200, True, id="worker-who-took-part"),
        pytest.param("worker_b", 404, None, id="other-worker"),
        pytest.param("guarantor", 200, True, id="guarantor"),
        pytest.param("admin_user", 200, True, id="admin"),
        pytest.param("other_guarantor", 404, None, id="guarantor-of-another-project"),
        pytest.param("foreign_admin", 404, None, id="foreign-admin"),
    ],
)
def test_detail_by_role(client, request, logged, persona, status, can_edit):
    client.force_login(request.getfixturevalue(persona))

    response = client.get(reverse("intervention_detail", args=[logged.pk]))

    assert response.status_code == status
    assert ("Výzva k úhradě nájmu." in response.text) == (status == 200)
    if status == 200:
        assert response.context["can_edit"] is can_edit


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        pytest.param("worker_a", 200, id="worker-who-took-part"),
        pytest.param("worker_b", 404, id="other-worker"),
        pytest.param("guarantor", 200, id="guarantor"),
        pytest.param("admin_user", 200, id="admin"),
        pytest.param("other_guarantor", 404, id="guarantor-of-another-project"),
        pytest.param("foreign_admin", 404, id="foreign-admin"),
    ],
)
def test_edit_form_by_role(client, request, logged, persona, status):
    client.force_login(request.getfixturevalue(persona))

    response = client.get(reverse("intervention_edit", args=[logged.pk]))

    assert response.status_code == status
    assert ("Výzva k úhradě nájmu." in response.text) == (status == 200)


def test_visible_but_not_editable_is_403(client, project, worker_a, worker_b, client_a, ka03):
    by_colleague = InterventionFactory(
        project=project,
        key_activity=ka03,
        created_by=worker_b,
        workers=[worker_b],
        participants=[client_a],
        record="Záznam kolegy",
    )
    client.force_login(worker_a)

    detail = client.get(reverse("intervention_detail", args=[by_colleague.pk]))
    edit = client.get(reverse("intervention_edit", args=[by_colleague.pk]))
    post = client.post(reverse("intervention_edit", args=[by_colleague.pk]), {"record": "x"})

    by_colleague.refresh_from_db()
    assert (detail.context["can_edit"], edit.status_code, post.status_code) == (False, 403, 403)
    assert by_colleague.record == "Záznam kolegy"


def test_co_worker_who_took_part_may_edit(client, project, worker_a, worker_b, client_a, ka03):
    shared = service_call(project, ka03, worker_a, clients=[client_a], coworkers=[worker_b])
    client.force_login(worker_b)

    response = client.get(reverse("intervention_edit", args=[shared.pk]))

    assert response.status_code == 200


def edit_data(intervention, **overrides):
    data = {
        "version": intervention.version,
        "key_activity": intervention.key_activity_id,
        "date": intervention.date.isoformat(),
        "duration_preset": "",
        "duration_other": str(intervention.duration_minutes),
        "delivery_mode": intervention.delivery_mode_id,
        "clients": [c.pk for c in intervention.clients.all()],
        "record": intervention.record,
    }
    data.update(overrides)
    return data


def test_edit_saves_and_moves_the_version_on(client, worker_a, logged):
    client.force_login(worker_a)

    response = client.post(
        reverse("intervention_edit", args=[logged.pk]),
        edit_data(logged, duration_preset="60", duration_other="", record="Opraveno."),
    )

    logged.refresh_from_db()
    assert (response.status_code, response.url) == (302, logged.get_absolute_url())
    assert (logged.duration_minutes, logged.record, logged.version) == (60, "Opraveno.", 2)
    assert list(logged.workers.all()) == [worker_a]


def test_edit_form_shows_current_values(client, worker_a, client_a, logged):
    client.force_login(worker_a)

    response = client.get(reverse("intervention_edit", args=[logged.pk]))

    form = response.context["form"]
    assert (form.initial["duration_other"], form.initial["duration_preset"]) == (None, 45)
    assert form.initial["clients"] == [client_a.pk]
    assert "submission_id" not in form.fields
    assert form.fields["project"].disabled is True


def test_guarantor_edit_keeps_the_workers(client, guarantor, worker_a, logged):
    client.force_login(guarantor)

    client.post(reverse("intervention_edit", args=[logged.pk]), edit_data(logged, record="G."))

    logged.refresh_from_db()
    assert (logged.record, list(logged.workers.all())) == ("G.", [worker_a])


def test_edit_keeps_a_worker_who_has_left_the_project(client, guarantor, worker_a, logged):
    Membership.objects.filter(user=worker_a).delete()
    client.force_login(guarantor)

    response = client.post(
        reverse("intervention_edit", args=[logged.pk]), edit_data(logged, record="Po odchodu.")
    )

    logged.refresh_from_db()
    assert (response.status_code, logged.record) == (302, "Po odchodu.")
    assert list(logged.workers.all()) == [worker_a]


def test_edit_with_a_stale_version_is_refused(client, worker_a, guarantor, logged):
    client.force_login(guarantor)
    client.post(reverse("intervention_edit", args=[logged.pk]), edit_data(logged, record="Garant."))
    client.force_login(worker_a)

    response = client.post(
        reverse("intervention_edit", args=[logged.pk]), edit_data(logged, record="Pracovnice.")
    )

    logged.refresh_from_db()
    assert response.context["form"].non_field_errors() == [str(CONFLICT_MESSAGE)]
    assert escape(str(CONFLICT_MESSAGE)) in response.text
    assert [(f.name, f.yours, f.theirs) for f in response.context["conflict"].fields] == [
        ("record", "Pracovnice.", "Garant.")
    ]
    assert "Pracovnice." in response.text
    assert (logged.record, logged.version) == ("Garant.", 2)


def test_edit_checks_the_rules(client, worker_a, logged):
    client.force_login(worker_a)

    response = client.post(
        reverse("intervention_edit", args=[logged.pk]), edit_data(logged, date="2021-03-20")
    )

    logged.refresh_from_db()
    assert messages_of(response, "date") == [str(services.DATE_IN_FUTURE)]
    assert logged.version == 1


def test_other_worker_cannot_post_an_edit(client, worker_b, logged):
    client.force_login(worker_b)

    response = client.post(
        reverse("intervention_edit", args=[logged.pk]), edit_data(logged, record="Cizí")
    )

    logged.refresh_from_db()
    assert (response.status_code, logged.record) == (404, "Výzva k úhradě nájmu.")


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        pytest.param("worker_a", True, id="worker-who-took-part"),
        pytest.param("worker_b", False, id="other-worker"),
        pytest.param("guarantor", True, id="guarantor"),
        pytest.param("admin_user", True, id="admin"),
        pytest.param("other_guarantor", False, id="guarantor-of-another-project"),
        pytest.param("foreign_admin", False, id="foreign-admin"),
    ],
)
def test_can_edit_intervention(request, logged, persona, expected):
    assert can_edit_intervention(request.getfixturevalue(persona), logged) is expected


def test_deactivated_worker_cannot_edit(worker_a, logged):
    worker_a.is_active = False
    worker_a.save(update_fields=["is_active"])

    assert can_edit_intervention(worker_a, logged) is False


def test_form_of_an_ended_project_defaults_to_its_last_day(
    client, time_machine, project, worker_a, client_a, ka03
):
    # Today is after the project: the default date must not greet the worker with an error.
    time_machine.move_to(dt.datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("Europe/Prague")))
    client.force_login(worker_a)

    form = client.get(reverse("intervention_create"), {"client": client_a.pk}).context["form"]

    assert form.initial["date"] == project.end_date
