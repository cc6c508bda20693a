"""Writes and pure rules for housing: risk factor sets and the score → level rule."""

from __future__ import annotations

from django.db import transaction

from casework.models import Project
from housing.models import RiskFactor, RiskFactorSet, RiskLevel

# DOMAIN.md §8 default risk factors: (code, Czech label, weight 1–5). The guarantor adjusts the
# weights per project by creating the next version of the set. Heaviest: an eviction already
# scheduled; then a notice or long arrears, which open the way to losing the lease.
DEFAULT_RISK_FACTORS: list[tuple[str, str, int]] = [
    (
        "arrears",
        "Dluh na nájemném nebo službách (od 1 měsíce; od 3 měsíců hrozí výpověď "
        "bez výpovědní doby)",
        4,
    ),
    ("notice", "Obdržená výpověď z nájmu (soudní přezkum možný do 2 měsíců)", 4),
    ("lease_ending", "Nájem na dobu určitou končí do 3 měsíců", 3),
    ("eviction", "Nařízené vyklizení nebo exekuce vyklizením", 5),
    ("enforcement", "Exekuce na mzdu nebo účet", 2),
    ("utilities", "Odpojení energií nebo dluh za energie", 2),
    ("income_loss", "Ztráta příjmu (práce, ukončená nebo nevyřízená dávka)", 3),
    ("cost_burden", "Náklady na bydlení přesahují 30 % příjmu", 2),
    ("household_change", "Změna v domácnosti (rozchod, úmrtí, narození dítěte)", 1),
    ("health", "Nemoc, zdravotní postižení nebo závislost", 2),
    ("violence", "Domácí násilí", 3),
    ("conflicts", "Konflikty se sousedy nebo s pronajímatelem", 2),
    ("overcrowding", "Přelidněný nebo nevyhovující byt", 2),
    ("no_legal_title", "Ubytovna nebo podnájem bez právního titulu", 3),
    ("leaving_institution", "Odchod z instituce (vězení, nemocnice, ústavní výchova)", 3),
]

# Score thresholds of the default set: one serious factor makes medium risk, two make high,
# three (e.g. arrears + notice + eviction) make acute.
DEFAULT_THRESHOLDS = {"medium_from": 4, "high_from": 8, "acute_from": 12}


@transaction.atomic
def create_default_risk_factor_set(project: Project, *, version: int = 1) -> RiskFactorSet:
    """Create the project's risk factor set from the DOMAIN.md §8 defaults and make it active.

    Side effects: any set of the project that is active is deactivated first (one active set
    per project; assessments keep pointing at the version they were made with), then the new
    set and its 15 factors are inserted. Raises ``IntegrityError`` if ``version`` exists.
    """
    RiskFactorSet.objects.filter(project=project, is_active=True).update(is_active=False)
    factor_set = RiskFactorSet.objects.create(
        project=project, version=version, is_active=True, **DEFAULT_THRESHOLDS
    )
    RiskFactor.objects.bulk_create(
        RiskFactor(factor_set=factor_set, code=code, label=label, weight=weight, order=position)
        for position, (code, label, weight) in enumerate(DEFAULT_RISK_FACTORS, start=1)
    )
    return factor_set


def level_for_score(factor_set: RiskFactorSet, score: int) -> str:
    """The risk level (a ``RiskLevel`` value) a score reaches under the set's thresholds.

    Pure: reads only the set's three thresholds, each inclusive ("from score").
    """
    if score >= factor_set.acute_from:
        return RiskLevel.ACUTE
    if score >= factor_set.high_from:
        return RiskLevel.HIGH
    if score >= factor_set.medium_from:
        return RiskLevel.MEDIUM
    return RiskLevel.LOW
