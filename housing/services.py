"""Writes and pure rules for housing: risk factor sets and the score → level rule."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from casework.conflicts import lock_at_version
from casework.czech import add_months, procedural_deadline_months
from casework.models import Project
from clients.models import CaseAssignment, Client, Task
from housing.models import (
    BenefitStatus,
    HousingBenefit,
    HousingOutcome,
    HousingSituation,
    RiskAssessment,
    RiskEvent,
    RiskEventKind,
    RiskFactor,
    RiskFactorAnswer,
    RiskFactorSet,
    RiskLevel,
)

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


# --- Housing situations ---------------------------------------------------------------------

OVERLAP = _(
    "The client already has a housing situation recorded for these dates. Record a change of "
    "the current situation instead, or choose a later start date."
)
CHANGE_NOT_AFTER_CURRENT = _(
    "The new situation must start after the current one started (%(date)s)."
)
SITUATION_CHANGED = _(
    "Someone else has changed this housing situation in the meantime. Open it again to see "
    "the current record; nothing has been saved."
)
NOT_CURRENT = _("Only the current housing situation can be changed.")

SITUATION_FIELDS = [
    "valid_from",
    "ethos",
    "tenure",
    "landlord",
    "rent",
    "service_charges",
    "arrears",
    "lease_end",
    "notice_received_on",
    "notice_reason",
    "eviction_on",
    "note",
]


def _save_situation(situation: HousingSituation) -> None:
    """Insert the row; an overlap caught by the exclusion constraint becomes a clear message."""
    try:
        with transaction.atomic():
            situation.save()
    except IntegrityError as error:
        if "housing_no_overlap" in str(error):
            raise ValidationError(OVERLAP, code="overlap") from error
        raise


def _add_benefits(situation: HousingSituation, benefits: list[dict]) -> None:
    HousingBenefit.objects.bulk_create(HousingBenefit(situation=situation, **b) for b in benefits)


@transaction.atomic
def create_housing_situation(
    client: Client, *, by: AbstractBaseUser, data: dict, benefits: list[dict]
) -> HousingSituation:
    """Record a client's housing situation (the first one, or after a gap).

    Side effects: the situation and its benefits are inserted, then ``raise_risk_events``
    creates the early-warning events and deadline tasks. Raises ``ValidationError`` (OVERLAP)
    when the dates overlap another situation of the client.
    """
    situation = HousingSituation(client=client, household=client.household, **data)
    _save_situation(situation)
    _add_benefits(situation, benefits)
    raise_risk_events(situation, by=by)
    return situation


@transaction.atomic
def change_housing_situation(
    current: HousingSituation,
    *,
    by: AbstractBaseUser,
    version: int,
    data: dict,
    benefits: list[dict],
) -> HousingSituation:
    """Record a change: close the current situation the day before the new one starts.

    Side effects, all or nothing: the current row gets ``valid_to`` and a new version, the
    next row and its benefits are inserted, ``raise_risk_events`` runs for the new row.
    Raises ``ValidationError`` when the row changed meanwhile (``version``), is no longer
    current, the new start is not after the current start, or the dates overlap.
    """
    locked = lock_at_version(HousingSituation, current.pk, version, SITUATION_CHANGED)
    if locked.valid_to is not None:
        raise ValidationError(NOT_CURRENT, code="not_current")
    valid_from = data["valid_from"]
    if valid_from <= locked.valid_from:
        raise ValidationError(
            CHANGE_NOT_AFTER_CURRENT,
            code="not_after",
            params={"date": date_format(locked.valid_from, "SHORT_DATE_FORMAT")},
        )
    locked.valid_to = valid_from - dt.timedelta(days=1)
    locked.version += 1
    locked.save(update_fields=["valid_to", "version"])
    situation = HousingSituation(client=locked.client, household=locked.household, **data)
    _save_situation(situation)
    _add_benefits(situation, benefits)
    raise_risk_events(situation, by=by)
    return situation


# --- Risk assessment ------------------------------------------------------------------------

FACTOR_SET_CHANGED = _(
    "Someone else has saved version %(version)s of this checklist in the meantime. Open the "
    "checklist again; nothing has been saved."
)
NO_ACTIVE_SET = _("The project has no risk factor checklist in use. Ask the project guarantor.")


def next_review_date(factor_set: RiskFactorSet, level: str, assessed_on: dt.date) -> dt.date:
    """When to re-assess: sooner (``review_months_high``) at high and acute risk."""
    high = level in (RiskLevel.HIGH, RiskLevel.ACUTE)
    months = factor_set.review_months_high if high else factor_set.review_months
    return add_months(assessed_on, months)


@transaction.atomic
def assess_housing_risk(
    client: Client,
    *,
    project: Project,
    factor_set: RiskFactorSet,
    by: AbstractBaseUser,
    assessed_on: dt.date,
    present: set[int],
    note: str = "",
) -> RiskAssessment:
    """Score the checklist: sum of the weights of the present factors, level by thresholds.

    Side effects: the assessment and one answer per factor of the set (present or not) are
    inserted; the next review date follows ``next_review_date``. ``present`` holds factor ids;
    ids not in the set are ignored.
    """
    factors = list(factor_set.factors.all())
    score = sum(f.weight for f in factors if f.pk in present)
    level = level_for_score(factor_set, score)
    assessment = RiskAssessment.objects.create(
        client=client,
        project=project,
        factor_set=factor_set,
        assessed_on=assessed_on,
        score=score,
        level=level,
        next_review_on=next_review_date(factor_set, level, assessed_on),
        note=note,
        assessed_by=by,
    )
    RiskFactorAnswer.objects.bulk_create(
        RiskFactorAnswer(assessment=assessment, factor=f, present=f.pk in present) for f in factors
    )
    return assessment


@transaction.atomic
def revise_risk_factor_set(
    factor_set: RiskFactorSet,
    *,
    by: AbstractBaseUser,
    thresholds: dict,
    factors: list[tuple[str, str, int]],
) -> RiskFactorSet:
    """Create the next version of a project's checklist and put it in use.

    Side effects: the project's active set is deactivated, the new version and its factors
    (``(code, label, weight)`` in order) are inserted. Old assessments keep pointing at the
    version they were made with, so their answers and weights never change. Raises
    ``ValidationError`` when ``factor_set`` is no longer the latest version (someone else
    revised it meanwhile).
    """
    project = factor_set.project
    latest = (
        RiskFactorSet.objects.select_for_update()
        .filter(project=project)
        .order_by("-version")
        .first()
    )
    if latest.pk != factor_set.pk:
        raise ValidationError(
            FACTOR_SET_CHANGED, code="version", params={"version": latest.version}
        )
    RiskFactorSet.objects.filter(project=project, is_active=True).update(is_active=False)
    revised = RiskFactorSet.objects.create(
        project=project, version=latest.version + 1, is_active=True, **thresholds
    )
    RiskFactor.objects.bulk_create(
        RiskFactor(factor_set=revised, code=code, label=label, weight=weight, order=position)
        for position, (code, label, weight) in enumerate(factors, start=1)
    )
    return revised


# --- Early warning --------------------------------------------------------------------------

LEASE_WARNING_MONTHS = 3

EVENT_TASK_TITLES = {
    RiskEventKind.LEASE_ENDING: _("Housing: the lease ends"),
    RiskEventKind.NOTICE: _("Housing: notice received — court review within 2 months"),
    RiskEventKind.EVICTION: _("Housing: eviction date"),
    RiskEventKind.BENEFIT_ENDING: _("Housing: a housing benefit ends"),
    RiskEventKind.ARREARS_GROWING: _("Housing: arrears have grown two months in a row"),
}


def _detected_events(situation: HousingSituation, today: dt.date) -> list[tuple[str, dt.date]]:
    """(kind, date) pairs of the situation's warning signs, as DOMAIN.md §8 lists them."""
    events = []
    if situation.lease_end and situation.lease_end <= add_months(today, LEASE_WARNING_MONTHS):
        events.append((RiskEventKind.LEASE_ENDING, situation.lease_end))
    if situation.notice_received_on:
        events.append((RiskEventKind.NOTICE, situation.notice_received_on))
    if situation.eviction_on:
        events.append((RiskEventKind.EVICTION, situation.eviction_on))
    horizon = add_months(today, LEASE_WARNING_MONTHS)
    for benefit in situation.benefits.all():
        until = benefit.granted_until
        if until and benefit.status == BenefitStatus.GRANTED and until <= horizon:
            events.append((RiskEventKind.BENEFIT_ENDING, until))
    previous = list(
        HousingSituation.objects.filter(
            client=situation.client_id, valid_from__lt=situation.valid_from
        )
        .order_by("-valid_from")
        .values_list("arrears", flat=True)[:2]
    )
    if len(previous) == 2 and situation.arrears > previous[0] > previous[1]:
        events.append((RiskEventKind.ARREARS_GROWING, situation.valid_from))
    return events


