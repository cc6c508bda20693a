"""Housing services: situation history, scoring, versioned checklists, early warning."""

import datetime as dt
from decimal import Decimal
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from clients.models import Task
from housing import services
from housing.models import (
    BenefitStatus,
    BenefitType,
    EthosCategory,
    HousingBenefit,
    HousingSituation,
    RiskEvent,
    RiskEventKind,
    RiskLevel,
)
from housing.services import (
    assess_housing_risk,
    change_housing_situation,
    create_default_risk_factor_set,
    create_housing_situation,
    level_for_score,
    raise_risk_events,
    revise_risk_factor_set,
)
from tests.factories import HousingSituationFactory, RiskFactorSetFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 1, 15)


def _data(**overrides):
    data = {
        "valid_from": dt.date(2025, 1, 1),
        "ethos": EthosCategory.objects.get(code="9.1"),
        "tenure": "lease",
        "landlord": None,
        "rent": Decimal("6000"),
        "service_charges": Decimal("2000"),
        "arrears": Decimal("0"),
        "lease_end": None,
        "notice_received_on": None,
        "notice_reason": "",
        "eviction_on": None,
        "note": "",
    }
    data.update(overrides)
    return data


# --- Scoring and thresholds -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("score", "level"),
    [
        (0, RiskLevel.LOW),
        (2, RiskLevel.LOW),
        (3, RiskLevel.MEDIUM),
        (5, RiskLevel.MEDIUM),
        (6, RiskLevel.HIGH),
        (9, RiskLevel.HIGH),
        (10, RiskLevel.ACUTE),
        (40, RiskLevel.ACUTE),
    ],
)
def test_level_for_score_at_threshold_boundaries(project, score, level):
    factor_set = RiskFactorSetFactory(project=project, medium_from=3, high_from=6, acute_from=10)

    assert level_for_score(factor_set, score) == level


def test_assess_housing_risk_sums_weights_of_present_factors(project, client_a, worker_a):
    factor_set = create_default_risk_factor_set(project)
    factors = {f.code: f for f in factor_set.factors.all()}
    present = {factors["arrears"].pk, factors["notice"].pk}

    assessment = assess_housing_risk(
        client_a,
        project=project,
        factor_set=factor_set,
        by=worker_a,
        assessed_on=dt.date(2025, 3, 31),
        present=present,
    )

    answers = {a.factor.code: a.present for a in assessment.answers.select_related("factor")}
    assert (assessment.score, assessment.level, assessment.next_review_on) == (
        8,
        RiskLevel.HIGH,
        dt.date(2025, 4, 30),
    )
    assert (len(answers), answers["arrears"], answers["health"]) == (15, True, False)


def test_assess_housing_risk_low_level_reviews_after_three_months(project, client_a, worker_a):
    factor_set = create_default_risk_factor_set(project)
    health = factor_set.factors.get(code="health")

    assessment = assess_housing_risk(
        client_a,
        project=project,
        factor_set=factor_set,
        by=worker_a,
        assessed_on=dt.date(2025, 11, 30),
        present={health.pk},
    )

    assert (assessment.score, assessment.level, assessment.next_review_on) == (
        2,
        RiskLevel.LOW,
        dt.date(2026, 2, 28),
    )


# --- Versioned factor sets --------------------------------------------------------------------


def test_revise_risk_factor_set_keeps_old_assessments_on_their_version(
    project, client_a, worker_a, guarantor
):
    old_set = create_default_risk_factor_set(project)
    arrears = old_set.factors.get(code="arrears")
    old = assess_housing_risk(
        client_a,
        project=project,
        factor_set=old_set,
        by=worker_a,
        assessed_on=dt.date(2025, 1, 10),
        present={arrears.pk},
    )

    new_set = revise_risk_factor_set(
        old_set,
        by=guarantor,
        thresholds={
            "medium_from": 2,
            "high_from": 5,
            "acute_from": 9,
            "review_months": 3,
            "review_months_high": 1,
        },
        factors=[("arrears", "Dluh na nájemném", 6), ("notice", "Výpověď", 4)],
    )

    old.refresh_from_db()
    old_set.refresh_from_db()
    assert (new_set.version, new_set.is_active, old_set.is_active) == (2, True, False)
    assert (old.factor_set_id, old.score, old.level) == (old_set.pk, 4, RiskLevel.MEDIUM)
    assert [
        (a.factor.factor_set_id, a.factor.weight) for a in old.answers.filter(present=True)
    ] == [(old_set.pk, 4)]
    assert [(f.code, f.weight) for f in new_set.factors.all()] == [("arrears", 6), ("notice", 4)]


# --- Situations with history ------------------------------------------------------------------


def test_change_housing_situation_closes_current_the_day_before(client_a, worker_a):
    current = create_housing_situation(client_a, by=worker_a, data=_data(), benefits=[])

    new = change_housing_situation(
        current,
        by=worker_a,
        version=1,
        data=_data(valid_from=dt.date(2025, 6, 1), arrears=Decimal("3000")),
        benefits=[],
    )

    current.refresh_from_db()
    assert (current.valid_to, current.version) == (dt.date(2025, 5, 31), 2)
    assert list(HousingSituation.objects.filter(client=client_a).current()) == [new]


def test_change_housing_situation_refuses_a_stale_version(client_a, worker_a):
    current = create_housing_situation(client_a, by=worker_a, data=_data(), benefits=[])

    with pytest.raises(ValidationError) as error:
        change_housing_situation(
            current,
            by=worker_a,
            version=7,
            data=_data(valid_from=dt.date(2025, 6, 1)),
            benefits=[],
        )

    assert error.value.messages == [str(services.SITUATION_CHANGED)]


