"""Creditor types and the dated protected-amount parameters (DOMAIN.md §7) as data."""

from decimal import Decimal

from django.db import migrations

# (code, Czech name, is_public_law). The flag decides eligibility for amnesty schemes
# (Milostivé léto: only court-bailiff enforcements with a public-law creditor).
CREDITOR_TYPES = [
    ("bank", "Banka", False),
    ("non_bank_lender", "Nebankovní poskytovatel úvěru", False),
    ("utilities", "Energie a služby (elektřina, plyn, voda)", False),
    ("telecom", "Telekomunikace", False),
    ("health_insurer", "Zdravotní pojišťovna", True),
    ("social_insurance", "Sociální pojištění (ČSSZ)", True),
    ("tax_customs", "Finanční nebo celní úřad", True),
    ("municipality", "Obec (poplatky, pokuty)", True),
    # A default: municipal and state-owned carriers are public-law creditors for the amnesty
    # schemes, private carriers are not; the flag on each debt can say otherwise.
    ("transport", "Dopravní podnik (jízdné, pokuty)", True),
    ("landlord", "Pronajímatel", False),
    ("labour_office", "Úřad práce (přeplatky dávek)", True),
    ("court_fees", "Soudní poplatky", True),
    ("maintenance", "Výživné", False),
    ("collection_agency", "Inkasní agentura", False),
    ("private_person", "Soukromá osoba", False),
    ("other", "Jiný věřitel", False),
]

# Insolvency administrator's monthly fee since June 2019: 750 + 150 expenses + 21 % VAT.
ADMINISTRATOR_FEE = Decimal("1089.00")

# The protected amount (nezabavitelná částka): debtor share × base, plus dependant share × base
# per dependant, total rounded up to whole crowns; above threshold_multiple × base everything
# is seizable. Shares are exact fractions ("2/3"), so two thirds of a base is never a crown off.
#
# "1/4" for dependants in the funder's table is a quarter of the debtor's amount, i.e. 1/6 of the
# base (2020: 6 608 / 4 = 1 652 = 9 912 / 6). The 2014 leaflet's 1 547.47 Kč is not reproduced
# exactly by any share of 9 281.50 (1/6 gives 1 546.92).
LEGAL_PARAMETER_SETS = [
    {
        "valid_from": "2014-01-01",
        "subsistence_minimum": Decimal("3410.00"),
        "housing_costs": Decimal("5871.50"),
        # 2/3 × 9 281.50 = 6 187.67 Kč, the leaflet's debtor amount.
        "base_amount": Decimal("9281.50"),
        "debtor_share": "2/3",
        "dependant_share": "1/6",
        "threshold_multiple": Decimal("1.00"),
        "insolvency_administrator_fee": None,
        "source": "Leták Úřadu práce ČR k nezabavitelné částce (od 1. 1. 2014)",
        "is_verified": True,
    },
    {
        "valid_from": "2020-01-01",
        "subsistence_minimum": Decimal("3410.00"),
        "housing_costs": Decimal("6502.00"),
        # ŽM 3 410 + NNB 6 502 = 9 912; 2/3 → 6 608 Kč; dependant 1 652 Kč; 2× → 19 824 Kč.
        "base_amount": Decimal("9912.00"),
        "debtor_share": "2/3",
        "dependant_share": "1/6",
        "threshold_multiple": Decimal("2.00"),
        "insolvency_administrator_fee": ADMINISTRATOR_FEE,
        "source": "Mzdová příručka: nařízení vlády č. 595/2006 Sb. ve znění od 1. 1. 2020",
        "is_verified": True,
    },
    {
        "valid_from": "2021-01-01",
        "subsistence_minimum": None,
        "housing_costs": None,
        # Derived from the debtor amount 7 872.80 Kč: 7 872.80 / (2/3) = 11 809.20 (verify).
        "base_amount": Decimal("11809.20"),
        "debtor_share": "2/3",
        # 1/4 or 1/3 of the debtor's amount (verify); 1/4 kept, as in the other years.
        "dependant_share": "1/6",
        "threshold_multiple": Decimal("2.00"),
        "insolvency_administrator_fee": ADMINISTRATOR_FEE,
        "source": "Odvozeno z nezabavitelné částky 7 872,80 Kč (ověřit)",
        "is_verified": False,
    },
    {
        "valid_from": "2025-01-01",
        "subsistence_minimum": None,
        "housing_costs": None,
        # 2/3 × 19 540 = 13 026.67 Kč; dependant share not confirmed (verify).
        "base_amount": Decimal("19540.00"),
        "debtor_share": "2/3",
        "dependant_share": "1/6",
        "threshold_multiple": Decimal("1.50"),
        "insolvency_administrator_fee": ADMINISTRATOR_FEE,
        "source": "Mzdové předpisy 2025 (podíl na vyživovanou osobu ověřit)",
        "is_verified": False,
    },
    {
        "valid_from": "2026-01-01",
        "subsistence_minimum": None,
        "housing_costs": None,
        # 14 101.50 / 0.85 = 16 590; the debtor's amount rounds up to 14 102 Kč.
        "base_amount": Decimal("16590.00"),
        "debtor_share": "17/20",
        # A quarter of the debtor's amount, as before (verify).
        "dependant_share": "17/80",
        "threshold_multiple": Decimal("1.90"),
        "insolvency_administrator_fee": ADMINISTRATOR_FEE,
        "source": "Mzdové předpisy 2026 (ověřit)",
        "is_verified": False,
    },
]


def fill_reference_data(apps, schema_editor):
    CreditorType = apps.get_model("debts", "CreditorType")
    LegalParameterSet = apps.get_model("debts", "LegalParameterSet")
    for position, (code, name, public_law) in enumerate(CREDITOR_TYPES, start=1):
        CreditorType.objects.update_or_create(
            code=code,
            defaults={"name": name, "order": position * 10, "is_public_law": public_law},
        )
    for row in LEGAL_PARAMETER_SETS:
        values = dict(row)
        valid_from = values.pop("valid_from")
        LegalParameterSet.objects.update_or_create(valid_from=valid_from, defaults=values)


class Migration(migrations.Migration):
    dependencies = [("debts", "0001_initial_schema")]

    operations = [migrations.RunPython(fill_reference_data, migrations.RunPython.noop)]
