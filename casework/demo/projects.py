"""The idempotent part: organisations, projects, key activities, periods and demo users.

Rows are looked up by natural key and created only when missing, so a second run (or an
administrator's edits) is left alone; users get the demo password only on creation.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from faker.providers.person.cs_CZ import Provider as CzechNames

from casework.demo.people import SURNAMES, _feminine
from casework.demo.specs import (
    CREDITORS,
    DEMO_PASSWORD,
    LANDLORDS,
    ONE_DAY,
    PROJECT_SPECS,
    D,
    PersonSpec,
)
from casework.demo.state import DemoLogin, ProjectRun, SeederBase, Worker
from casework.models import (
    DeliveryMode,
    Institution,
    InstitutionKind,
    InterventionType,
    KeyActivity,
    Locality,
    Membership,
    Organisation,
    Programme,
    Project,
    ProjectExtension,
    ProjectIndicator,
    ReportingPeriod,
    Topic,
)
from casework.roles import Role
from clients.models import MonitoringCode
from debts.models import Creditor, CreditorType, LegalParameterSet
from housing.models import BenefitType, EthosCategory, Landlord, RiskFactorSet
from housing.services import create_default_risk_factor_set


class ProjectSteps(SeederBase):
    """Reference data the generator needs, and the projects with their users."""

    def load_codes(self) -> None:
        """Read the code lists the data migrations filled; fail clearly if they are missing."""
        self.monitoring = {(c.kind, c.code): c for c in MonitoringCode.objects.all()}
        self.topics = {t.code: t for t in Topic.objects.all()}
        self.modes = {m.code: m for m in DeliveryMode.objects.all()}
        self.types = {t.code: t for t in InterventionType.objects.all()}
        self.creditor_types = {t.code: t for t in CreditorType.objects.all()}
        self.ethos = {e.code: e for e in EthosCategory.objects.all()}
        self.benefits = {b.code: b for b in BenefitType.objects.all()}
        self.parameters = list(LegalParameterSet.objects.order_by("valid_from"))
        missing = [
            name
            for name, rows in [
                ("monitoring codes", self.monitoring),
                ("topics", self.topics),
                ("forms of intervention", self.modes),
                ("types of intervention", self.types),
                ("creditor types", self.creditor_types),
                ("ETHOS categories", self.ethos),
                ("benefits", self.benefits),
                ("legal parameters", self.parameters),
            ]
            if not rows
        ]
        if missing:
            raise RuntimeError(
                "Reference data missing (" + ", ".join(missing) + "): run `manage.py migrate`."
            )

    def _user(self, person: PersonSpec):
        user, created = get_user_model().objects.get_or_create(
            username=person.username,
            defaults={
                "first_name": person.first_name,
                "last_name": person.last_name,
                "email": f"{person.username}@example.com",
            },
        )
        if created:
            # One hash for every demo account: the same password, and argon2 is slow on purpose.
            if self.password is None:
                self.password = make_password(DEMO_PASSWORD)
            user.password = self.password
            user.save(update_fields=["password"])
        return user

    def _member(self, person: PersonSpec, project: Project, role: str):
        user = self._user(person)
        membership, _ = Membership.objects.get_or_create(
            user=user, project=project, defaults={"role": role}
        )
        self.logins.append(
            DemoLogin(
                person.username,
                f"{user.first_name} {user.last_name}",
                membership.role,
                project.name,
            )
        )
        return user

    def _extra_worker(self, person: PersonSpec, number: int) -> PersonSpec:
        """The n-th worker of the same focus at --scale n, named from a generator of its own."""
        names = random.Random(f"{person.username}.{number}")  # noqa: S311
        female = names.random() < 0.6
        surname = names.choice(SURNAMES)
        return PersonSpec(
            f"{person.username}.{number}",
            names.choice(CzechNames.first_names_female if female else CzechNames.first_names_male),
            _feminine(surname) if female else surname,
            person.focus,
        )

    @staticmethod
    def _institutions(organisation: Organisation, municipality: str) -> None:
        """A few parties to interventions the housing worker deals with (issue 5.5)."""
        for name, kind in (
            (f"Městský úřad {municipality}", InstitutionKind.MUNICIPAL_OFFICE),
            (f"Bytový fond – {municipality}", InstitutionKind.HOUSING_FUND),
            (f"Úřad práce ČR – kontaktní pracoviště {municipality}", InstitutionKind.LABOUR_OFFICE),
        ):
            Institution.objects.get_or_create(
                organisation=organisation, name=name, defaults={"kind": kind}
            )

    def ensure_projects(self) -> None:
        """Organisations, projects and everything the grant decision fixes, plus the users."""
        for spec in PROJECT_SPECS:
            organisation, _ = Organisation.objects.get_or_create(
                ico=spec.ico, defaults={"name": spec.org_name, "address": spec.org_address}
            )
            self._institutions(organisation, spec.municipality)
            total, eu, state, own = (D(v) for v in spec.budget)
            project, _ = Project.objects.get_or_create(
                organisation=organisation,
                code=spec.code,
                defaults={
                    "name": spec.name,
                    "registration_number": spec.registration_number,
                    "programme": Programme.OPZ,
                    "start_date": spec.start,
                    "end_date": spec.end,
                    "budget_total": total,
                    "budget_eu": eu,
                    "budget_state": state,
                    "budget_own": own,
                    # OPZ 2014–2020 documents are kept until at least the end of 2033.
                    "retention_until": dt.date(2033, 12, 31),
                },
            )
            end = spec.end
            if spec.extension:
                ProjectExtension.objects.get_or_create(
                    project=project,
                    new_end_date=spec.extension,
                    defaults={
                        "decided_on": spec.end - dt.timedelta(days=45),
                        "note": "Prodloužení realizace projektu (změna právního aktu).",
                    },
                )
                end = spec.extension
            localities = []
            for name, part in spec.localities:
                locality, _ = Locality.objects.get_or_create(
                    organisation=organisation,
                    name=name,
                    defaults={"municipality": spec.municipality},
                )
                localities.append((locality, part))
            project.localities.add(*(loc for loc, _ in localities))
            kas = {}
            for code, name, description, is_evaluation in spec.key_activities:
                kas[code], _ = KeyActivity.objects.get_or_create(
                    project=project,
                    code=code,
                    defaults={
                        "name": name,
                        "description": description,
                        "is_evaluation": is_evaluation,
                    },
                )
            for code, name, unit, target, manual in spec.indicators:
                ProjectIndicator.objects.get_or_create(
                    project=project,
                    code=code,
                    defaults={
                        "name": name,
                        "unit": unit,
                        "target": D(target * self.scale),
                        "manual_value": None if manual is None else D(manual * self.scale),
                    },
                )
            self._periods(project, spec.start, end)
            if not RiskFactorSet.objects.filter(project=project).exists():
                create_default_risk_factor_set(project)
            risk_set = RiskFactorSet.objects.get(project=project, is_active=True)
            creditors = defaultdict(list)
            for name, type_code in [*CREDITORS, (spec.org_name, "municipality")]:
                creditor, _ = Creditor.objects.get_or_create(
                    organisation=organisation,
                    name=name,
                    defaults={"creditor_type": self.creditor_types[type_code]},
                )
                creditors[creditor.creditor_type.code].append(creditor)
            landlords = defaultdict(list)
            for name, kind in LANDLORDS[spec.code]:
                landlord, _ = Landlord.objects.get_or_create(
                    organisation=organisation, name=name, defaults={"kind": kind}
                )
                landlords[kind].append(landlord)

            guarantor = self._member(spec.guarantor, project, Role.GUARANTOR)
            workers = []
            for person in spec.workers:
                for number in range(1, self.scale + 1):
                    extra = person if number == 1 else self._extra_worker(person, number)
                    workers.append(Worker(self._member(extra, project, Role.WORKER), person.focus))
            admin = self._member(spec.admin, project, Role.ADMIN)
            self.runs.append(
                ProjectRun(
                    spec=spec,
                    organisation=organisation,
                    project=project,
                    key_activities=kas,
                    localities=localities,
                    guarantor=guarantor,
                    admin=admin,
                    workers=workers,
                    risk_set=risk_set,
                    creditors=creditors,
                    landlords=landlords,
                    end=end,
                )
            )

    @staticmethod
    def _periods(project: Project, start: dt.date, end: dt.date) -> None:
        """Six-month reporting periods covering the project; the last one is the final report."""
        spans = []
        period_start = start
        while period_start <= end:
            month = period_start.month + 6
            next_start = period_start.replace(
                year=period_start.year + (month - 1) // 12, month=(month - 1) % 12 + 1
            )
            spans.append((period_start, min(next_start - ONE_DAY, end)))
            period_start = next_start
        for number, (first, last) in enumerate(spans, start=1):
            ReportingPeriod.objects.get_or_create(
                project=project,
                number=number,
                defaults={
                    "start_date": first,
                    "end_date": last,
                    "report_due": last + dt.timedelta(days=40),
                    "is_final": number == len(spans),
                },
            )
