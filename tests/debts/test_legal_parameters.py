"""Legal parameters of the protected amount keep exact shares (DOMAIN.md §7)."""

import math
from decimal import Decimal
from fractions import Fraction

import pytest
from django.core.exceptions import ValidationError

from debts.models import INVALID_SHARE, LegalParameterSet, validate_share

pytestmark = pytest.mark.django_db


def test_two_thirds_of_the_2020_base_is_exactly_6608():
    parameters = LegalParameterSet.objects.get(valid_from="2020-01-01")

    base = Fraction(parameters.base_amount)
    debtor_amount = parameters.debtor_fraction * base

    assert parameters.base_amount == Decimal("9912.00")
    assert math.ceil(debtor_amount) == 6608
    assert parameters.dependant_fraction * base == 1652


@pytest.mark.parametrize("share", ["2/3", "17/20", "0.85", "1", "0", "1/4"])
def test_share_accepts_fractions_and_decimals_between_0_and_1(share):
    validate_share(share)


@pytest.mark.parametrize("share", ["4/3", "1.01", "two thirds", "2/0", "", "-1/3"])
def test_share_rejects_anything_else_with_a_clear_message(share):
    with pytest.raises(ValidationError) as error:
        validate_share(share)

    assert error.value.messages == [str(INVALID_SHARE)]
