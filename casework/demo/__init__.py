"""Believable demo data for the two seed projects, Vítkov and Ralsko (the logic of ``seed_demo``).

``seed_demo(scale=N)`` creates the organisations, projects, key activities, indicators, periods
and one user per role (idempotently, by natural keys), and then, only when the demo
organisations have no clients yet, generates clients with households, consents, enrolments,
plans, tasks, debts, housing and a log of interventions that follows weekly working patterns.

Everything random comes from one seeded ``random.Random`` and a seeded Faker, so two runs on
empty databases produce the same rows; only open tasks and the review dates of open plans are
placed around today, so that the home pages have something due in the historic projects.
The large tables (interventions and their workers, participants and topics; risk answers) are
written with PostgreSQL ``COPY`` into ids reserved from the table's sequence, the rest with
``bulk_create``. Volume: about 150 clients and 22,000 interventions per unit of ``scale``.

The modules, in the order the seeder uses them:

- ``specs``: what the two projects are, and the fixed vocabularies (pure data);
- ``state``: results, run-time records and ``SeederBase`` (the shared random state);
- ``projects``: the idempotent reference rows, projects and demo users;
- ``people``: households and clients, their enrolments, consents and assignments;
- ``plans``: individual plans, goals and tasks;
- ``interventions``: the weekly log of interventions, outreach, materials and outputs;
- ``debt_cases`` and ``housing_cases``: debt counselling and housing records;
- ``bulk``: id reservation and ``COPY`` for the large tables;
- ``seeder``: ``DemoSeeder`` (the steps in order), ``seed_demo`` and ``demo_counts``.
"""

from casework.demo.seeder import DemoSeeder, demo_counts, seed_demo
from casework.demo.specs import DEMO_PASSWORD, PROJECT_SPECS, SEED
from casework.demo.state import DemoLogin, SeedResult

__all__ = [
    "DEMO_PASSWORD",
    "PROJECT_SPECS",
    "SEED",
    "DemoLogin",
    "DemoSeeder",
    "SeedResult",
    "demo_counts",
    "seed_demo",
]