def test_create_housing_situation_overlap_is_a_clear_message(client_a, worker_a):
    HousingSituationFactory(
        client=client_a, valid_from=dt.date(2025, 1, 1), valid_to=dt.date(2025, 12, 31)
    )

    with pytest.raises(ValidationError) as error:
        create_housing_situation(
            client_a, by=worker_a, data=_data(valid_from=dt.date(2025, 6, 1)), benefits=[]
        )

    assert error.value.messages == [str(services.OVERLAP)]
    assert HousingSituation.objects.filter(client=client_a).count() == 1


# --- Early warning ----------------------------------------------------------------------------


def test_raise_risk_events_creates_deadline_tasks_for_the_primary_worker(client_a, worker_a):
    situation = HousingSituationFactory(
        client=client_a,
        valid_from=dt.date(2025, 10, 1),
        lease_end=dt.date(2026, 3, 31),
        notice_received_on=dt.date(2026, 1, 5),
        eviction_on=dt.date(2026, 4, 10),
    )
    HousingBenefit.objects.create(
        situation=situation,
        benefit=BenefitType.objects.get(code="state_social_assistance"),
        status=BenefitStatus.GRANTED,
        granted_until=dt.date(2026, 2, 28),
    )

    events = raise_risk_events(situation, by=worker_a, today=TODAY)

    assert [(e.kind, e.event_on) for e in events] == [
        (RiskEventKind.LEASE_ENDING, dt.date(2026, 3, 31)),
        (RiskEventKind.NOTICE, dt.date(2026, 1, 5)),
        (RiskEventKind.EVICTION, dt.date(2026, 4, 10)),
        (RiskEventKind.BENEFIT_ENDING, dt.date(2026, 2, 28)),
    ]
    tasks = Task.objects.filter(client=client_a).order_by("due_date")
    assert [(t.owner, t.kind, t.due_date) for t in tasks] == [
        (worker_a, Task.Kind.DEADLINE, dt.date(2026, 2, 28)),
        (worker_a, Task.Kind.DEADLINE, dt.date(2026, 3, 5)),
        (worker_a, Task.Kind.DEADLINE, dt.date(2026, 3, 31)),
        (worker_a, Task.Kind.DEADLINE, dt.date(2026, 4, 10)),
    ]


def test_raise_risk_events_is_idempotent(client_a, worker_a):
    situation = HousingSituationFactory(client=client_a, eviction_on=dt.date(2026, 2, 1))
    raise_risk_events(situation, by=worker_a, today=TODAY)

    again = raise_risk_events(situation, by=worker_a, today=TODAY)

    assert again == []
    assert (RiskEvent.objects.count(), Task.objects.count()) == (1, 1)


def test_raise_risk_events_ignores_a_lease_ending_later_than_three_months(client_a, worker_a):
    situation = HousingSituationFactory(client=client_a, lease_end=dt.date(2026, 4, 16))

    assert raise_risk_events(situation, by=worker_a, today=TODAY) == []


@pytest.mark.parametrize(
    ("arrears", "expected"),
    [
        pytest.param(["1000", "2000", "3000"], [RiskEventKind.ARREARS_GROWING], id="growing"),
        pytest.param(["1000", "2000", "2000"], [], id="flat-last-month"),
        pytest.param(["2000", "1000", "3000"], [], id="fell-before"),
    ],
)
def test_raise_risk_events_arrears_growing_two_months_in_a_row(
    client_a, worker_a, arrears, expected
):
    starts = [dt.date(2025, 10, 1), dt.date(2025, 11, 1), dt.date(2025, 12, 1)]
    for start, end, amount in zip(starts[:2], starts[1:], arrears[:2], strict=True):
        HousingSituationFactory(
            client=client_a,
            valid_from=start,
            valid_to=end - dt.timedelta(days=1),
            arrears=Decimal(amount),
        )
    latest = HousingSituationFactory(
        client=client_a, valid_from=starts[2], arrears=Decimal(arrears[2])
    )

    events = raise_risk_events(latest, by=worker_a, today=TODAY)

    assert [e.kind for e in events] == expected


def test_create_housing_situation_raises_events(client_a, worker_a):
    situation = create_housing_situation(
        client_a,
        by=worker_a,
        data=_data(notice_received_on=dt.date(2025, 1, 10), notice_reason="dluh"),
        benefits=[],
    )

    assert [e.kind for e in situation.events.all()] == [RiskEventKind.NOTICE]


def test_revise_risk_factor_set_refuses_an_outdated_version(project, guarantor):
    first = create_default_risk_factor_set(project)
    thresholds = {
        "medium_from": 2,
        "high_from": 5,
        "acute_from": 9,
        "review_months": 3,
        "review_months_high": 1,
    }
    revise_risk_factor_set(first, by=guarantor, thresholds=thresholds, factors=[("a", "A", 1)])

    with pytest.raises(ValidationError) as error:
        revise_risk_factor_set(first, by=guarantor, thresholds=thresholds, factors=[("b", "B", 2)])

    assert error.value.messages == [str(services.FACTOR_SET_CHANGED % {"version": 2})]


def test_raise_housing_warnings_command_records_the_worker_as_author(client_a, worker_a):
    HousingSituationFactory(client=client_a, eviction_on=dt.date(2099, 1, 1))

    call_command("raise_housing_warnings", stdout=StringIO())

    assert [(t.owner, t.created_by, t.due_date) for t in Task.objects.all()] == [
        (worker_a, worker_a, dt.date(2099, 1, 1))
    ]
