"""The intervention log: each worker's weekly pattern, first and last contacts, group work.

Rows are collected in memory in the order of the work and then copied into ids reserved
from the sequence (with their workers, participants and topics); the outreach head counts
gathered on the way, KA 06 materials and output documents are written with them.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

from casework.demo.bulk import _copy_rows, _reserve_ids
from casework.demo.specs import BATCH, ONE_DAY
from casework.demo.state import ProjectRun, SeederBase, Worker, _pick
from casework.models import (
    EducationalMaterial,
    Intervention,
    InterventionParticipant,
    InterventionWorker,
    OutputDocument,
    OutreachContact,
)
from clients.models import ExitReason

# Records one field worker logs in a week (visits, office consultations, accompaniments,
# calls and e-mails, each a record), before holidays, lockdowns and the caps below. Tuned so
# that the two projects together hold about 22,000–25,000 interventions per unit of scale.
WEEKLY_RECORDS = (40, 60)
# Contacts with one client in one week at most (visits, calls and e-mails together).
MAX_WEEKLY_CONTACTS = 5

# --- What the log says: weighted choices ------------------------------------------------------

MODE_WEIGHTS = {
    "field_visit": 34,
    "office": 14,
    "accompaniment": 9,
    "phone": 30,
    "email": 8,
    "online": 5,
}
# Lockdowns moved the work to the phone and the screen.
LOCKDOWN_MODE_WEIGHTS = {
    "field_visit": 20,
    "office": 3,
    "accompaniment": 4,
    "phone": 50,
    "email": 12,
    "online": 11,
}
LOCKDOWNS = [
    (dt.date(2020, 3, 16), dt.date(2020, 5, 17)),
    (dt.date(2020, 10, 22), dt.date(2021, 2, 28)),
]
DURATIONS = {
    "field_visit": [(30, 25), (45, 30), (60, 25), (90, 12), (20, 5), (120, 3)],
    "office": [(30, 35), (45, 30), (60, 25), (90, 10)],
    "accompaniment": [(60, 30), (90, 35), (120, 20), (180, 10), (45, 5)],
    "phone": [(15, 60), (30, 25), (10, 15)],
    "email": [(15, 70), (30, 20), (10, 10)],
    "online": [(30, 50), (45, 30), (60, 20)],
}
TYPES_BY_MODE = {
    "field_visit": [
        ("field_work", 50),
        ("basic_counselling", 28),
        ("social_inquiry", 12),
        ("specialised_counselling", 7),
        ("crisis_intervention", 3),
    ],
    "office": [
        ("basic_counselling", 45),
        ("specialised_counselling", 35),
        ("negotiation", 8),
        ("crisis_intervention", 4),
        ("case_conference", 4),
        ("social_inquiry", 4),
    ],
    "accompaniment": [("accompaniment", 1)],
    "phone": [("negotiation", 45), ("basic_counselling", 50), ("crisis_intervention", 5)],
    "email": [("negotiation", 70), ("basic_counselling", 30)],
    "online": [("basic_counselling", 60), ("specialised_counselling", 40)],
}
TOPICS_BY_FOCUS = {
    "debts": [("debts", 75), ("benefits", 12), ("employment", 6), ("family", 4), ("other", 3)],
    "housing": [("housing", 65), ("benefits", 17), ("debts", 10), ("family", 5), ("health", 3)],
    "youth": [("youth", 55), ("employment", 15), ("family", 15), ("health", 8), ("other", 7)],
    "general": [
        ("benefits", 25),
        ("employment", 20),
        ("family", 20),
        ("health", 15),
        ("debts", 10),
        ("other", 10),
    ],
}
RECORDS = {
    "debts": [
        "Zmapování dluhů, s klientem sepsán přehled věřitelů a exekucí.",
        "Kontrola výpisu z centrální evidence exekucí, domluven další postup.",
        "Pomoc se žádostí o splátkový kalendář u věřitele.",
        "Příprava podkladů k insolvenčnímu návrhu (oddlužení).",
        "Vysvětlení dopisu od exekutora, návrh odpovědi.",
        "Sestavení rozpočtu domácnosti, výpočet nezabavitelné částky.",
        "Kontrola promlčení pohledávek, příprava návrhu na zastavení exekuce.",
    ],
    "housing": [
        "Jednání s pronajímatelem o splátkách dluhu na nájemném.",
        "Pomoc se žádostí o příspěvek na bydlení.",
        "Kontrola plateb nájemného, nastaven trvalý příkaz.",
        "Výpověď z nájmu: konzultace možnosti soudního přezkumu.",
        "Hledání náhradního bydlení, kontakt s bytovým fondem.",
        "Prohlídka bytu, domluva drobných oprav s pronajímatelem.",
        "Řešení sousedského sporu v domě, domluva pravidel.",
    ],
    "benefits": [
        "Pomoc s vyplněním žádosti o dávky pomoci v hmotné nouzi.",
        "Doložení příjmů na úřad práce, kontrola rozhodnutí o dávce.",
        "Žádost o doplatek na bydlení, kompletace příloh.",
        "Konzultace k přeplatku na dávce a možnosti splátek.",
    ],
    "employment": [
        "Příprava životopisu a vyhledání nabídek práce.",
        "Nácvik pracovního pohovoru, domluva doprovodu.",
        "Registrace na úřadu práce, vysvětlení povinností uchazeče.",
    ],
    "family": [
        "Rozhovor o situaci v rodině, podpora v komunikaci se školou.",
        "Kontakt s OSPOD po dohodě s klientkou.",
        "Pomoc se žádostí o výživné.",
    ],
    "health": [
        "Pomoc s objednáním k lékaři a s dopravou.",
        "Žádost o příspěvek na mobilitu, konzultace posudku.",
        "Rozhovor o užívání návykových látek, nabídnut kontakt na adiktologa.",
    ],
    "youth": [
        "Individuální rozhovor o škole, práci a volném čase.",
        "Podpora při hledání brigády, nácvik jednání se zaměstnavatelem.",
        "Rozhovor o rizicích půjček a hospodaření s penězi.",
        "Motivace k dokončení učebního oboru.",
    ],
    "other": [
        "Pomoc s vyřízením dokladů totožnosti.",
        "Doprovod na poštu, vysvětlení úředního dopisu.",
        "Kontakt s klientem, ověření aktuální situace.",
    ],
}
GROUP_RECORDS = {
    "youth": [
        "Klub mladých: finanční gramotnost – jak nenaletět na rychlé půjčky.",
        "Klub mladých: prevence závislostí, beseda s adiktologem.",
        "Klub mladých: hledání práce a brigád, nácvik pohovoru.",
        "Klub mladých: sportovní odpoledne a diskuse o sousedských vztazích.",
        "Klub mladých: práva a povinnosti nájemníka.",
    ],
    "debts": [
        "Skupinové setkání: rodinný rozpočet a splátky.",
        "Skupinové setkání: exekuce, oddlužení a jak postupovat.",
    ],
}


class InterventionSteps(SeederBase):
    """The log of interventions and the anonymous outreach around it."""

    def _interventions(self) -> None:
        """Generate the log worker by worker, week by week, and copy it into the database."""
        self.rows: list[tuple] = []
        for run in self.runs:
            for worker in run.workers:
                self._worker_log(run, worker)
            self._first_and_last_contacts(run)
            self._group_sessions(run)
        # Ids in the order of the work, as a real log would have them.
        self.rows.sort(key=lambda entry: (entry[0][2], entry[0][3]))
        ids = _reserve_ids(Intervention, len(self.rows))
        columns = [
            "id",
            "project_id",
            "key_activity_id",
            "date",
            "start_time",
            "duration_minutes",
            "delivery_mode_id",
            "intervention_type_id",
            "place",
            "record",
            "is_group",
            "anonymous_count",
            "plan_goal_id",
            "is_one_off",
            "submission_id",
            "created_by_id",
            "created_at",
            "updated_at",
            "version",
        ]
        workers, participants, topics = [], [], []
        full_rows = []
        for new_id, (row, worker_ids, client_ids, topic_ids) in zip(ids, self.rows, strict=True):
            # Logged in the evening of the day of the work; no submission id (not from a form).
            created = f"{row[2]} 17:00:00+00"
            full_rows.append((new_id, *row[:-1], None, row[-1], created, created, 1))
            workers.extend((new_id, w) for w in worker_ids)
            participants.extend((new_id, c) for c in client_ids)
            topics.extend((new_id, t) for t in topic_ids)
        del self.rows
        self.counts["interventions"] = _copy_rows(Intervention._meta.db_table, columns, full_rows)
        worker_ids = _reserve_ids(InterventionWorker, len(workers))
        self.counts["intervention workers"] = _copy_rows(
            InterventionWorker._meta.db_table,
            ["id", "intervention_id", "worker_id"],
            ((i, *r) for i, r in zip(worker_ids, workers, strict=True)),
        )
        participant_ids = _reserve_ids(InterventionParticipant, len(participants))
        self.counts["intervention participants"] = _copy_rows(
            InterventionParticipant._meta.db_table,
            ["id", "intervention_id", "client_id"],
            ((i, *r) for i, r in zip(participant_ids, participants, strict=True)),
        )
        topic_field = Intervention.topics.field
        through = topic_field.remote_field.through
        topic_ids = _reserve_ids(through, len(topics))
        self.counts["intervention topics"] = _copy_rows(
            topic_field.m2m_db_table(),
            ["id", topic_field.m2m_column_name(), topic_field.m2m_reverse_name()],
            ((i, *r) for i, r in zip(topic_ids, topics, strict=True)),
        )

    def _add(
        self,
        run: ProjectRun,
        *,
        ka: str,
        day: dt.date,
        start: str,
        minutes: int,
        mode: str,
        kind: str | None,
        place: str,
        record: str,
        workers: list[int],
        clients: list[int],
        topics: list[str],
        is_group: bool = False,
        anonymous: int = 0,
        goal: int | None = None,
        one_off: bool = False,
    ) -> None:
        self.rows.append(
            (
                (
                    run.project.pk,
                    run.key_activities[ka].pk,
                    day.isoformat(),
                    start,
                    minutes,
                    self.modes[mode].pk,
                    self.types[kind].pk if kind else None,
                    place,
                    record,
                    is_group,
                    anonymous,
                    goal,
                    one_off,
                    workers[0],
                ),
                workers,
                clients,
                [self.topics[t].pk for t in topics],
            )
        )

    def _worker_log(self, run: ProjectRun, worker: Worker) -> None:
        """A worker's weekly pattern: holidays off, more work mid-week, caseload by weight."""
        rng = self.rng
        spec = run.spec
        caseload = [
            (client, start, end)
            for client in run.clients
            for assigned, start, end in client.assignments
            if assigned is worker
        ]
        workdays = self._workdays(spec.start, run.end)
        weeks = defaultdict(list)
        for day in workdays:
            weeks[day.isocalendar()[:2]].append(day)
        vacation = set()
        for year in range(spec.start.year, run.end.year + 1):
            summer = rng.randint(27, 33)
            vacation |= {(year, summer), (year, summer + 1), (year, rng.randint(8, 45)), (year, 52)}
        day_weights = [1.0, 1.15, 1.1, 1.1, 0.65]
        kas = spec.focus_kas[worker.focus]
        user_id = worker.user.pk
        colleagues = [w.user.pk for w in run.workers if w is not worker]
        for week, days in weeks.items():
            if week in vacation:
                continue
            count = round(rng.randint(*WEEKLY_RECORDS) * len(days) / 5)
            per_day = Counter(
                rng.choices(days, weights=[day_weights[d.weekday()] for d in days], k=count)
            )
            this_week = Counter()
            for day in days:
                slots = per_day[day]
                if not slots:
                    continue
                active = [
                    client
                    for client, start, end in caseload
                    if start <= day
                    and (end is None or day <= end)
                    and client.entry < day
                    and (client.exit is None or day < client.exit)
                    and this_week[client] < MAX_WEEKLY_CONTACTS
                ]
                times = sorted(
                    f"{rng.randint(8, 15):02d}:{rng.choice(['00', '15', '30', '45'])}"
                    for _ in range(slots)
                )
                chosen = []
                if active:
                    weights = [
                        c.weight * (2.0 if (day - c.entry).days < 60 else 1.0) for c in active
                    ]
                    for client in rng.choices(active, weights=weights, k=min(slots, len(active))):
                        if this_week[client] < MAX_WEEKLY_CONTACTS:
                            this_week[client] += 1
                            chosen.append(client)
                # A small caseload (the first weeks of a project) cannot absorb a full week:
                # the time left goes to outreach in the localities, logged as anonymous counts.
                if len(chosen) < slots and len(active) < 10 and rng.random() < 0.35:
                    self._outreach(run, worker, day)
                lockdown = any(first <= day <= last for first, last in LOCKDOWNS)
                for client, start in zip(chosen, times, strict=False):
                    self._client_contact(
                        run, worker, user_id, colleagues, client, day, start, kas, lockdown
                    )

    def _client_contact(
        self, run, worker, user_id, colleagues, client, day, start, kas, lockdown
    ) -> None:
        rng = self.rng
        ka = _pick(rng, kas)
        mode = _pick(rng, list((LOCKDOWN_MODE_WEIGHTS if lockdown else MODE_WEIGHTS).items()))
        kind = _pick(rng, TYPES_BY_MODE[mode])
        if ka == "KA 01" and run.spec.code == "RAL":
            kind = "social_inquiry" if mode != "accompaniment" else kind
        if rng.random() < 0.008:
            kind = "crisis_intervention"
        minutes = _pick(rng, DURATIONS[mode])
        focus = client.focus if ka != "KA 03" else "general"
        topic = _pick(rng, TOPICS_BY_FOCUS[focus])
        topics = [topic]
        if rng.random() < 0.25:
            second = _pick(rng, TOPICS_BY_FOCUS["general"])
            if second != topic:
                topics.append(second)
        record = rng.choice(RECORDS[topic])
        if mode == "accompaniment":
            place = rng.choice(run.spec.institutions)
            record = f"Doprovod ({place}): {record[0].lower()}{record[1:]}"
        elif mode == "office":
            place = run.spec.office
        elif mode == "field_visit":
            place = "Domácnost klienta" if rng.random() < 0.7 else client.household.locality[0].name
        else:
            place = ""
            prefix = {"phone": "Telefonicky", "email": "E-mailem", "online": "Online"}[mode]
            record = f"{prefix}: {record[0].lower()}{record[1:]}"
        goal, one_off = None, False
        if client.goal_ids and day >= client.plan_from and rng.random() < 0.8:
            goal = rng.choice(client.goal_ids)
        else:
            one_off = True
        workers = [user_id]
        if colleagues and mode in ("field_visit", "accompaniment") and rng.random() < 0.06:
            workers.append(rng.choice(colleagues))
        clients = [client.obj.pk]
        if rng.random() < 0.15:
            clients += [
                other.obj.pk
                for other in client.household.clients
                if other is not client
                and other.run is run
                and other.entry < day
                and (other.exit is None or day < other.exit)
            ]
        self._add(
            run,
            ka=ka,
            day=day,
            start=start,
            minutes=minutes,
            mode=mode,
            kind=kind,
            place=place,
            record=record,
            workers=workers,
            clients=clients,
            topics=topics,
            goal=goal,
            one_off=one_off,
        )

    def _outreach(self, run: ProjectRun, worker: Worker, day: dt.date) -> None:
        """Outreach in a locality: an anonymous head count, never a participant (DOMAIN.md §2)."""
        rng = self.rng
        ka = run.spec.intake_ka or run.spec.focus_kas[worker.focus][0][0]
        self.outreach.append(
            OutreachContact(
                project=run.project,
                key_activity=run.key_activities[ka],
                locality=rng.choice(run.localities)[0],
                date=day,
                head_count=rng.randint(2, 9),
                duration_minutes=rng.choice([60, 90, 120]),
                worker=worker.user,
                note="Depistáž v lokalitě, oslovení obyvatel, předání kontaktů a letáků.",
            )
        )

    def _first_and_last_contacts(self, run: ProjectRun) -> None:
        """Each client's first support on the entry date; an evaluation when goals were met."""
        rng = self.rng
        for client in run.clients:
            worker = client.assignments[0][0]
            ka = run.spec.intake_ka or run.spec.focus_kas[worker.focus][0][0]
            self._add(
                run,
                ka=ka,
                day=client.entry,
                start=f"{rng.randint(9, 14):02d}:00",
                minutes=rng.choice([45, 60, 60, 90]),
                mode="field_visit",
                kind="social_inquiry",
                place="Domácnost klienta",
                record="První kontakt: zmapování situace, seznámení se službou, souhlasy.",
                workers=[worker.user.pk],
                clients=[client.obj.pk],
                topics=[TOPICS_BY_FOCUS[client.focus][0][0]],
                one_off=True,
            )
            if client.exit_reason == ExitReason.GOALS_MET:
                last_worker = client.assignments[-1][0]
                self._add(
                    run,
                    ka=run.spec.focus_kas[last_worker.focus][0][0],
                    day=client.exit,
                    start="10:00",
                    minutes=60,
                    mode="office",
                    kind="evaluation",
                    place=run.spec.office,
                    record="Závěrečné hodnocení individuálního plánu, ukončení spolupráce.",
                    workers=[last_worker.user.pk],
                    clients=[client.obj.pk],
                    topics=[TOPICS_BY_FOCUS[client.focus][0][0]],
                    goal=client.goal_ids[0] if client.goal_ids else None,
                    one_off=not client.goal_ids,
                )

    def _group_sessions(self, run: ProjectRun) -> None:
        """Ralsko: youth club (KA 04) every other week; Vítkov: a budget workshop each quarter."""
        rng = self.rng
        youth = run.spec.code == "RAL"
        leaders = [w for w in run.workers if w.focus == ("youth" if youth else "debts")]
        for index, leader in enumerate(leaders):
            members = [
                c for c in run.clients if c.assignments[0][0] is leader and (c.youth or not youth)
            ]
            step = 14 if youth else 91
            day = run.spec.start + dt.timedelta(days=21 + index)
            while day <= run.end:
                while day.weekday() != 3 or day in self.czech_holidays:
                    day += ONE_DAY
                if day > run.end:
                    break
                if any(first <= day <= last for first, last in LOCKDOWNS):
                    day += dt.timedelta(days=step)
                    continue
                present = [c for c in members if c.entry < day and (c.exit is None or day < c.exit)]
                attending = rng.sample(present, min(len(present), rng.randint(3, 9)))
                if attending:
                    topic = "youth" if youth else "debts"
                    self._add(
                        run,
                        ka=run.spec.group_ka,
                        day=day,
                        start="15:00",
                        minutes=120 if youth else 90,
                        mode="group",
                        kind="group_work",
                        place=run.spec.group_place,
                        record=rng.choice(GROUP_RECORDS[topic]),
                        workers=[leader.user.pk],
                        clients=[c.obj.pk for c in attending],
                        topics=[topic],
                        is_group=True,
                        anonymous=rng.randint(0, 5) if youth else rng.randint(0, 2),
                        one_off=True,
                    )
                day += dt.timedelta(days=step)

    # Outreach, materials, outputs -----------------------------------------------------------

    def _persist_outreach(self) -> None:
        """Anonymous outreach (the workers' first weeks and a few a month), KA 06, outputs."""
        rng = self.rng
        contacts, materials, outputs = self.outreach, [], []
        for run in self.runs:
            ka = run.key_activities[run.spec.intake_ka or "KA 01"]
            month = run.spec.start
            while month <= run.end:
                for _ in range(rng.randint(1, 2) * self.scale):
                    day = month + dt.timedelta(days=rng.randint(0, 27))
                    if day > run.end:
                        continue
                    contacts.append(
                        OutreachContact(
                            project=run.project,
                            key_activity=ka,
                            locality=rng.choice(run.localities)[0],
                            date=day,
                            head_count=rng.randint(2, 12),
                            duration_minutes=rng.choice([30, 60, 90, 120]),
                            worker=rng.choice(run.workers).user,
                            note="Depistáž v lokalitě, rozdány letáky.",
                        )
                    )
                month = (month + dt.timedelta(days=32)).replace(day=1)
            for title, audience, published, copies in run.spec.materials:
                materials.append(
                    EducationalMaterial(
                        project=run.project,
                        key_activity=run.key_activities["KA 06"],
                        title=title,
                        audience=audience,
                        published_on=published,
                        copies_distributed=copies,
                    )
                )
            for title, published in run.spec.outputs:
                outputs.append(
                    OutputDocument(project=run.project, title=title, published_on=published)
                )
        OutreachContact.objects.bulk_create(contacts, batch_size=BATCH)
        EducationalMaterial.objects.bulk_create(materials)
        OutputDocument.objects.bulk_create(outputs)
        self.counts["outreach contacts"] = len(contacts)
