"""Writes touching several rows are all or nothing: an error midway leaves nothing behind.

Each test lets the real service write its first rows, then makes a later step fail and checks
that none of the rows survive (the service's transaction is rolled back as a whole).
"""

import datetime as dt
from decimal import Decimal

import pytest

from casework import services as casework_services
from casework.models import (
    DeliveryMode,
    Intervention,
    InterventionParticipant,
    InterventionWorker,
)
from clients import services as clients_services
from clients.models import (
    CaseAssignment,
    Client,
    Consent,
    ConsentScope,
    Enrolment,
    Household,
    HouseholdMember,
    IndividualPlan,
    PlanGoal,
    Task,
)
from debts import services as debts_services
from debts.models import BudgetLine, DebtAnalysis
from housing import services as housing_services
from housing.models import HousingBenefit, HousingSituation
from tests.factories import (
    DebtCaseFactory,
    EthosCategoryFactory,
    HousingSituationFactory,
)

pytestmark = pytest.mark.django_db


class Midway(Exception):
    """The failure forced in the middle of a write."""


def fail(*args, **kwargs):
    raise Midway


def then_fail(original):
    def step(*args, **kwargs):
        original(*args, **kwargs)
        raise Midway

    return step


def test_intervention_with_participants_workers_and_task(
    monkeypatch, project, worker_a, worker_b, client_a, ka03
):
    # The follow-up task is the last row written: participants, workers and topics are in.
    monkeypatch.setattr(Task, "save", fail)
    with pytest.raises(Midway):
        casework_services.log_intervention(
            by=worker_a,
            project=project,
            key_activity=ka03,
            date=dt.date(2021, 3, 1),
            duration_minutes=30,
            delivery_mode=DeliveryMode.objects.get(code="field_visit"),
            clients=[client_a],
            coworkers=[worker_b],
            record="Návštěva.",
            follow_up_title="Zavolat",
            follow_up_due=dt.date(2021, 3, 20),
        )
    assert Intervention.objects.count() == 0
    assert InterventionParticipant.objects.count() == 0
    assert InterventionWorker.objects.count() == 0


def test_intervention_fails_after_people(monkeypatch, project, worker_a, client_a, ka03):
    monkeypatch.setattr(casework_services, "_set_people", then_fail(casework_services._set_people))
    with pytest.raises(Midway):
        casework_services.log_intervention(
            by=worker_a,
            project=project,
            key_activity=ka03,
            date=dt.date(2021, 3, 1),
            duration_minutes=30,
            delivery_mode=DeliveryMode.objects.get(code="field_visit"),
            clients=[client_a],
        )
    assert (Intervention.objects.count(), InterventionParticipant.objects.count()) == (0, 0)


def test_client_with_household_consent_and_enrolment(monkeypatch, project, worker_a):
    before = {
        model: model.objects.count()
        for model in (Client, Household, HouseholdMember, Consent, Enrolment, CaseAssignment)
    }
    # The key-worker assignment is written last, after the enrolment and everything else.
    monkeypatch.setattr(CaseAssignment, "save", fail)
    household = Household(organisation=project.organisation, name="Novákovi")
    with pytest.raises(Midway):
        clients_services.create_client(
            Client(first_name="Jana", last_name="Nováková", birth_date=dt.date(1990, 1, 2)),
            by=worker_a,
            project=project,
            worker=worker_a,
            entry_date=dt.date(2021, 3, 1),
            household=household,
            relationship="head",
            members=[HouseholdMember(name="Petr Novák", birth_year=2015, relationship="child")],
            consents=[Consent(given_on=dt.date(2021, 3, 1), scope=ConsentScope.RECORDS)],
            different_person=True,
        )
    after = {model: model.objects.count() for model in before}
    assert after == before


def test_debt_analysis_with_budget_lines(monkeypatch, project, worker_a, client_a):
    case = DebtCaseFactory(project=project, client=client_a)
    lines = [
        BudgetLine(
            direction="income", category="wage", amount=Decimal("18000"), frequency="monthly"
        ),
        BudgetLine(
            direction="expense", category="rent", amount=Decimal("7000"), frequency="monthly"
        ),
    ]
    # The feasibility check runs after the analysis and its lines are saved.
    monkeypatch.setattr(debts_services, "analysis_feasibility", fail)
    with pytest.raises(Midway):
        debts_services.save_analysis(
            DebtAnalysis(case=case, analysed_on=dt.date(2021, 3, 1)), by=worker_a, lines=lines
        )
    assert (DebtAnalysis.objects.count(), BudgetLine.objects.count()) == (0, 0)


def test_plan_with_goals(monkeypatch, project, worker_a, client_a):
    monkeypatch.setattr(clients_services, "_save_goals", then_fail(clients_services._save_goals))
    plan = IndividualPlan(client=client_a, project=project, created_on=dt.date(2021, 3, 1))
    goals = [PlanGoal(goal="Najít bydlení"), PlanGoal(goal="Splátkový kalendář")]
    with pytest.raises(Midway):
        clients_services.create_plan(plan, by=worker_a, goals=goals)
    assert (IndividualPlan.objects.count(), PlanGoal.objects.count()) == (0, 0)


def test_housing_change_with_benefits(monkeypatch, worker_a, client_a):
    current = HousingSituationFactory(
        client=client_a, valid_from=dt.date(2020, 9, 1), ethos=EthosCategoryFactory()
    )
    # The warnings are raised last, after the old row is closed and the new one inserted.
    monkeypatch.setattr(housing_services, "raise_risk_events", fail)
    data = {"valid_from": dt.date(2021, 3, 1), "ethos": current.ethos, "tenure": current.tenure}
    with pytest.raises(Midway):
        housing_services.change_housing_situation(
            current, by=worker_a, version=current.version, data=data, benefits=[]
        )
    current.refresh_from_db()
    assert (current.valid_to, current.version) == (None, 1)
    assert HousingSituation.objects.count() == 1
    assert HousingBenefit.objects.count() == 0
