"""Every database constraint of housing rejects the row it exists to reject (saved via the ORM)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from housing.models import (
    BenefitStatus,
    BenefitType,
    EthosCategory,
    HousingBenefit,
    HousingOutcome,
    HousingOutcomeKind,
    RiskEvent,
    RiskEventKind,
    RiskFactor,
    RiskFactorAnswer,
)
from tests.factories import (
    ClientFactory,
    HousingSituationFactory,
    ProjectFactory,
    RiskAssessmentFactory,
    RiskFactorSetFactory,
)
from tests.schema import column_constraint_name, single_row

pytestmark = pytest.mark.django_db

JAN_1 = dt.date(2024, 1, 1)
JAN_2 = dt.date(2024, 1, 2)
MAR_31 = dt.date(2024, 3, 31)
APR_1 = dt.date(2024, 4, 1)


def _second_situation(valid_from, valid_to, *, first_until=MAR_31, same_client=True):
    """The client has lived somewhere from 1 Jan (until 31 Mar, or still); a second row follows."""

    def arrange():
        first = HousingSituationFactory(valid_from=JAN_1, valid_to=first_until)
        client = (
            first.client if same_client else ClientFactory(organisation=first.client.organisation)
        )
        return lambda: HousingSituationFactory(
            client=client, valid_from=valid_from, valid_to=valid_to
        )

    return arrange


def _benefit(**fields):
    def arrange():
        situation = HousingSituationFactory()
        benefit, _ = BenefitType.objects.get_or_create(
            code="prispevek-na-bydleni", defaults={"name": "Příspěvek na bydlení"}
        )
        values = {"situation": situation, "benefit": benefit, "status": BenefitStatus.GRANTED}
        return lambda: HousingBenefit.objects.create(**(values | fields))

    return arrange


def _second_set(*, version_same: bool, both_active: bool):
    def arrange():
        first = RiskFactorSetFactory(version=1, is_active=True)
        return lambda: RiskFactorSetFactory(
            project=first.project, version=1 if version_same else 2, is_active=both_active
        )

    return arrange


def _active_set_in_another_project():
    RiskFactorSetFactory(is_active=True)
    return lambda: RiskFactorSetFactory(is_active=True)


def _factor(factor_set, code="arrears", weight=3):
    return RiskFactor.objects.create(
        factor_set=factor_set, code=code, label="Dluh na nájemném", weight=weight
    )


def _duplicate_factor():
    factor_set = RiskFactorSetFactory()
    _factor(factor_set)
    return lambda: _factor(factor_set)


def _factor_weighing(weight):
    def arrange():
        factor_set = RiskFactorSetFactory()
        return lambda: _factor(factor_set, weight=weight)

    return arrange


def _answer_twice():
    assessment = RiskAssessmentFactory()
    factor = _factor(assessment.factor_set)
    RiskFactorAnswer.objects.create(assessment=assessment, factor=factor, present=True)
    return lambda: RiskFactorAnswer.objects.create(
        assessment=assessment, factor=factor, present=False
    )


def _event_twice():
    situation = HousingSituationFactory()
    RiskEvent.objects.create(situation=situation, kind=RiskEventKind.NOTICE, event_on=JAN_1)
    return lambda: RiskEvent.objects.create(
        situation=situation, kind=RiskEventKind.NOTICE, event_on=JAN_1
    )


def _outcome_twice():
    client = ClientFactory()
    project = ProjectFactory(organisation=client.organisation)
    HousingOutcome.objects.create(
        client=client, project=project, outcome=HousingOutcomeKind.KEPT, decided_on=JAN_1
    )
    return lambda: HousingOutcome.objects.create(
        client=client, project=project, outcome=HousingOutcomeKind.LOST, decided_on=JAN_2
    )


REJECTED = [
    *[
        pytest.param(
            "housing_amounts_not_negative",
            single_row(HousingSituationFactory, **{field: Decimal("-0.01")}),
            id=f"situation-negative-{field}",
        )
        for field in ["rent", "service_charges", "arrears"]
    ],
    pytest.param(
        "housing_until_after_from",
        single_row(HousingSituationFactory, valid_from=JAN_2, valid_to=JAN_1),
        id="situation-ends-before-start",
    ),
    pytest.param(
        "housing_no_overlap",
        _second_situation(APR_1, None, first_until=None),
        id="situation-while-an-open-one-runs",
    ),
    pytest.param(
        "housing_no_overlap",
        _second_situation(MAR_31, None),
        id="situation-starts-on-the-last-day-of-the-previous",
    ),
    pytest.param(
        "housing_no_overlap",
        _second_situation(dt.date(2024, 2, 1), dt.date(2024, 2, 29)),
        id="situation-inside-another",
    ),
    pytest.param(
        "housing_no_overlap",
        _second_situation(dt.date(2023, 12, 1), JAN_1),
        id="situation-ends-on-the-first-day-of-the-next",
    ),
    pytest.param(
        "benefit_amount_not_negative",
        _benefit(amount=Decimal("-0.01")),
        id="benefit-negative",
    ),
    pytest.param(
        "risk_set_unique_version",
        _second_set(version_same=True, both_active=False),
        id="risk-set-duplicate-version",
    ),
    pytest.param(
        "risk_set_one_active",
        _second_set(version_same=False, both_active=True),
        id="risk-set-second-active",
    ),
    *[
        pytest.param(
            "risk_set_thresholds_ascending",
            single_row(RiskFactorSetFactory, medium_from=medium, high_from=high, acute_from=acute),
            id=f"risk-set-thresholds-{medium}-{high}-{acute}",
        )
        for medium, high, acute in [(0, 6, 10), (6, 6, 10), (3, 10, 10), (3, 10, 6)]
    ],
    pytest.param("risk_factor_unique_code", _duplicate_factor, id="risk-factor-duplicate"),
    pytest.param("risk_factor_weight_positive", _factor_weighing(0), id="risk-factor-weight-zero"),
    pytest.param("risk_answer_unique", _answer_twice, id="risk-answer-twice"),
    pytest.param("risk_event_once", _event_twice, id="risk-event-twice"),
    pytest.param("housing_outcome_once", _outcome_twice, id="housing-outcome-twice"),
]


@pytest.mark.parametrize(("constraint", "arrange"), REJECTED)
def test_constraint_rejects_bad_row(constraint, arrange):
    save_bad_row = arrange()

    with pytest.raises(IntegrityError) as error, transaction.atomic():
        save_bad_row()

    assert f'"{constraint}"' in str(error.value)


ACCEPTED = [
    pytest.param(
        single_row(HousingSituationFactory, valid_from=JAN_1, valid_to=JAN_1),
        id="situation-one-day",
    ),
    pytest.param(_second_situation(APR_1, None), id="situation-starts-the-next-day"),
    pytest.param(
        _second_situation(JAN_1, None, first_until=None, same_client=False),
        id="situation-same-dates-for-another-client",
    ),
    pytest.param(
        single_row(
            HousingSituationFactory,
            rent=Decimal(0),
            service_charges=Decimal(0),
            arrears=Decimal(0),
        ),
        id="situation-zero-amounts",
    ),
    pytest.param(_benefit(amount=Decimal(0)), id="benefit-zero"),
    pytest.param(
        _second_set(version_same=False, both_active=False), id="risk-set-inactive-next-version"
    ),
    pytest.param(
        single_row(RiskFactorSetFactory, medium_from=1, high_from=2, acute_from=3),
        id="risk-set-thresholds-1-2-3",
    ),
    pytest.param(_active_set_in_another_project, id="risk-set-active-in-two-projects"),
    pytest.param(_factor_weighing(1), id="risk-factor-weight-one"),
]


@pytest.mark.parametrize("arrange", ACCEPTED)
def test_constraint_accepts_edge_value(arrange):
    save_row = arrange()

    row = save_row()

    assert list(type(row).objects.filter(pk=row.pk)) == [row]


@pytest.mark.parametrize(
    ("model", "field_name", "make_row"),
    [
        pytest.param(
            EthosCategory,
            "code",
            lambda: EthosCategory.objects.create(
                code="x-13.1", name="Extrémní přelidnění", conceptual_category="inadequate"
            ),
            id="ethos-code",
        ),
        pytest.param(
            BenefitType,
            "code",
            lambda: BenefitType.objects.create(code="x-davka", name="Dávka"),
            id="benefit-code",
        ),
    ],
)
def test_unique_field_rejects_duplicate(model, field_name, make_row):
    make_row()

    with pytest.raises(IntegrityError) as error, transaction.atomic():
        make_row()

    constraint = column_constraint_name(model, field_name, kind="unique")
    assert f'"{constraint}"' in str(error.value)
