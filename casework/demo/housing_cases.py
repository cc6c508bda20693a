"""Housing: situations (with moves and benefits), outcomes, and risk assessments with answers."""

from __future__ import annotations

import datetime as dt

from casework.demo.bulk import _copy_rows, _reserve_ids
from casework.demo.specs import BATCH, ONE_DAY, D
from casework.demo.state import SeederBase, _pick
from housing.models import (
    BenefitStatus,
    HousingBenefit,
    HousingOutcome,
    HousingOutcomeKind,
    HousingSituation,
    LandlordKind,
    RiskAssessment,
    RiskFactor,
    RiskFactorAnswer,
    Tenure,
)
from housing.services import level_for_score


class HousingSteps(SeederBase):
    """Housing records for clients with a housing problem."""

    HOUSING_SCENARIOS = [
        # (weight, ETHOS code, tenure, landlord kind, arrears?, notice?, eviction?)
        (30, "9.1", Tenure.LEASE, LandlordKind.TOWN, True, True, False),
        (14, "9.1", Tenure.LEASE, LandlordKind.PRIVATE, True, False, False),
        (12, "8.2", Tenure.HOSTEL, LandlordKind.HOSTEL, False, False, False),
        (10, "8.1", Tenure.WITH_FAMILY, None, False, False, False),
        (8, "13.1", Tenure.LEASE, LandlordKind.PRIVATE, False, False, False),
        (6, "12.1", Tenure.SUBLEASE, LandlordKind.PRIVATE, True, False, False),
        (5, "3.2", Tenure.HOSTEL, LandlordKind.HOSTEL, False, False, False),
        (5, "9.1", Tenure.LEASE, LandlordKind.TOWN, True, True, True),
        (4, "9.2", Tenure.OWN, None, False, False, False),
        (3, "1.1", Tenure.NO_SHELTER, None, False, False, False),
        (3, "10.1", Tenure.LEASE, LandlordKind.PRIVATE, False, False, False),
    ]

    def _persist_housing(self) -> None:
        rng = self.rng
        situations, benefits, outcomes = [], [], []
        assessed = []
        scenarios = [(s[1:], s[0]) for s in self.HOUSING_SCENARIOS]
        for run in self.runs:
            for client in run.clients:
                if not client.has_housing:
                    continue
                scenario = _pick(rng, scenarios)
                current_from = client.entry - dt.timedelta(days=rng.randint(60, 2000))
                history = []
                if rng.random() < 0.3:
                    # A move during the support: the earlier row ends the day before the next.
                    moved = client.entry + dt.timedelta(
                        days=rng.randint(30, max(31, (client.last_day - client.entry).days))
                    )
                    history.append((scenario, current_from, moved - ONE_DAY))
                    better = (
                        ("7.2", Tenure.SOCIAL_FLAT, LandlordKind.TOWN, False, False, False)
                        if rng.random() < 0.6
                        else ("9.1", Tenure.LEASE, LandlordKind.TOWN, False, False, False)
                    )
                    history.append((better, moved, None))
                else:
                    history.append((scenario, current_from, None))
                for (
                    ethos,
                    tenure,
                    landlord_kind,
                    arrears,
                    notice,
                    eviction,
                ), start, end in history:
                    rent = D(rng.randint(25, 90) * 100) if tenure != Tenure.NO_SHELTER else D(0)
                    situation = HousingSituation(
                        client=client.obj,
                        household=client.household.obj,
                        valid_from=start,
                        valid_to=end,
                        ethos=self.ethos[ethos],
                        tenure=tenure,
                        landlord=rng.choice(run.landlords[landlord_kind])
                        if landlord_kind
                        else None,
                        rent=rent,
                        service_charges=D(rng.randint(8, 35) * 100) if rent else D(0),
                        arrears=D(rng.randint(2, 60) * 1000) if arrears else D(0),
                        lease_end=(
                            client.entry + dt.timedelta(days=rng.randint(30, 180))
                            if tenure == Tenure.LEASE and rng.random() < 0.3
                            else None
                        ),
                        notice_received_on=(
                            client.entry - dt.timedelta(days=rng.randint(1, 40)) if notice else None
                        ),
                        notice_reason="Dluh na nájemném delší než 3 měsíce." if notice else "",
                        eviction_on=(
                            client.entry + dt.timedelta(days=rng.randint(30, 90))
                            if eviction
                            else None
                        ),
                    )
                    situations.append(situation)
                    if rent and rng.random() < 0.5:
                        benefit = rng.choice(["housing_allowance", "housing_supplement"])
                        benefits.append(
                            HousingBenefit(
                                situation=situation,
                                benefit=self.benefits[benefit],
                                status=_pick(
                                    rng,
                                    [
                                        (BenefitStatus.GRANTED, 60),
                                        (BenefitStatus.APPLIED, 20),
                                        (BenefitStatus.REJECTED, 10),
                                        (BenefitStatus.ENDED, 10),
                                    ],
                                ),
                                applied_on=max(start, client.entry)
                                + dt.timedelta(days=rng.randint(3, 30)),
                                amount=D(rng.randint(15, 50) * 100),
                                granted_until=max(start, client.entry)
                                + dt.timedelta(days=rng.choice([92, 183, 365])),
                            )
                        )
                assessed.append((client, history[0][0]))
                if client.exit:
                    lost = history[-1][0][0] in ("1.1",) or rng.random() < 0.12
                    outcome = (
                        HousingOutcomeKind.IMPROVED
                        if len(history) > 1
                        else (HousingOutcomeKind.LOST if lost else HousingOutcomeKind.KEPT)
                    )
                    outcomes.append(
                        HousingOutcome(
                            client=client.obj,
                            project=run.project,
                            outcome=outcome,
                            decided_on=client.exit,
                        )
                    )
        HousingSituation.objects.bulk_create(situations, batch_size=BATCH)
        HousingBenefit.objects.bulk_create(benefits, batch_size=BATCH)
        HousingOutcome.objects.bulk_create(outcomes, batch_size=BATCH)
        self._assessments(assessed)
        self.counts["housing situations"] = len(situations)
        self.counts["housing outcomes"] = len(outcomes)

    def _assessments(self, assessed: list) -> None:
        """Risk assessments at entry and re-assessments over time, mostly improving."""
        rng = self.rng
        factors = {
            run.risk_set.pk: list(RiskFactor.objects.filter(factor_set=run.risk_set))
            for run in self.runs
        }
        assessments, answer_sets = [], []
        for client, (ethos, tenure, _landlord, arrears, notice, eviction) in assessed:
            run = client.run
            factor_set = run.risk_set
            factor_list = factors[factor_set.pk]
            present = set()
            if arrears:
                present.add("arrears")
            if notice:
                present.add("notice")
            if eviction:
                present.add("eviction")
            if tenure == Tenure.HOSTEL:
                present.add("no_legal_title")
            if ethos in ("13.1", "12.1"):
                present.add("overcrowding")
            if ethos == "10.1":
                present.add("violence")
            for factor in factor_list:
                if rng.random() < 0.12:
                    present.add(factor.code)
            day = client.entry + dt.timedelta(days=rng.randint(0, 14))
            rounds = 1 if client.engagement != "participant" else rng.randint(1, 5)
            for _ in range(rounds):
                if day > client.last_day:
                    break
                score = sum(f.weight for f in factor_list if f.code in present)
                level = level_for_score(factor_set, score)
                months = (
                    factor_set.review_months_high
                    if level in ("high", "acute")
                    else factor_set.review_months
                )
                assessment = RiskAssessment(
                    client=client.obj,
                    project=run.project,
                    factor_set=factor_set,
                    assessed_on=day,
                    score=score,
                    level=level,
                    next_review_on=day + dt.timedelta(days=30 * months),
                    assessed_by=client.assignments[0][0].user,
                )
                assessments.append(assessment)
                answer_sets.append((assessment, factor_list, set(present)))
                # Between assessments most problems get solved, a few new ones appear.
                present = {f.code for f in factor_list if f.code in present and rng.random() < 0.6}
                for factor in factor_list:
                    if rng.random() < 0.04:
                        present.add(factor.code)
                day += dt.timedelta(days=30 * months + rng.randint(0, 20))
        RiskAssessment.objects.bulk_create(assessments, batch_size=BATCH)
        answers = [
            (assessment.pk, factor.pk, factor.code in present)
            for assessment, factor_list, present in answer_sets
            for factor in factor_list
        ]
        ids = _reserve_ids(RiskFactorAnswer, len(answers))
        _copy_rows(
            RiskFactorAnswer._meta.db_table,
            ["id", "assessment_id", "factor_id", "present", "note"],
            ((i, *a, "") for i, a in zip(ids, answers, strict=True)),
        )
        self.counts["risk assessments"] = len(assessments)
