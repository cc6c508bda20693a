"""Every database constraint of debts rejects the row it exists to reject (saved via the ORM),
and the totals the database computes are right."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from debts.models import (
    ActionKind,
    BudgetLine,
    CreditorType,
    Debt,
    DebtAction,
    DebtOutcome,
    LegalParameterSet,
    OutcomeKind,
)
from tests.factories import (
    CreditorFactory,
    DebtAnalysisFactory,
    DebtCaseFactory,
    DebtFactory,
    LegalParameterSetFactory,
    UserFactory,
)
from tests.schema import column_constraint_name, single_row

pytestmark = pytest.mark.django_db

JAN_1 = dt.date(2024, 1, 1)
JAN_2 = dt.date(2024, 1, 2)
MINUS_HALER = Decimal("-0.01")


def _duplicate_creditor():
    first = CreditorFactory(name="Home Credit a.s.")
    return lambda: CreditorFactory(organisation=first.organisation, name="Home Credit a.s.")


def _budget_line(**fields):
    def arrange():
        analysis = DebtAnalysisFactory()
        values = {
            "analysis": analysis,
            "direction": BudgetLine.Direction.INCOME,
            "category": "mzda",
            "amount": Decimal("18000.00"),
        }
        return lambda: BudgetLine.objects.create(**(values | fields))

    return arrange


def _action(**fields):
    def arrange():
        case = DebtCaseFactory()
        values = {
            "case": case,
            "kind": ActionKind.STOP_ENFORCEMENT,
            "filed_on": JAN_2,
            "created_by": UserFactory(),
        }
        return lambda: DebtAction.objects.create(**(values | fields))

    return arrange


def _outcome(**fields):
    def arrange():
        case = DebtCaseFactory()
        values = {"case": case, "kind": OutcomeKind.ENFORCEMENT_STOPPED, "achieved_on": JAN_1}
        return lambda: DebtOutcome.objects.create(**(values | fields))

    return arrange


REJECTED = [
    pytest.param(
        "creditor_unique_name_per_organisation", _duplicate_creditor, id="creditor-duplicate"
    ),
    pytest.param(
        "debt_case_closed_after_opened",
        single_row(DebtCaseFactory, opened_on=JAN_2, closed_on=JAN_1),
        id="case-closed-before-opened",
    ),
    *[
        pytest.param(
            "debt_amounts_not_negative",
            single_row(DebtFactory, **{field: MINUS_HALER}),
            id=f"debt-negative-{field}",
        )
        for field in ["principal", "interest", "costs", "monthly_instalment"]
    ],
    *[
        pytest.param(
            "legal_parameters_plausible",
            single_row(LegalParameterSetFactory, **{field: Decimal(value)}),
            id=f"parameters-{field}-{value}",
        )
        for field, value in [
            ("base_amount", "0"),
            ("threshold_multiple", "0"),
        ]
    ],
    *[
        pytest.param(
            "legal_parameters_share_format",
            single_row(LegalParameterSetFactory, **{field: value}),
            id=f"parameters-{field}-{value}",
        )
        for field, value in [
            ("debtor_share", "two thirds"),
            ("debtor_share", "-1/3"),
            ("debtor_share", "2/0"),
            ("dependant_share", ""),
            ("dependant_share", ".25"),
        ]
    ],
    pytest.param(
        "budget_line_not_negative", _budget_line(amount=MINUS_HALER), id="budget-line-negative"
    ),
    pytest.param(
        "debt_action_result_after_filing",
        _action(filed_on=JAN_2, result_on=JAN_1),
        id="action-result-before-filing",
    ),
    pytest.param(
        "debt_outcome_amount_not_negative",
        _outcome(amount_saved=MINUS_HALER),
        id="outcome-negative-saving",
    ),
]


@pytest.mark.parametrize(("constraint", "arrange"), REJECTED)
def test_constraint_rejects_bad_row(constraint, arrange):
    save_bad_row = arrange()

    with pytest.raises(IntegrityError) as error, transaction.atomic():
        save_bad_row()

    assert f'"{constraint}"' in str(error.value)


def _same_creditor_name_in_another_organisation():
    CreditorFactory(name="Home Credit a.s.")
    return lambda: CreditorFactory(name="Home Credit a.s.")


ACCEPTED = [
    pytest.param(_same_creditor_name_in_another_organisation, id="creditor-in-other-org"),
    pytest.param(
        single_row(DebtCaseFactory, opened_on=JAN_1, closed_on=JAN_1), id="case-closed-same-day"
    ),
    pytest.param(
        single_row(
            DebtFactory,
            principal=Decimal(0),
            interest=Decimal(0),
            costs=Decimal(0),
            monthly_instalment=Decimal(0),
        ),
        id="debt-all-zero",
    ),
    pytest.param(
        single_row(LegalParameterSetFactory, debtor_share=Decimal(1), dependant_share=Decimal(1)),
        id="parameters-shares-of-one",
    ),
    pytest.param(
        single_row(LegalParameterSetFactory, dependant_share=Decimal(0)),
        id="parameters-no-dependant-share",
    ),
    pytest.param(_budget_line(amount=Decimal(0)), id="budget-line-zero"),
    pytest.param(_action(filed_on=JAN_1, result_on=JAN_1), id="action-result-same-day"),
    pytest.param(_outcome(amount_saved=Decimal(0)), id="outcome-nothing-saved"),
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
            CreditorType,
            "code",
            lambda: CreditorType.objects.create(code="x-lender", name="Nebankovní"),
            id="creditor-type-code",
        ),
        pytest.param(
            LegalParameterSet,
            "valid_from",
            lambda: LegalParameterSetFactory(valid_from=dt.date(2030, 1, 1)),
            id="parameters-valid-from",
        ),
    ],
)
def test_unique_field_rejects_duplicate(model, field_name, make_row):
    make_row()

    with pytest.raises(IntegrityError) as error, transaction.atomic():
        make_row()

    constraint = column_constraint_name(model, field_name, kind="unique")
    assert f'"{constraint}"' in str(error.value)


# --- Values the database computes -------------------------------------------------------------


def test_debt_total_is_principal_plus_interest_plus_costs():
    debt = DebtFactory(
        principal=Decimal("12345.67"), interest=Decimal("1000.10"), costs=Decimal("3630.00")
    )

    total = Debt.objects.values_list("total", flat=True).get(pk=debt.pk)

    assert total == Decimal("16975.77")


def test_debt_total_follows_a_changed_amount():
    debt = DebtFactory(principal=Decimal("1000.00"), interest=Decimal("0"), costs=Decimal("0"))

    Debt.objects.filter(pk=debt.pk).update(costs=Decimal("907.50"))

    assert Debt.objects.values_list("total", flat=True).get(pk=debt.pk) == Decimal("1907.50")


@pytest.mark.parametrize(
    ("amount", "frequency", "expected"),
    [
        ("1200.00", BudgetLine.Frequency.YEARLY, "100.00"),
        ("1000.00", BudgetLine.Frequency.YEARLY, "83.33"),
        ("100.00", BudgetLine.Frequency.YEARLY, "8.33"),
        ("2.00", BudgetLine.Frequency.YEARLY, "0.17"),
        # 0.06 / 12 = 0.005 exactly: half a haléř rounds up.
        ("0.06", BudgetLine.Frequency.YEARLY, "0.01"),
        ("999.99", BudgetLine.Frequency.MONTHLY, "999.99"),
    ],
)
def test_budget_line_monthly_amount(amount, frequency, expected):
    line = _budget_line(amount=Decimal(amount), frequency=frequency)()()

    monthly = BudgetLine.objects.values_list("monthly_amount", flat=True).get(pk=line.pk)

    assert monthly == Decimal(expected)


# --- Foreign keys keep the history ------------------------------------------------------------


def test_deleting_client_with_debt_case_is_refused():
    case = DebtCaseFactory()

    with pytest.raises(ProtectedError) as error:
        case.client.delete()

    assert list(error.value.protected_objects) == [case]


def test_deleting_creditor_with_debts_is_refused():
    debt = DebtFactory()

    with pytest.raises(ProtectedError) as error:
        debt.creditor.delete()

    assert list(error.value.protected_objects) == [debt]
