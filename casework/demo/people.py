"""Clients and households: Czech names, birth numbers, household shapes, enrolments, consents.

``PeopleSteps`` draws households with one to three clients (and relatives who are not
clients), shapes each client's cooperation (entry, exit, assigned workers, missing entry
data) and writes clients, household members, consents, assignments and enrolments.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections import Counter, defaultdict

from faker.providers.person.cs_CZ import Provider as CzechNames
from stdnum.cz import rc

from casework.demo.specs import BATCH, DISADVANTAGES, EDUCATION, FEMALE, LABOUR, MALE, ONE_DAY
from casework.demo.state import ClientRun, HouseholdRun, ProjectRun, SeederBase, _pick
from clients.models import (
    CaseAssignment,
    Client,
    ClientStatus,
    Consent,
    ConsentScope,
    DisadvantageAnswer,
    Enrolment,
    ExitReason,
    Household,
    HouseholdMember,
    Relationship,
)


def _feminine(surname: str) -> str:
    """The female form of a Czech surname for the common endings (Černý → Černá)."""
    if surname.endswith("ý"):
        return surname[:-1] + "á"
    if surname.endswith("a"):
        return surname[:-1] + "ová"
    if surname.endswith("ek"):
        return surname[:-2] + "ková"
    if surname.endswith("ec"):
        return surname[:-2] + "cová"
    return surname + "ová"


def _family(surname: str) -> str:
    """The plural a household is called by (Novák → Novákovi, Černý → Černí)."""
    if surname.endswith("ý"):
        return surname[:-1] + "í"
    if surname.endswith("a"):
        return surname[:-1] + "ovi"
    if surname.endswith("ek"):
        return surname[:-2] + "kovi"
    if surname.endswith("ec"):
        return surname[:-2] + "covi"
    return surname + "ovi"


# Only surnames whose female form the rule gets right, so families share one name.
SURNAMES = [s for s in CzechNames.last_names_male if _feminine(s) in CzechNames.last_names_female]


def _birth_number(birth_date: dt.date, female: bool, serial: int) -> str:
    """A birth number valid per python-stdnum: YYMMDD (+50 in the month for women) SSS C."""
    month = birth_date.month + (50 if female else 0)
    stem = f"{birth_date:%y}{month:02d}{birth_date:%d}{serial:03d}"
    return stem + str(int(stem) % 11 % 10)


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


class PeopleSteps(SeederBase):
    """Households and clients, drawn per project and written for all projects at once."""

    def _entry_date(self, run: ProjectRun, workdays: list[dt.date]) -> dt.date:
        # Many people enter in the first months (outreach), then a steady trickle that stops
        # four months before the end.
        usable = [d for d in workdays if d <= run.end - dt.timedelta(days=120)]
        if self.rng.random() < 0.45:
            return self.rng.choice(usable[: len(usable) // 6])
        return self.rng.choice(usable)

    def _new_client(self, run, household, *, female, birth_date, focus, relationship):
        rng = self.rng
        surname = household.surname
        last_name = _feminine(surname) if female else surname
        first = rng.choice(CzechNames.first_names_female if female else CzechNames.first_names_male)
        youth = focus == "youth"
        engagement = _pick(rng, [("participant", 58), ("short", 28), ("early", 14)])
        if youth:
            engagement = _pick(rng, [("participant", 60), ("short", 30), ("early", 10)])
        weight = {
            "participant": rng.uniform(0.7, 2.0),
            "short": rng.uniform(0.08, 0.3),
            "early": rng.uniform(0.6, 1.4),
        }[engagement]
        locality, part = household.locality
        client = Client(
            organisation=run.organisation,
            first_name=first,
            last_name=last_name,
            birth_date=birth_date,
            gender=self.monitoring[("gender", FEMALE if female else MALE)],
            phone=f"+420 {rng.choice([602, 603, 604, 605, 606, 723, 731, 736, 775, 777])} "
            f"{rng.randint(100, 999)} {rng.randint(100, 999)}"
            if rng.random() < 0.8
            else "",
            street=household.street,
            house_number=household.house_number,
            municipality=run.spec.municipality,
            municipality_part=part,
            postcode=run.spec.postcode,
            locality=locality,
        )
        if rng.random() < 0.04:
            client.title_before = "Bc."
        return ClientRun(
            obj=client,
            run=run,
            household=household,
            relationship=relationship,
            focus=focus,
            engagement=engagement,
            weight=weight,
            female=female,
            youth=youth,
            entry=dt.date.min,
        )

    def _households(self, run: ProjectRun) -> None:
        """Households with one to three clients each, plus children who are not clients."""
        rng = self.rng
        spec = run.spec
        target = spec.clients * self.scale
        focuses = list(spec.focus_shares.items())
        workdays = self._workdays(spec.start, run.end)
        while len(run.clients) < target:
            locality, part = rng.choice(run.localities)
            surname = rng.choice(SURNAMES)
            street = rng.choice(spec.streets) if spec.streets else ""
            house_number = str(rng.randint(1, 420) if street else rng.randint(1, 780))
            address = f"{street or part} {house_number}, {spec.postcode} {spec.municipality}"
            household = HouseholdRun(
                obj=Household(
                    organisation=run.organisation,
                    name=f"{_family(surname)}, {street or part} {house_number}",
                    address=address,
                    locality=locality,
                ),
                surname=surname,
                street=street,
                house_number=house_number,
                locality=(locality, part),
            )
            focus = _pick(rng, focuses)
            entry = self._entry_date(run, workdays)
            if focus == "youth":
                # A young person (15–22 at entry), sometimes with a parent who is a client too.
                young = self._new_client(
                    run,
                    household,
                    female=rng.random() < 0.45,
                    birth_date=self._birth(entry, 15, 22),
                    focus="youth",
                    relationship=Relationship.CHILD,
                )
                members = [young]
                if rng.random() < 0.3:
                    parent = self._new_client(
                        run,
                        household,
                        female=rng.random() < 0.7,
                        birth_date=self._birth(entry, 36, 55),
                        focus=rng.choice(["debts", "housing"]),
                        relationship=Relationship.HEAD,
                    )
                    members.insert(0, parent)
                for _ in range(rng.randint(0, 3)):
                    female = rng.random() < 0.5
                    first = rng.choice(
                        CzechNames.first_names_female if female else CzechNames.first_names_male
                    )
                    household.others.append(
                        (
                            f"{first} {_feminine(surname) if female else surname}",
                            entry.year - rng.randint(3, 14),
                            Relationship.SIBLING,
                            True,
                        )
                    )
            else:
                head_female = rng.random() < 0.58
                head = self._new_client(
                    run,
                    household,
                    female=head_female,
                    birth_date=self._birth(entry, 20, 68),
                    focus=focus,
                    relationship=Relationship.HEAD,
                )
                members = [head]
                head_year = head.obj.birth_date.year
                shape = _pick(rng, [("single", 35), ("couple", 20), ("family", 45)])
                if shape == "family" and entry.year - head_year > 52:
                    shape = "couple"  # too old for children under 18 at home
                if shape in ("couple", "family"):
                    household.partner = True
                    partner_female = not head_female
                    if rng.random() < 0.35:
                        members.append(
                            self._new_client(
                                run,
                                household,
                                female=partner_female,
                                birth_date=min(
                                    head.obj.birth_date
                                    + dt.timedelta(days=rng.randint(-2500, 2500)),
                                    entry - dt.timedelta(days=19 * 365),
                                ),
                                focus=focus,
                                relationship=Relationship.PARTNER,
                            )
                        )
                    else:
                        first = rng.choice(
                            CzechNames.first_names_female
                            if partner_female
                            else CzechNames.first_names_male
                        )
                        household.others.append(
                            (
                                f"{first} {_feminine(surname) if partner_female else surname}",
                                head_year + rng.randint(-7, 7),
                                Relationship.PARTNER,
                                False,
                            )
                        )
                if shape == "family":
                    for _ in range(rng.randint(1, 4)):
                        female = rng.random() < 0.5
                        first = rng.choice(
                            CzechNames.first_names_female if female else CzechNames.first_names_male
                        )
                        household.others.append(
                            (
                                f"{first} {_feminine(surname) if female else surname}",
                                rng.randint(max(head_year + 18, entry.year - 17), entry.year),
                                Relationship.CHILD,
                                True,
                            )
                        )
            members = members[: target - len(run.clients)]
            for position, member in enumerate(members):
                # Members of one household come to the project within a few weeks.
                member.entry = entry if position == 0 else self._later_workday(entry, 0, 40, run)
                household.clients.append(member)
                run.clients.append(member)
            self.households.append(household)

    def _birth(self, entry: dt.date, youngest: int, oldest: int) -> dt.date:
        age_days = self.rng.randint(youngest * 365 + 30, oldest * 365 + 300)
        return entry - dt.timedelta(days=age_days)

    def _later_workday(self, day: dt.date, low: int, high: int, run: ProjectRun) -> dt.date:
        candidate = min(
            day + dt.timedelta(days=self.rng.randint(low, high)), run.end - dt.timedelta(days=100)
        )
        while candidate.weekday() >= 5 or candidate in self.czech_holidays:
            candidate += ONE_DAY
        return candidate

    def _workday_before(self, day: dt.date) -> dt.date:
        while day.weekday() >= 5 or day in self.czech_holidays:
            day -= ONE_DAY
        return day

    def _shape_clients(self, run: ProjectRun) -> None:
        """Exit, worker assignments, completeness of data and birth numbers for each client."""
        rng = self.rng
        by_focus = defaultdict(list)
        for worker in run.workers:
            by_focus[worker.focus].append(worker)
        workers_cycle = {focus: 0 for focus in by_focus}
        serial = 100
        for client in run.clients:
            if client.entry.weekday() >= 5 or client.entry in self.czech_holidays:
                client.entry = self._later_workday(client.entry, 0, 0, run)
            if client.engagement == "early":
                client.exit = client.entry + dt.timedelta(days=rng.randint(14, 80))
                client.exit_reason = _pick(
                    rng,
                    [
                        (ExitReason.CLIENT_ENDED, 40),
                        (ExitReason.NO_CONTACT, 35),
                        (ExitReason.MOVED, 20),
                        (ExitReason.REFERRED, 5),
                    ],
                )
            else:
                roll = rng.random()
                span = (run.end - client.entry).days
                if roll < 0.22 and span > 240:
                    client.exit = client.entry + dt.timedelta(days=rng.randint(180, span - 30))
                    client.exit_reason = (
                        ExitReason.GOALS_MET
                        if client.engagement == "participant"
                        else ExitReason.REFERRED
                    )
                elif roll < 0.4:
                    client.exit = run.end
                    client.exit_reason = ExitReason.PROJECT_ENDED
            if client.exit:
                # Cooperation ends on a working day, never after the project.
                client.exit = max(client.entry, self._workday_before(min(client.exit, run.end)))
            # Workers take clients of their focus in turn (at --scale n there are n of each).
            focus = client.focus if client.focus in by_focus else next(iter(by_focus))
            team = by_focus[focus]
            worker = team[workers_cycle[focus] % len(team)]
            workers_cycle[focus] += 1
            last = client.last_day
            if (last - client.entry).days > 120 and rng.random() < 0.07 and len(run.workers) > 1:
                # Reassigned by the guarantor part way through.
                switch = client.entry + dt.timedelta(
                    days=rng.randint(40, (last - client.entry).days - 40)
                )
                other = rng.choice([w for w in run.workers if w is not worker])
                client.assignments = [
                    (worker, client.entry, switch),
                    (other, switch + ONE_DAY, client.exit),
                ]
            else:
                client.assignments = [(worker, client.entry, client.exit)]
            # Entry monitoring data: most complete, some missing a field.
            if rng.random() > 0.86:
                client.missing = rng.choice(
                    ["birth_date", "labour_status", "education", "disadvantage_answer", "postcode"]
                )
            if client.missing == "birth_date":
                client.obj.birth_year = client.obj.birth_date.year
                client.obj.birth_date = None
            elif client.missing == "postcode":
                client.obj.postcode = ""
            birth = client.obj.birth_date
            if birth and birth.year >= 1954 and rng.random() < 0.08:
                serial += rng.randint(1, 40)
                number = _birth_number(birth, client.female, serial % 1000)
                if rc.is_valid(number):
                    client.obj.birth_number = number
            if rng.random() < 0.1:
                client.obj.email = (
                    f"{_ascii(client.obj.first_name)}.{_ascii(client.obj.last_name)}"
                    f"{rng.randint(1, 99)}@seznam.cz"
                )
            client.has_debts = client.focus == "debts" or (
                client.focus != "youth" and rng.random() < 0.45
            )
            client.has_housing = client.focus == "housing" or (
                client.focus != "youth" and rng.random() < 0.4
            )

    def _persist_clients(self) -> None:
        households = [h.obj for h in self.households]
        Household.objects.bulk_create(households, batch_size=BATCH)
        codes = Counter()
        clients = []
        for run in self.runs:
            width = max(4, len(str(len(run.clients))))
            for client in run.clients:
                codes[run.spec.code] += 1
                client.obj.code = f"{run.spec.code}-{codes[run.spec.code]:0{width}d}"
                client.obj.household = client.household.obj
                if client.exit:
                    client.obj.status = ClientStatus.CLOSED
                clients.append(client.obj)
        Client.objects.bulk_create(clients, batch_size=BATCH)
        members = []
        for household in self.households:
            for client in household.clients:
                members.append(
                    HouseholdMember(
                        household=household.obj,
                        client=client.obj,
                        relationship=client.relationship,
                    )
                )
            for name, year, relationship, dependent in household.others:
                members.append(
                    HouseholdMember(
                        household=household.obj,
                        name=name,
                        birth_year=max(year, 1920),
                        relationship=relationship,
                        is_dependent=dependent,
                    )
                )
        HouseholdMember.objects.bulk_create(members, batch_size=BATCH)
        self.counts["households"] = len(households)
        self.counts["clients"] = len(clients)

    def _persist_enrolments(self) -> None:
        rng = self.rng
        consents, assignments, enrolments, disadvantage_rows, exit_rows = [], [], [], [], []
        for run in self.runs:
            for client in run.clients:
                first_worker = client.assignments[0][0].user
                consents.append(
                    Consent(
                        client=client.obj,
                        given_on=client.entry,
                        scope=ConsentScope.RECORDS,
                        recorded_by=first_worker,
                    )
                )
                consents.append(
                    Consent(
                        client=client.obj,
                        given_on=client.entry,
                        scope=ConsentScope.MONITORING,
                        recorded_by=first_worker,
                    )
                )
                for scope, share in [(ConsentScope.REFERRAL, 0.3), (ConsentScope.PHOTOS, 0.1)]:
                    if rng.random() < share + (0.3 if client.youth and scope == "photos" else 0):
                        withdrawn = None
                        if rng.random() < 0.08:
                            withdrawn = min(
                                client.last_day,
                                client.entry + dt.timedelta(days=rng.randint(20, 300)),
                            )
                        consents.append(
                            Consent(
                                client=client.obj,
                                given_on=client.entry,
                                scope=scope,
                                withdrawn_on=withdrawn,
                                recorded_by=first_worker,
                                note="Odvolán ústně, zapsáno pracovníkem." if withdrawn else "",
                            )
                        )
                for worker, start, end in client.assignments:
                    assignments.append(
                        CaseAssignment(
                            client=client.obj,
                            project=run.project,
                            worker=worker.user,
                            started_on=start,
                            ended_on=end,
                            assigned_by=run.guarantor,
                        )
                    )
                if not client.exit and rng.random() < 0.04:
                    # Shared by the guarantor with a colleague, e.g. for a joint home visit.
                    colleague = next(
                        (w for w in run.workers if w is not client.assignments[-1][0]), None
                    )
                    if colleague:
                        assignments.append(
                            CaseAssignment(
                                client=client.obj,
                                project=run.project,
                                worker=colleague.user,
                                kind=CaseAssignment.Kind.SHARED,
                                started_on=client.entry + dt.timedelta(days=30),
                                assigned_by=run.guarantor,
                            )
                        )
                enrolment = self._enrolment(run, client)
                enrolments.append(enrolment)
                codes = []
                if enrolment.disadvantage_answer == DisadvantageAnswer.ANSWERED:
                    codes = sorted(
                        {_pick(rng, DISADVANTAGES) for _ in range(rng.randint(1, 2))}
                        | ({"PBOBP"} if client.has_housing and rng.random() < 0.35 else set())
                    )
                disadvantage_rows.append((enrolment, codes))
                situations = []
                if client.exit and client.exit_reason != ExitReason.NO_CONTACT:
                    if client.exit_reason == ExitReason.GOALS_MET:
                        situations.append("SPUINU")
                    if client.youth and rng.random() < 0.4:
                        situations.append("SPVZD")
                    if rng.random() < 0.15:
                        situations.append("SPDIG")
                exit_rows.append((enrolment, situations))
        Consent.objects.bulk_create(consents, batch_size=BATCH)
        CaseAssignment.objects.bulk_create(assignments, batch_size=BATCH)
        Enrolment.objects.bulk_create(enrolments, batch_size=BATCH)
        DisadvantageThrough = Enrolment.disadvantages.through
        DisadvantageThrough.objects.bulk_create(
            [
                DisadvantageThrough(
                    enrolment_id=e.pk, monitoringcode=self.monitoring[("disadvantage", code)]
                )
                for e, codes in disadvantage_rows
                for code in codes
            ],
            batch_size=BATCH,
        )
        ExitThrough = Enrolment.exit_situations.through
        ExitThrough.objects.bulk_create(
            [
                ExitThrough(
                    enrolment_id=e.pk, monitoringcode=self.monitoring[("exit_situation", code)]
                )
                for e, codes in exit_rows
                for code in codes
            ],
            batch_size=BATCH,
        )
        self.counts["consents"] = len(consents)
        self.counts["enrolments"] = len(enrolments)

    def _enrolment(self, run: ProjectRun, client: ClientRun) -> Enrolment:
        rng = self.rng
        labour = "TPSTUD" if client.youth and rng.random() < 0.6 else _pick(rng, LABOUR)
        education = "VZISCED1-2" if client.youth else _pick(rng, EDUCATION)
        answer = _pick(
            rng,
            [
                (DisadvantageAnswer.ANSWERED, 62),
                (DisadvantageAnswer.NONE, 20),
                (DisadvantageAnswer.DECLINED, 18),
            ],
        )
        enrolment = Enrolment(
            client=client.obj,
            project=run.project,
            entry_date=client.entry,
            exit_date=client.exit,
            exit_reason=client.exit_reason,
            labour_status=self.monitoring[("labour_status", labour)],
            education=self.monitoring[("education", education)],
            disadvantage_answer=answer,
        )
        # Incomplete entry data: one of the required answers is missing.
        if client.missing in ("labour_status", "education"):
            setattr(enrolment, client.missing, None)
        elif client.missing == "disadvantage_answer":
            enrolment.disadvantage_answer = ""
        if client.exit and client.exit_reason != ExitReason.NO_CONTACT:
            enrolment.exit_labour_status = (
                self.monitoring[("labour_status", "TPZAMCI")]
                if rng.random() < 0.12
                else enrolment.labour_status
            )
        return enrolment
