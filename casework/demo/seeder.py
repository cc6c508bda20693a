"""The orchestration: ``DemoSeeder`` runs the steps in order; ``seed_demo`` is the entry point."""

from __future__ import annotations

import datetime as dt

from django.db import connection, transaction
from django.utils import timezone

from casework.demo.debt_cases import DebtSteps
from casework.demo.housing_cases import HousingSteps
from casework.demo.interventions import InterventionSteps
from casework.demo.people import PeopleSteps
from casework.demo.plans import PlanSteps
from casework.demo.projects import ProjectSteps
from casework.demo.specs import PROJECT_SPECS
from casework.demo.state import HouseholdRun, SeedResult
from casework.models import (
    Intervention,
    InterventionParticipant,
    Organisation,
    OutreachContact,
    Project,
)
from clients.models import Client


class DemoSeeder(ProjectSteps, PeopleSteps, PlanSteps, InterventionSteps, DebtSteps, HousingSteps):
    """Creates the demo data; see ``seed_demo``."""

    def generate(self) -> None:
        """Generate and insert everything for projects whose organisations have no clients."""
        self.households: list[HouseholdRun] = []
        self.outreach: list[OutreachContact] = []
        for run in self.runs:
            self._households(run)
            self._shape_clients(run)
        self._persist_clients()
        self._persist_enrolments()
        self._persist_plans()
        self._persist_tasks()
        self._interventions()
        self._persist_outreach()
        self._persist_debts()
        self._persist_housing()


def demo_counts() -> dict[str, int]:
    """Row counts of the demo organisations, for the summary the command prints."""
    organisations = Organisation.objects.filter(ico__in=[s.ico for s in PROJECT_SPECS])
    projects = Project.objects.filter(organisation__in=organisations)
    return {
        "clients": Client.objects.filter(organisation__in=organisations).count(),
        "interventions": Intervention.objects.filter(project__in=projects).count(),
        "intervention participants": InterventionParticipant.objects.filter(
            intervention__project__in=projects
        ).count(),
    }


def seed_demo(*, scale: int = 1, today: dt.date | None = None) -> SeedResult:
    """Create the demo projects, users and (once) the generated record; see the module docstring.

    Side effects, all in one transaction: organisations, projects, key activities, indicators,
    reporting periods, localities, memberships, creditors, landlords and a risk factor set are
    created when missing (looked up by natural key; existing rows, including an administrator's
    edits, are left alone); users get the demo password only when they are created. If the demo
    organisations already have clients nothing else is written (``created=False``), so running
    it twice creates no duplicates.
    """
    if scale < 1:
        raise ValueError("scale must be at least 1")
    seeder = DemoSeeder(scale=scale, today=today or timezone.localdate())
    with transaction.atomic():
        seeder.load_codes()
        seeder.ensure_projects()
        organisations = [run.organisation for run in seeder.runs]
        if Client.objects.filter(organisation__in=organisations).exists():
            return SeedResult(created=False, logins=seeder.logins, counts=demo_counts())
        seeder.generate()
    # Fresh statistics: without them the planner guesses badly on the tables COPY just filled
    # (the board's no-contact count took seconds instead of milliseconds). VACUUM also sets
    # the visibility map, as autovacuum does on a server soon after a bulk load, so counts
    # can be answered from an index alone; it cannot run inside a transaction (a test's).
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)")
    return SeedResult(created=True, logins=seeder.logins, counts=dict(seeder.counts))
