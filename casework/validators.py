"""Validators for Czech identifiers, with messages in Czech (English when switched)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.cz import dic, rc

INVALID_ICO = _("IČO must have 8 digits with a valid check digit.")
INVALID_BIRTH_NUMBER = _(
    "This birth number is not valid: check the digits (it has 9 or 10 digits and "
    "a 10-digit number must be divisible by 11)."
)
INVALID_POSTCODE = _("A postcode has 5 digits, e.g. 793 16.")


def validate_ico(value: str) -> None:
    # An IČO uses the same mod-11 checksum as the legal-entity DIČ (without the CZ prefix).
    if not (value.isdigit() and len(value) == 8 and dic.is_valid(value)):
        raise ValidationError(INVALID_ICO, code="invalid_ico")


def validate_birth_number(value: str) -> None:
    if not rc.is_valid(value):
        raise ValidationError(INVALID_BIRTH_NUMBER, code="invalid_birth_number")


def normalise_birth_number(value: str) -> str:
    """Store birth numbers without the slash: 710319/2745 → 7103192745."""
    return rc.compact(value)


def validate_postcode(value: str) -> None:
    digits = value.replace(" ", "")
    if not (digits.isdigit() and len(digits) == 5):
        raise ValidationError(INVALID_POSTCODE, code="invalid_postcode")