def _event_due_date(kind: str, event_on: dt.date, today: dt.date) -> dt.date:
    if kind == RiskEventKind.NOTICE:
        # A notice can be reviewed by a court within two months of delivery (DOMAIN.md §8).
        return procedural_deadline_months(event_on, 2)
    return max(event_on, today)


@transaction.atomic
def raise_risk_events(
    situation: HousingSituation, *, by: AbstractBaseUser | None, today: dt.date | None = None
) -> list[RiskEvent]:
    """Create the early-warning events of a situation, each with a deadline task.

    Events: lease ending within 3 months, notice received, eviction date, a granted benefit
    ending within 3 months, arrears higher than in each of the two previous situations. Each
    new event gets a deadline task for the client's primary worker (none when the client has
    no current primary worker). Idempotent: an event that exists (same situation, kind and
    date, the ``risk_event_once`` constraint) is skipped with its task. ``by`` is recorded as
    the task's author; ``None`` (the nightly command) records the worker. Returns new events.
    """
    today = today or timezone.localdate()
    detected = _detected_events(situation, today)
    existing = set(RiskEvent.objects.filter(situation=situation).values_list("kind", "event_on"))
    assignment = (
        CaseAssignment.objects.current()
        .filter(client=situation.client_id, kind=CaseAssignment.Kind.PRIMARY)
        .order_by("started_on", "pk")
        .first()
    )
    created = []
    for kind, event_on in detected:
        if (kind, event_on) in existing:
            continue
        existing.add((kind, event_on))
        task = None
        if assignment is not None:
            task = Task.objects.create(
                title=str(EVENT_TASK_TITLES[kind]),
                kind=Task.Kind.DEADLINE,
                due_date=_event_due_date(kind, event_on, today),
                owner_id=assignment.worker_id,
                client_id=situation.client_id,
                project_id=assignment.project_id,
                created_by_id=by.pk if by is not None else assignment.worker_id,
            )
        created.append(
            RiskEvent.objects.create(situation=situation, kind=kind, event_on=event_on, task=task)
        )
    return created


# --- Outcome --------------------------------------------------------------------------------


@transaction.atomic
def record_housing_outcome(
    client: Client, *, project: Project, by: AbstractBaseUser, outcome: str, decided_on, note=""
) -> HousingOutcome:
    """Record (or correct) the housing outcome at the end of support in a project."""
    result, _created = HousingOutcome.objects.update_or_create(
        client=client,
        project=project,
        defaults={"outcome": outcome, "decided_on": decided_on, "note": note},
    )
    return result
