"""Filed actions with deadline tasks, outcomes, and the baseline against today."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from clients.models import Task
from debts.forms import DEADLINE_INCOMPLETE, NEGATIVE_AMOUNT, RESULT_BEFORE_FILING
from debts.models import ActionKind, ActionResult, DebtAction, DebtKind, DebtOutcome, DebtStatus
from debts.services import BASELINE_TAKEN
from debts.views import BASELINE_SAVED
from tests.factories import CreditorFactory, DebtCaseFactory, DebtFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def case_a(project, client_a):
    return DebtCaseFactory(project=project, client=client_a)


def _action_data(**overrides):
    data = {
        "kind": ActionKind.OBJECTION,
        "filed_on": "2025-03-03",
        "authority": "Okresní soud v Liberci",
        "reference": "12 C 345/2025",
        "result": ActionResult.PENDING,
    }
    return {**data, **overrides}


def test_a_filed_action_creates_its_deadline_task(client, worker_a, case_a):
    client.force_login(worker_a)

    response = client.post(
        reverse("debts:action_create", args=[case_a.pk]),
        # Fifteen days from delivery on Friday 7 March 2025 end on Saturday 22 March → Monday.
        _action_data(deadline_from="2025-03-07", deadline_days="15"),
    )

    action = DebtAction.objects.select_related("deadline_task").get()
    task = action.deadline_task
    assert response.url == reverse("debts:detail", args=[case_a.pk])
    assert (action.created_by, action.reference) == (worker_a, "12 C 345/2025")
    assert (task.kind, task.due_date, task.owner, task.client, task.project) == (
        Task.Kind.DEADLINE,
        dt.date(2025, 3, 24),
        worker_a,
        case_a.client,
        case_a.project,
    )


def test_a_filed_action_without_a_deadline_creates_no_task(client, worker_a, case_a):
    client.force_login(worker_a)

    client.post(reverse("debts:action_create", args=[case_a.pk]), _action_data())

    assert (DebtAction.objects.get().deadline_task, Task.objects.count()) == (None, 0)


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"deadline_days": "15"}, "__all__", DEADLINE_INCOMPLETE),
        (
            {"result": ActionResult.GRANTED, "result_on": "2025-03-02"},
            "result_on",
            str(RESULT_BEFORE_FILING) % {"date": "3. 3. 2025"},
        ),
    ],
)
def test_bad_action_input_is_refused(client, worker_a, case_a, overrides, field, message):
    client.force_login(worker_a)

    response = client.post(
        reverse("debts:action_create", args=[case_a.pk]), _action_data(**overrides)
    )

    assert response.context["form"].errors[field] == [str(message)]
    assert DebtAction.objects.count() == 0


def test_recording_the_result_of_an_action(client, worker_a, case_a):
    client.force_login(worker_a)
    client.post(reverse("debts:action_create", args=[case_a.pk]), _action_data())
    action = DebtAction.objects.get()

    client.post(
        reverse("debts:action_edit", args=[action.pk]),
        _action_data(result=ActionResult.GRANTED, result_on="2025-04-01"),
    )

    action.refresh_from_db()
    assert (action.result, action.result_on) == (ActionResult.GRANTED, dt.date(2025, 4, 1))


def test_recording_an_outcome(client, worker_a, case_a):
    debt = DebtFactory(case=case_a)
    client.force_login(worker_a)

    client.post(
        reverse("debts:outcome_create", args=[case_a.pk]),
        {
            "kind": "enforcement_stopped",
            "achieved_on": "2025-05-01",
            "debt": debt.pk,
            "amount_saved": "12000.50",
        },
    )

    outcome = DebtOutcome.objects.get()
    assert (outcome.case, outcome.debt, outcome.amount_saved) == (
        case_a,
        debt,
        Decimal("12000.50"),
    )


def test_a_negative_amount_saved_is_refused(client, worker_a, case_a):
    client.force_login(worker_a)

    response = client.post(
        reverse("debts:outcome_create", args=[case_a.pk]),
        {"kind": "written_off", "achieved_on": "2025-05-01", "amount_saved": "-1.00"},
    )

    assert response.context["form"].errors == {"amount_saved": [str(NEGATIVE_AMOUNT)]}


def test_the_baseline_is_taken_once_and_compared_with_now(client, worker_a, case_a):
    same = CreditorFactory(organisation=case_a.project.organisation)
    DebtFactory(case=case_a, creditor=same, principal=Decimal("1000.00"))
    DebtFactory(case=case_a, creditor=same, principal=Decimal("2000.00"))
    DebtFactory(case=case_a, principal=Decimal("500.00"), kind=DebtKind.REMINDER)
    client.force_login(worker_a)

    client.post(reverse("debts:baseline_take", args=[case_a.pk]))
    case_a.debts.filter(principal=Decimal("2000.00")).update(status=DebtStatus.STOPPED)
    again = client.post(reverse("debts:baseline_take", args=[case_a.pk]), follow=True)

    case_a.refresh_from_db()
    assert (
        case_a.baseline_total,
        case_a.baseline_enforcements,
        case_a.baseline_creditors,
    ) == (Decimal("3500.00"), 2, 2)
    assert again.context["now"] == {
        "total": Decimal("3500.00"),
        "enforcements": 1,
        "creditors": 2,
    }
    assert [str(m) for m in again.context["messages"]] == [
        str(BASELINE_SAVED),
        str(BASELINE_TAKEN) % {"date": case_a.baseline_on.strftime("%-d. %-m. %Y")},
    ]


@pytest.mark.parametrize(
    ("name", "target"),
    [
        ("debts:action_create", "case"),
        ("debts:action_edit", "action"),
        ("debts:outcome_create", "case"),
        ("debts:baseline_take", "case"),
    ],
)
def test_worker_cannot_reach_another_workers_actions(
    client, worker_a, project, client_b, name, target
):
    case_b = DebtCaseFactory(project=project, client=client_b)
    action = DebtAction.objects.create(
        case=case_b, kind=ActionKind.LETTER, filed_on=dt.date(2025, 1, 2), created_by=worker_a
    )
    client.force_login(worker_a)
    pk = action.pk if target == "action" else case_b.pk

    response = client.post(reverse(name, args=[pk]), _action_data())

    case_b.refresh_from_db()
    assert response.status_code == 404
    assert (DebtAction.objects.count(), case_b.baseline_on) == (1, None)
