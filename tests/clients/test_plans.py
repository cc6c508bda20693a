"""Individual plans (quality standard 5): writing, editing, the guarantor's sign-off, the
client's printed copy; and who may reach each of them."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils.translation import gettext as _

from casework.conflicts import CONFLICT_MESSAGE
from clients import forms, services, views
from clients.models import GoalStatus, IndividualPlan, PlanGoal, PlanStatus
from tests.factories import (
    IndividualPlanFactory,
    InterventionFactory,
)

pytestmark = pytest.mark.django_db

TODAY = dt.date(2021, 3, 15)


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(
        dt.datetime(2021, 3, 15, 10, 0, tzinfo=ZoneInfo("Europe/Prague")), tick=False
    )


def goal(plan, text, order=0, **fields):
    return PlanGoal.objects.create(plan=plan, goal=text, order=order, **fields)


@pytest.fixture
def plan_a(project, client_a, worker_a):
    plan = IndividualPlanFactory(
        project=project,
        client=client_a,
        created_by=worker_a,
        status=PlanStatus.ACTIVE,
        created_on=dt.date(2021, 3, 1),
        next_meeting_on=dt.date(2021, 3, 23),
        next_meeting_note="v 10:00 v komunitním centru",
        evaluation="Interní poznámka: klientka se vyhýbá schůzkám.",
    )
    goal(
        plan,
        "Chci si udržet byt.",
        0,
        steps="Zaplatit dluh na nájmu.",
        responsible="Anna: nosí složenky",
    )
    goal(plan, "Chci mít méně exekucí.", 1, target_date=dt.date(2021, 6, 30))
    return plan


@pytest.fixture
def plan_b(project, client_b, worker_b):
    plan = IndividualPlanFactory(project=project, client=client_b, created_by=worker_b)
    goal(plan, "Najít práci.")
    return plan


def goal_data(rows, *, existing=(), prefix="goals"):
    """POST data of the goal formset: ``existing`` goals first, then new ``rows``."""
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(existing) + len(rows)),
        f"{prefix}-INITIAL_FORMS": str(len(existing)),
        f"{prefix}-MIN_NUM_FORMS": "1",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for index, (instance, values) in enumerate([*existing, *[(None, r) for r in rows]]):
        row = {"status": GoalStatus.OPEN, "goal": "", "steps": "", "responsible": ""}
        row.update(values)
        if instance is not None:
            row["id"] = instance.pk
            row["plan"] = instance.plan_id
        for name, value in row.items():
            data[f"{prefix}-{index}-{name}"] = value
    return data


def plan_data(*, version=None, project=None, goals=(), existing=(), **fields):
    data = {
        "created_on": TODAY.isoformat(),
        "status": PlanStatus.DRAFT,
        "review_due": "",
        "next_meeting_on": "",
        "next_meeting_note": "",
        "evaluation": "",
    }
    if project is not None:
        data["project"] = project.pk
    if version is not None:
        data["version"] = version
    data.update(fields)
    data.update(goal_data(goals, existing=existing))
    return data


def goals_of(plan):
    return list(plan.goals.values_list("goal", "order"))


# --- Who reaches which plan -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("worker_a", 200),
        ("worker_b", 404),
        ("guarantor", 200),
        ("admin_user", 200),
        ("other_guarantor", 404),
        ("foreign_admin", 404),
    ],
)
@pytest.mark.parametrize("url_name", ["plan_detail", "plan_edit", "plan_print"])
def test_plan_pages_per_role(client, request, plan_a, persona, status, url_name):
    client.force_login(request.getfixturevalue(persona))

    response = client.get(reverse(f"clients:{url_name}", args=[plan_a.pk]))

    assert response.status_code == status
    assert ("Chci si udržet byt." in response.text) == (status == 200)


@pytest.mark.parametrize("url_name", ["plan_detail", "plan_edit", "plan_print", "plan_sign"])
def test_plan_pages_require_login(client, plan_a, url_name):
    url = reverse(f"clients:{url_name}", args=[plan_a.pk])

    response = client.get(url)

    assert (response.status_code, response.url) == (302, f"{reverse('login')}?next={url}")


def test_worker_cannot_open_another_workers_plan_create(client, worker_a, client_b):
    client.force_login(worker_a)

    response = client.get(reverse("clients:plan_create", args=[client_b.pk]))

    assert response.status_code == 404
    assert client_b.last_name not in response.text


def test_worker_cannot_post_a_plan_for_another_workers_client(client, project, worker_a, client_b):
    client.force_login(worker_a)

    response = client.post(
        reverse("clients:plan_create", args=[client_b.pk]),
        plan_data(project=project, goals=[{"goal": "Cizí cíl"}]),
    )

    assert (response.status_code, IndividualPlan.objects.count()) == (404, 0)


# --- Writing a plan -------------------------------------------------------------------------


def test_plan_create_form_offers_the_clients_project(client, project, worker_a, client_a):
    client.force_login(worker_a)

    response = client.get(reverse("clients:plan_create", args=[client_a.pk]))

    form = response.context["form"]
    assert list(form.fields["project"].queryset) == [project]
    assert (form.initial["project"], form.initial["created_on"]) == (project.pk, TODAY)
    assert response.context["goals"].total_form_count() == 3


def test_plan_create_saves_plan_and_goals_in_order(client, project, worker_a, client_a):
    client.force_login(worker_a)

    response = client.post(
        reverse("clients:plan_create", args=[client_a.pk]),
        plan_data(
            project=project,
            review_due="2021-06-15",
            next_meeting_on="2021-03-22",
            goals=[
                {"goal": "Chci si udržet byt.", "responsible": "Anna: platí nájem"},
                {"goal": "Chci splácet dluhy.", "target_date": "2021-09-30"},
                {},
            ],
        ),
    )

    plan = IndividualPlan.objects.get()
    assert response.url == reverse("clients:plan_detail", args=[plan.pk])
    assert (plan.client, plan.project, plan.created_by, plan.signed_by) == (
        client_a,
        project,
        worker_a,
        None,
    )
    assert (plan.review_due, plan.next_meeting_on) == (dt.date(2021, 6, 15), dt.date(2021, 3, 22))
    assert goals_of(plan) == [("Chci si udržet byt.", 0), ("Chci splácet dluhy.", 1)]


def test_plan_create_by_guarantor(client, project, guarantor, client_a):
    client.force_login(guarantor)

    client.post(
        reverse("clients:plan_create", args=[client_a.pk]),
        plan_data(project=project, goals=[{"goal": "Vyřídit dávky."}]),
    )

    assert list(IndividualPlan.objects.values_list("client", "created_by")) == [
        (client_a.pk, guarantor.pk)
    ]


def test_plan_create_needs_a_goal_and_keeps_the_input(client, project, worker_a, client_a):
    client.force_login(worker_a)

    response = client.post(
        reverse("clients:plan_create", args=[client_a.pk]),
        plan_data(project=project, next_meeting_note="v pondělí v 9:00", goals=[{}, {}]),
    )

    assert response.context["goals"].non_form_errors() == [str(forms.GOALS_MISSING)]
    assert 'value="v pondělí v 9:00"' in response.text
    assert IndividualPlan.objects.count() == 0


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"status": GoalStatus.ACHIEVED}, forms.GOAL_ACHIEVED_ON_MISSING),
        ({"achieved_on": "2021-03-01"}, forms.GOAL_ACHIEVED_ON_NOT_EXPECTED),
        (
            {"status": GoalStatus.ACHIEVED, "achieved_on": "2021-03-16"},
            forms.GOAL_ACHIEVED_IN_FUTURE,
        ),
    ],
)
def test_plan_goal_achievement_rules(client, project, worker_a, client_a, values, message):
    client.force_login(worker_a)

    response = client.post(
        reverse("clients:plan_create", args=[client_a.pk]),
        plan_data(project=project, goals=[{"goal": "Chci si udržet byt.", **values}]),
    )

    assert response.context["goals"].forms[0].errors["achieved_on"] == [str(message)]
    assert "Chci si udržet byt." in response.text


def test_plan_review_cannot_be_before_agreement(client, project, worker_a, client_a):
    client.force_login(worker_a)

    response = client.post(
        reverse("clients:plan_create", args=[client_a.pk]),
        plan_data(project=project, review_due="2021-03-01", goals=[{"goal": "Cíl"}]),
    )

    assert response.context["form"].errors["review_due"] == [
        forms.REVIEW_BEFORE_AGREED % {"date": "15. 3. 2021"}
    ]


def test_plan_project_must_be_one_of_the_clients(client, other_project, worker_a, client_a):
    client.force_login(worker_a)

    response = client.post(
        reverse("clients:plan_create", args=[client_a.pk]),
        plan_data(project=other_project, goals=[{"goal": "Cíl"}]),
    )

    assert list(response.context["form"].errors) == ["project"]
    assert IndividualPlan.objects.count() == 0


def test_create_plan_service_refuses_a_project_the_client_is_not_in(
    other_project, worker_a, client_a
):
    plan = IndividualPlan(client=client_a, project=other_project, created_on=TODAY)

    with pytest.raises(services.ValidationError) as excinfo:
        services.create_plan(plan, by=worker_a, goals=[PlanGoal(goal="Cíl")])

    assert excinfo.value.messages == [
        services.CLIENT_NOT_IN_PROJECT % {"client": client_a.full_name}
    ]


# --- Editing --------------------------------------------------------------------------------


def test_plan_edit_saves_changes_reorders_and_adds_goals(client, plan_a, worker_a):
    first, second = plan_a.goals.all()
    client.force_login(worker_a)

    response = client.post(
        reverse("clients:plan_edit", args=[plan_a.pk]),
        plan_data(
            version=plan_a.version,
            status=PlanStatus.ACTIVE,
            existing=[
                (first, {"goal": "Chci si udržet byt na Husově.", "steps": first.steps}),
                (second, {"goal": second.goal, "status": GoalStatus.PARTLY}),
            ],
            goals=[{"goal": "Chci si najít brigádu."}],
        ),
    )

    plan_a.refresh_from_db()
    assert response.url == reverse("clients:plan_detail", args=[plan_a.pk])
    assert goals_of(plan_a) == [
        ("Chci si udržet byt na Husově.", 0),
        ("Chci mít méně exekucí.", 1),
        ("Chci si najít brigádu.", 2),
    ]
    assert plan_a.version == 2


def test_plan_edit_removes_a_goal(client, plan_a, worker_a):
    first, second = plan_a.goals.all()
    client.force_login(worker_a)

    client.post(
        reverse("clients:plan_edit", args=[plan_a.pk]),
        plan_data(
            version=plan_a.version,
            existing=[
                (first, {"goal": first.goal}),
                (second, {"goal": second.goal, "DELETE": "on"}),
            ],
        ),
    )

    assert goals_of(plan_a) == [("Chci si udržet byt.", 0)]


def test_plan_edit_refuses_to_remove_a_goal_with_interventions(client, project, plan_a, worker_a):
    first, second = plan_a.goals.all()
    InterventionFactory(project=project, plan_goal=second, created_by=worker_a)
    client.force_login(worker_a)

    response = client.post(
        reverse("clients:plan_edit", args=[plan_a.pk]),
        plan_data(
            version=plan_a.version,
            existing=[(first, {"goal": "Změna"}), (second, {"goal": second.goal, "DELETE": "on"})],
        ),
    )

    assert response.context["form"].non_field_errors() == [
        services.GOAL_HAS_INTERVENTIONS % {"goal": "Chci mít méně exekucí."}
    ]
    plan_a.refresh_from_db()
    assert (goals_of(plan_a), plan_a.version) == (
        [("Chci si udržet byt.", 0), ("Chci mít méně exekucí.", 1)],
        1,
    )


def test_plan_edit_refused_when_changed_meanwhile(client, plan_a, worker_a):
    first, second = plan_a.goals.all()
    IndividualPlan.objects.filter(pk=plan_a.pk).update(version=2, review_due=dt.date(2021, 5, 1))
    client.force_login(worker_a)

    response = client.post(
        reverse("clients:plan_edit", args=[plan_a.pk]),
        plan_data(
            version=1,
            next_meeting_note="Moje změna",
            existing=[(first, {"goal": first.goal}), (second, {"goal": second.goal})],
        ),
    )

    assert response.context["form"].non_field_errors() == [str(CONFLICT_MESSAGE)]
    assert 'value="Moje změna"' in response.text
    plan_a.refresh_from_db()
    assert (plan_a.version, plan_a.next_meeting_note, plan_a.review_due) == (
        2,
        "v 10:00 v komunitním centru",
        dt.date(2021, 5, 1),
    )


def test_editing_a_signed_plan_clears_the_signature_and_says_so(
    client, plan_a, worker_a, guarantor
):
    plan_a = services.sign_plan(plan_a, by=guarantor, version=plan_a.version)
    first, second = plan_a.goals.all()
    client.force_login(worker_a)

    form_page = client.get(reverse("clients:plan_edit", args=[plan_a.pk]))
    response = client.post(
        reverse("clients:plan_edit", args=[plan_a.pk]),
        plan_data(
            version=plan_a.version,
            existing=[(first, {"goal": first.goal}), (second, {"goal": "Nový text"})],
        ),
        follow=True,
    )

    plan_a.refresh_from_db()
    assert (plan_a.signed_by, plan_a.signed_at, plan_a.version) == (None, None, 3)
    assert (
        _(
            "%(name)s signed off this plan on %(date)s. If you save changes, the signature is "
            "removed and the plan needs to be signed off again."
        )
        % {"name": "Gustav Garant", "date": "15. 3. 2021"}
        in form_page.text
    )
    assert [str(m) for m in response.context["messages"]] == [str(views.PLAN_SIGNATURE_CLEARED)]


# --- Sign-off -------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["guarantor", "admin_user"])
def test_guarantor_or_admin_signs_off(client, request, plan_a, persona):
    signer = request.getfixturevalue(persona)
    client.force_login(signer)

    detail = client.get(reverse("clients:plan_detail", args=[plan_a.pk]))
    response = client.post(
        reverse("clients:plan_sign", args=[plan_a.pk]), {"version": plan_a.version}
    )

    plan_a.refresh_from_db()
    assert _("Sign off the plan") in detail.text
    assert response.url == reverse("clients:plan_detail", args=[plan_a.pk])
    assert (plan_a.signed_by, plan_a.signed_at, plan_a.version) == (
        signer,
        dt.datetime(2021, 3, 15, 9, 0, tzinfo=dt.UTC),
        2,
    )


def test_worker_cannot_sign_off(client, plan_a, worker_a):
    client.force_login(worker_a)

    detail = client.get(reverse("clients:plan_detail", args=[plan_a.pk]))
    response = client.post(
        reverse("clients:plan_sign", args=[plan_a.pk]), {"version": plan_a.version}
    )

    plan_a.refresh_from_db()
    assert _("Sign off the plan") not in detail.text
    assert (response.status_code, plan_a.signed_by, plan_a.version) == (403, None, 1)


@pytest.mark.parametrize("persona", ["worker_b", "other_guarantor", "foreign_admin"])
def test_sign_off_outside_scope_is_404(client, request, plan_a, persona):
    client.force_login(request.getfixturevalue(persona))

    response = client.post(
        reverse("clients:plan_sign", args=[plan_a.pk]), {"version": plan_a.version}
    )

    plan_a.refresh_from_db()
    assert (response.status_code, plan_a.signed_by) == (404, None)


def test_sign_off_is_post_only(client, plan_a, guarantor):
    client.force_login(guarantor)

    response = client.get(reverse("clients:plan_sign", args=[plan_a.pk]))

    assert response.status_code == 405


def test_sign_off_of_a_plan_changed_since_it_was_read_is_refused(client, plan_a, guarantor):
    IndividualPlan.objects.filter(pk=plan_a.pk).update(version=5)
    client.force_login(guarantor)

    response = client.post(
        reverse("clients:plan_sign", args=[plan_a.pk]), {"version": 1}, follow=True
    )

    plan_a.refresh_from_db()
    assert plan_a.signed_by is None
    assert [str(m) for m in response.context["messages"]] == [
        str(services.PLAN_CHANGED_BEFORE_SIGNING)
    ]


def test_detail_shows_signature(client, plan_a, guarantor, worker_a):
    services.sign_plan(plan_a, by=guarantor, version=plan_a.version)
    client.force_login(worker_a)

    response = client.get(reverse("clients:plan_detail", args=[plan_a.pk]))

    assert (
        _("Signed off by %(name)s on %(date)s.")
        % {"name": "Gustav Garant", "date": "15. 3. 2021 10:00"}
        in response.text
    )


# --- The client's printed copy --------------------------------------------------------------


def test_print_shows_what_was_agreed_and_nothing_internal(client, plan_a, client_a, worker_a):
    client_a.birth_number = "8503145555"
    client_a.save(update_fields=["birth_number"])
    goal(plan_a, "Zrušený cíl", 2, status=GoalStatus.DROPPED)
    client.force_login(worker_a)

    response = client.get(reverse("clients:plan_print", args=[plan_a.pk]))

    text = response.text
    assert [g.goal for g in response.context["goals"]] == [
        "Chci si udržet byt.",
        "Chci mít méně exekucí.",
    ]
    assert "Anna: nosí složenky" in text
    assert "Zaplatit dluh na nájmu." in text
    assert "úterý 23. 3. 2021, v 10:00 v komunitním centru" in text
    assert "Alice Terénní" in text
    assert ("Zrušený cíl" in text, "Interní poznámka" in text, "8503145555" in text) == (
        False,
        False,
        False,
    )
    assert client_a.code not in text


def test_print_loads_the_print_stylesheet_for_paper_and_screen(client, plan_a, worker_a):
    client.force_login(worker_a)

    response = client.get(reverse("clients:plan_print", args=[plan_a.pk]))

    assert 'css/print.css" media="print"' in response.text
    assert 'css/print.css" media="screen"' in response.text
    assert "style=" not in response.text
