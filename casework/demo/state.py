"""The seeder's run-time state: results, per-project/household/client records, shared helpers.

``SeederBase`` holds what every generation step reads (the seeded ``random.Random`` and
Faker, the scale, today, the runs and the counters); the steps are mixins over it that
``casework.demo.seeder.DemoSeeder`` combines.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import holidays
from faker import Faker

from casework.demo.specs import ONE_DAY, SEED, ProjectSpec
from casework.models import KeyActivity, Locality, Organisation, Project
from clients.models import Client, Household
from debts.models import Creditor
from housing.models import Landlord, RiskFactorSet

# --- Results -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoLogin:
    username: str
    full_name: str
    role: str
    project: str


@dataclass
class SeedResult:
    created: bool
    logins: list[DemoLogin]
    counts: dict[str, int]


# --- Small helpers -----------------------------------------------------------------------------


def _pick(rng: random.Random, weighted: Sequence[tuple[object, float]]):
    values, weights = zip(*weighted, strict=True)
    return rng.choices(values, weights=weights)[0]


def _daterange(start: dt.date, end: dt.date) -> Iterable[dt.date]:
    day = start
    while day <= end:
        yield day
        day += ONE_DAY


def _aware(day: dt.date, hour: int = 12) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=dt.UTC)


# --- Run-time state ----------------------------------------------------------------------------


@dataclass
class Worker:
    user: object
    focus: str


@dataclass
class ProjectRun:
    spec: ProjectSpec
    organisation: Organisation
    project: Project
    key_activities: dict[str, KeyActivity]
    localities: list[tuple[Locality, str]]
    guarantor: object
    admin: object
    workers: list[Worker]
    risk_set: RiskFactorSet
    creditors: dict[str, list[Creditor]]
    landlords: dict[str, list[Landlord]]
    end: dt.date
    clients: list[ClientRun] = field(default_factory=list)


@dataclass
class HouseholdRun:
    obj: Household
    surname: str
    street: str
    house_number: str
    locality: tuple[Locality, str]
    clients: list[ClientRun] = field(default_factory=list)
    others: list[tuple[str, int, str, bool]] = field(default_factory=list)
    partner: bool = False


@dataclass(eq=False)  # compared and hashed by identity
class ClientRun:
    obj: Client
    run: ProjectRun
    household: HouseholdRun
    relationship: str
    focus: str
    engagement: str  # "participant", "short" or "early"
    weight: float
    female: bool
    youth: bool
    entry: dt.date
    exit: dt.date | None = None
    exit_reason: str = ""
    missing: str = ""  # the entry monitoring field left empty, if any
    # (worker, from, until) of primary assignments, oldest first.
    assignments: list[tuple[Worker, dt.date, dt.date | None]] = field(default_factory=list)
    plan_from: dt.date | None = None
    goal_ids: list[int] = field(default_factory=list)
    has_debts: bool = False
    has_housing: bool = False

    @property
    def last_day(self) -> dt.date:
        return self.exit or self.run.end


# --- What every step shares ----------------------------------------------------------------------


class SeederBase:
    """State shared by the generation steps; see ``casework.demo.seeder.DemoSeeder``."""

    def __init__(self, *, scale: int, today: dt.date):
        self.scale = scale
        self.today = today
        self.rng = random.Random(SEED)  # noqa: S311 - reproducible demo data, not security
        self.fake = Faker("cs_CZ")
        self.fake.seed_instance(SEED)
        self.password = None
        self.logins: list[DemoLogin] = []
        self.runs: list[ProjectRun] = []
        self.counts: Counter[str] = Counter()
        self.czech_holidays = holidays.country_holidays("CZ", years=range(2017, 2024))

    def _workdays(self, start: dt.date, end: dt.date) -> list[dt.date]:
        return [
            day
            for day in _daterange(start, end)
            if day.weekday() < 5 and day not in self.czech_holidays
        ]
