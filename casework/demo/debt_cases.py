"""Debt cases: debts with their status history, actions and outcomes, analyses with budgets."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from casework.demo.specs import BATCH, CREDITOR_WEIGHTS, D
from casework.demo.state import ClientRun, ProjectRun, SeederBase, _pick
from debts.models import (
    ActionKind,
    ActionResult,
    BudgetLine,
    Debt,
    DebtAction,
    DebtAnalysis,
    DebtCase,
    DebtKind,
    DebtOutcome,
    DebtStatus,
    DebtStatusChange,
    InformationSource,
    LegalParameterSet,
    OutcomeKind,
    RecommendedSolution,
)


class DebtSteps(SeederBase):
    """Debt counselling records for clients with debts (never the young people)."""

    def _parameters_on(self, day: dt.date) -> LegalParameterSet:
        valid = [p for p in self.parameters if p.valid_from <= day]
        return valid[-1] if valid else self.parameters[0]

    def _persist_debts(self) -> None:
        rng = self.rng
        cases, debts, analyses = [], [], []
        for run in self.runs:
            for client in run.clients:
                if not client.has_debts or client.youth:
                    continue
                opened = min(client.entry + dt.timedelta(days=rng.randint(0, 30)), client.last_day)
                case = DebtCase(
                    client=client.obj,
                    household=client.household.obj,
                    project=run.project,
                    opened_on=opened,
                    closed_on=client.exit,
                )
                cases.append(case)
                for _ in range(rng.choice([1, 2, 2, 3, 3, 4, 5, 6, 8])):
                    debts.append((client, case, self._debt(run, case, opened)))
                if rng.random() < 0.6:
                    analyses.append((client, case))
        DebtCase.objects.bulk_create(cases, batch_size=BATCH)
        for _, case, debt in debts:
            debt.case = case
        Debt.objects.bulk_create([d for _, _, d in debts], batch_size=BATCH)
        history, actions, outcomes = [], [], []
        for client, case, debt in debts:
            worker = client.assignments[0][0].user
            history.append(
                DebtStatusChange(
                    debt=debt,
                    status=DebtStatus.ACTIVE,
                    changed_on=case.opened_on,
                    note="Zapsáno při mapování dluhů.",
                    changed_by=worker,
                )
            )
            if debt.status != DebtStatus.ACTIVE:
                history.append(
                    DebtStatusChange(
                        debt=debt,
                        status=debt.status,
                        changed_on=debt.status_since,
                        changed_by=worker,
                    )
                )
            action = self._action(client, case, debt, worker)
            if action:
                actions.append((action, debt))
        DebtStatusChange.objects.bulk_create(history, batch_size=BATCH)
        DebtAction.objects.bulk_create([a for a, _ in actions], batch_size=BATCH)
        for action, debt in actions:
            outcome = self._outcome(action, debt)
            if outcome:
                outcomes.append(outcome)
        DebtOutcome.objects.bulk_create(outcomes, batch_size=BATCH)
        totals = Counter()
        for _, case, debt in debts:
            totals[id(case)] += debt.principal + debt.interest + debt.costs
        analysis_objs, lines = [], []
        for client, case in analyses:
            analysed = min(case.opened_on + dt.timedelta(days=rng.randint(7, 40)), client.last_day)
            dependants = sum(1 for other in client.household.others if other[3])
            total = totals[id(case)]
            feasible = total > 60000 and rng.random() < 0.6
            solution = (
                RecommendedSolution.DEBT_RELIEF
                if feasible
                else _pick(
                    rng,
                    [
                        (RecommendedSolution.INSTALMENTS, 40),
                        (RecommendedSolution.STOP_ENFORCEMENT, 25),
                        (RecommendedSolution.CONSOLIDATION, 20),
                        (RecommendedSolution.NONE, 15),
                    ],
                )
            )
            analysis = DebtAnalysis(
                case=case,
                analysed_on=analysed,
                parameters=self._parameters_on(analysed),
                dependants=dependants,
                has_spouse=client.household.partner and rng.random() < 0.5,
                recommended_solution=solution,
                debt_relief_feasible=feasible if total > 60000 else None,
                reasoning=(
                    "Zabavitelný příjem pokryje odměnu insolvenčního správce i splátky "
                    "nezajištěným věřitelům."
                    if feasible
                    else "Příjem domácnosti nestačí na oddlužení; doporučeny splátky a "
                    "kontrola oprávněnosti exekucí."
                ),
                created_by=client.assignments[0][0].user,
            )
            analysis_objs.append(analysis)
            lines.extend(self._budget(analysis, client, dependants))
        DebtAnalysis.objects.bulk_create(analysis_objs, batch_size=BATCH)
        BudgetLine.objects.bulk_create(lines, batch_size=BATCH)
        self.counts["debt cases"] = len(cases)
        self.counts["debts"] = len(debts)
        self.counts["debt actions"] = len(actions)
        self.counts["debt outcomes"] = len(outcomes)
        self.counts["debt analyses"] = len(analysis_objs)

    def _debt(self, run: ProjectRun, case: DebtCase, opened: dt.date) -> Debt:
        rng = self.rng
        type_code = _pick(rng, list(CREDITOR_WEIGHTS.items()))
        creditor = rng.choice(run.creditors[type_code])
        kind = _pick(
            rng,
            [
                (DebtKind.ENFORCEMENT, 55),
                (DebtKind.REMINDER, 20),
                (DebtKind.INSTALMENTS, 12),
                (DebtKind.COURT, 10),
                (DebtKind.INSOLVENCY, 3),
            ],
        )
        principal = D(round(rng.lognormvariate(9.3, 1.0), -1)).quantize(D("0.01"))
        principal = min(max(principal, D("500.00")), D("450000.00"))
        interest = (principal * D(rng.uniform(0, 0.6))).quantize(D("0.01"))
        costs = D("0.00")
        office, reference = "", ""
        originated = opened - dt.timedelta(days=rng.randint(200, 4000))
        source = InformationSource.CLIENT_PAPERS
        if kind == DebtKind.ENFORCEMENT:
            number = rng.randint(1, 210)
            office = f"Exekutorský úřad {run.spec.bailiff_city}, {self.fake.name()}"
            year = rng.randint(12, opened.year % 100)
            reference = f"{number:03d} EX {rng.randint(100, 29999)}/{year:02d}"
            costs = D(rng.randint(3500, 22000)).quantize(D("0.01"))
            source = InformationSource.CEE
        elif kind == DebtKind.COURT:
            reference = f"{rng.randint(5, 40)} C {rng.randint(10, 999)}/{opened.year}"
            office = f"Okresní soud – {run.spec.bailiff_city}"
        elif kind == DebtKind.INSOLVENCY:
            court = run.spec.insolvency_court
            reference = f"{court} {rng.randint(8, 39)} INS {rng.randint(1000, 29999)}/{opened.year}"
            source = InformationSource.ISIR
        status, since = DebtStatus.ACTIVE, opened
        if rng.random() < 0.45:
            status = {
                DebtKind.ENFORCEMENT: _pick(
                    rng,
                    [
                        (DebtStatus.STOPPED, 30),
                        (DebtStatus.REPAYING, 40),
                        (DebtStatus.SUSPENDED, 10),
                        (DebtStatus.DEBT_RELIEF, 20),
                    ],
                ),
                DebtKind.INSOLVENCY: DebtStatus.DEBT_RELIEF,
            }.get(kind, _pick(rng, [(DebtStatus.REPAYING, 60), (DebtStatus.PAID, 40)]))
            since = opened + dt.timedelta(days=rng.randint(20, 400))
            if case.closed_on and since > case.closed_on:
                since = case.closed_on
        instalment = D(0)
        if status == DebtStatus.REPAYING or kind == DebtKind.INSTALMENTS:
            instalment = D(rng.choice([300, 500, 800, 1000, 1500, 2000]))
        return Debt(
            creditor=creditor,
            kind=kind,
            bailiff_office=office,
            case_reference=reference,
            principal=principal,
            interest=interest,
            costs=costs,
            monthly_instalment=instalment,
            status=status,
            status_since=since,
            source=source,
            originated_on=originated,
            is_public_law=creditor.creditor_type.is_public_law,
        )

    def _action(self, client, case, debt, worker) -> DebtAction | None:
        rng = self.rng
        amnesty_start, amnesty_end = dt.date(2021, 10, 28), dt.date(2022, 1, 28)
        kind = None
        filed = None
        if (
            debt.kind == DebtKind.ENFORCEMENT
            and debt.is_public_law
            and case.opened_on <= amnesty_end
            and client.last_day >= amnesty_start
            and rng.random() < 0.6
        ):
            kind = ActionKind.AMNESTY
            first = max(amnesty_start, case.opened_on)
            last = min(amnesty_end, client.last_day)
            filed = first + dt.timedelta(days=rng.randint(0, max(0, (last - first).days)))
        elif debt.status == DebtStatus.STOPPED:
            kind = ActionKind.STOP_ENFORCEMENT
        elif debt.status == DebtStatus.DEBT_RELIEF:
            kind = ActionKind.DEBT_RELIEF_PETITION
        elif debt.status == DebtStatus.REPAYING:
            kind = ActionKind.INSTALMENT_AGREEMENT
        elif rng.random() < 0.15:
            kind = rng.choice([ActionKind.LETTER, ActionKind.OBJECTION, ActionKind.APPEAL])
        if kind is None:
            return None
        if filed is None:
            latest = max(case.opened_on, min(debt.status_since, client.last_day))
            filed = case.opened_on + dt.timedelta(
                days=rng.randint(0, max(0, (latest - case.opened_on).days))
            )
        granted = debt.status in (DebtStatus.STOPPED, DebtStatus.DEBT_RELIEF, DebtStatus.REPAYING)
        if kind == ActionKind.AMNESTY:
            granted = rng.random() < 0.75
        result = (
            ActionResult.GRANTED
            if granted
            else _pick(
                rng,
                [
                    (ActionResult.REJECTED, 40),
                    (ActionResult.PENDING, 40),
                    (ActionResult.PARTLY, 20),
                ],
            )
        )
        result_on = None
        if result != ActionResult.PENDING:
            result_on = filed + dt.timedelta(days=rng.randint(14, 120))
        authority = {
            ActionKind.DEBT_RELIEF_PETITION: "Krajský soud",
            ActionKind.STOP_ENFORCEMENT: debt.bailiff_office or "Exekutorský úřad",
            ActionKind.AMNESTY: debt.bailiff_office or "Exekutorský úřad",
        }.get(kind, debt.creditor.name)
        return DebtAction(
            case=case,
            debt=debt,
            kind=kind,
            filed_on=filed,
            authority=authority[:200],
            reference=debt.case_reference,
            result=result,
            result_on=result_on,
            created_by=worker,
        )

    @staticmethod
    def _outcome(action: DebtAction, debt: Debt) -> DebtOutcome | None:
        if action.result != ActionResult.GRANTED:
            return None
        total = debt.principal + debt.interest + debt.costs
        kind, saved = {
            ActionKind.STOP_ENFORCEMENT: (OutcomeKind.ENFORCEMENT_STOPPED, total),
            ActionKind.DEBT_RELIEF_PETITION: (
                OutcomeKind.DEBT_RELIEF_APPROVED,
                (total * D("0.6")).quantize(D("0.01")),
            ),
            ActionKind.AMNESTY: (OutcomeKind.AMNESTY_USED, debt.interest + debt.costs),
            ActionKind.INSTALMENT_AGREEMENT: (OutcomeKind.INSTALMENTS_KEPT, D(0)),
        }.get(action.kind, (None, None))
        if kind is None:
            return None
        return DebtOutcome(
            case=action.case,
            debt=debt,
            action=action,
            kind=kind,
            achieved_on=action.result_on + dt.timedelta(days=150 if saved == 0 else 0),
            amount_saved=saved,
        )

    def _budget(self, analysis: DebtAnalysis, client: ClientRun, dependants: int) -> list:
        rng = self.rng
        name = client.obj.first_name
        income = rng.choice(
            [
                ("Čistá mzda", rng.randint(14000, 26000)),
                ("Dávky hmotné nouze", rng.randint(3500, 7500)),
                ("Invalidní důchod", rng.randint(9000, 14000)),
                ("Starobní důchod", rng.randint(12000, 17000)),
                ("Rodičovský příspěvek", rng.randint(6000, 10000)),
            ]
        )
        rows = [
            (BudgetLine.Direction.INCOME, income[0], name, income[1], "monthly"),
            (
                BudgetLine.Direction.EXPENSE,
                "Nájemné a služby",
                "",
                rng.randint(5500, 11000),
                "monthly",
            ),
            (
                BudgetLine.Direction.EXPENSE,
                "Elektřina a plyn",
                "",
                rng.randint(1200, 3200),
                "monthly",
            ),
            (
                BudgetLine.Direction.EXPENSE,
                "Strava a drogerie",
                "",
                rng.randint(4000, 9000),
                "monthly",
            ),
            (
                BudgetLine.Direction.EXPENSE,
                "Telefon a internet",
                "",
                rng.randint(300, 900),
                "monthly",
            ),
            (BudgetLine.Direction.EXPENSE, "Doprava", "", rng.randint(300, 1500), "monthly"),
        ]
        if dependants:
            rows += [
                (BudgetLine.Direction.INCOME, "Přídavek na dítě", "", 630 * dependants, "monthly"),
                (BudgetLine.Direction.EXPENSE, "Školní potřeby", "", 2500 * dependants, "yearly"),
            ]
        if client.has_housing:
            rows.append(
                (
                    BudgetLine.Direction.INCOME,
                    "Příspěvek na bydlení",
                    "",
                    rng.randint(1500, 4500),
                    "monthly",
                )
            )
        return [
            BudgetLine(
                analysis=analysis,
                direction=direction,
                category=category,
                member=member,
                amount=D(amount),
                frequency=frequency,
            )
            for direction, category, member, amount, frequency in rows
        ]
