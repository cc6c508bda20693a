"""Budget categories of the debt situation analysis (in the spirit of the UK Standard Financial
Statement): which incomes enforcement may reach, and which expense is current maintenance."""

from django.utils.translation import gettext_lazy as _

INCOME_CATEGORIES = [
    ("wage", _("Wages and salary (net)")),
    ("self_employment", _("Self-employment")),
    ("pension", _("Pension")),
    ("unemployment", _("Unemployment benefit")),
    ("sickness", _("Sickness or maternity benefit")),
    ("maintenance_received", _("Maintenance received")),
    ("child_allowance", _("Child allowance")),
    ("housing_benefit", _("Housing allowance and supplement")),
    ("material_need", _("Material need benefits")),
    ("care_allowance", _("Care allowance")),
    ("other_income", _("Other income")),
]
EXPENSE_CATEGORIES = [
    ("rent", _("Rent and service charges")),
    ("energy", _("Energy and water")),
    ("food", _("Food and household")),
    ("transport", _("Transport")),
    ("phone", _("Phone and internet")),
    ("children", _("Children (school, clubs)")),
    ("health", _("Health and medicine")),
    ("insurance", _("Insurance")),
    ("maintenance", _("Maintenance paid")),
    ("instalments", _("Instalments and deductions")),
    ("other_expense", _("Other expenses")),
]
CATEGORIES = INCOME_CATEGORIES + EXPENSE_CATEGORIES
# Incomes from which the protected amount is deducted (§ 299 of the Civil Procedure Code treats
# pensions and benefits replacing a wage like a wage); social benefits are not seizable.
SEIZABLE_INCOME = ["wage", "self_employment", "pension", "unemployment", "sickness"]
MAINTENANCE = "maintenance"
