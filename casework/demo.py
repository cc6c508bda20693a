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
"""

from __future__ import annotations

import datetime as dt
import io
import random
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

import holidays
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import connection, models, transaction
from django.utils import timezone
from faker import Faker
from faker.providers.person.cs_CZ import Provider as CzechNames
from stdnum.cz import rc

from casework.models import (
    DeliveryMode,
    EducationalMaterial,
    Intervention,
    InterventionParticipant,
    InterventionType,
    InterventionWorker,
    KeyActivity,
    Locality,
    Membership,
    Organisation,
    OutputDocument,
    OutreachContact,
    Programme,
    Project,
    ProjectExtension,
    ProjectIndicator,
    ReportingPeriod,
    Topic,
)
from casework.roles import Role
from clients.models import (
    CaseAssignment,
    Client,
    ClientStatus,
    Consent,
    ConsentScope,
    DisadvantageAnswer,
    Enrolment,
    ExitReason,
    GoalStatus,
    Household,
    HouseholdMember,
    IndividualPlan,
    MonitoringCode,
    PlanGoal,
    PlanStatus,
    Relationship,
    Task,
)
from debts.models import (
    ActionKind,
    ActionResult,
    BudgetLine,
    Creditor,
    CreditorType,
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
from housing.models import (
    BenefitStatus,
    BenefitType,
    EthosCategory,
    HousingBenefit,
    HousingOutcome,
    HousingOutcomeKind,
    HousingSituation,
    Landlord,
    LandlordKind,
    RiskAssessment,
    RiskFactor,
    RiskFactorAnswer,
    RiskFactorSet,
    Tenure,
)
from housing.services import create_default_risk_factor_set, level_for_score

DEMO_PASSWORD = "casework-demo"  # noqa: S105 - printed for the demo on purpose
SEED = 20180601
# Records one field worker logs in a week (visits, office consultations, accompaniments,
# calls and e-mails, each a record), before holidays, lockdowns and the caps below. Tuned so
# that the two projects together hold about 22,000–25,000 interventions per unit of scale.
WEEKLY_RECORDS = (40, 60)
# Contacts with one client in one week at most (visits, calls and e-mails together).
MAX_WEEKLY_CONTACTS = 5
BATCH = 5000

D = Decimal
ONE_DAY = dt.timedelta(days=1)


# --- What the two seed projects are ------------------------------------------------------------


@dataclass(frozen=True)
class PersonSpec:
    username: str
    first_name: str
    last_name: str
    focus: str = ""  # workers: "debts", "housing" or "youth"


@dataclass(frozen=True)
class ProjectSpec:
    org_name: str
    ico: str
    org_address: str
    code: str
    name: str
    registration_number: str
    start: dt.date
    end: dt.date
    extension: dt.date | None
    budget: tuple[str, str, str, str]  # total, EU, state, own
    key_activities: list[tuple[str, str, str, bool]]
    indicators: list[tuple[str, str, str, int, int | None]]  # code, name, unit, target, manual
    localities: list[tuple[str, str]]  # name, part of the municipality
    municipality: str
    postcode: str
    streets: list[str]
    clients: int
    focus_shares: dict[str, float]
    focus_kas: dict[str, list[tuple[str, int]]]
    intake_ka: str
    group_ka: str
    guarantor: PersonSpec
    admin: PersonSpec
    workers: list[PersonSpec]
    office: str
    group_place: str
    institutions: list[str]
    bailiff_city: str
    insolvency_court: str
    outputs: list[tuple[str, dt.date]]
    materials: list[tuple[str, str, dt.date, int]]


INDICATOR_NAMES = {
    "6 00 00": ("Celkový počet účastníků", "osoby"),
    "6 70 10": ("Využívání podpořených služeb", "osoby"),
    "6 70 01": ("Kapacita podpořených služeb", "místa"),
    "6 73 10": (
        "Bývalí účastníci, u nichž intervence formou sociální práce naplnila svůj účel",
        "osoby",
    ),
    "8 05 00": (
        "Počet napsaných a zveřejněných analytických a strategických dokumentů",
        "dokumenty",
    ),
}


def _indicators(participants: int, users: int, capacity: int, purpose: int, documents: int):
    values = {
        "6 00 00": (participants, None),
        "6 70 10": (users, None),
        "6 70 01": (capacity, capacity),
        "6 73 10": (purpose, None),
        "8 05 00": (documents, None),
    }
    return [(code, *INDICATOR_NAMES[code], *values[code]) for code in INDICATOR_NAMES]


VITKOV = ProjectSpec(
    org_name="Město Vítkov",
    ico="00300870",
    org_address="náměstí Jana Zajíce 7, 749 01 Vítkov",
    code="VIT",
    name="Terénní sociální práce Vítkov",
    # As the town's page types it (a local shorthand of CZ.03.2.60/0.0/0.0/16_052/0008919).
    registration_number="OPZ/2.1/052/0008919",
    start=dt.date(2018, 6, 1),
    end=dt.date(2021, 5, 31),
    extension=None,
    # 85 % EU, 10 % state budget, 5 % own sources (the municipality's seed split).
    budget=("2846250.00", "2419312.50", "284625.00", "142312.50"),
    key_activities=[
        (
            "KA 01",
            "Terénní sociální práce v oblasti zadluženosti",
            "Terénní pracovník pro lidi s dluhy a hrozícími exekucemi, ve spolupráci "
            "s ambulantní dluhovou poradnou města.",
            False,
        ),
        (
            "KA 02",
            "Terénní sociální práce v oblasti prevence ztráty bydlení",
            "Terénní pracovník pro prevenci ztráty bydlení ve spolupráci s bytovým fondem, "
            "pronajímateli, Úřadem práce a městským úřadem; koncepce bydlení města.",
            False,
        ),
    ],
    indicators=_indicators(participants=40, users=60, capacity=20, purpose=15, documents=1),
    localities=[
        ("Vítkov – Lidická", "Vítkov"),
        ("Vítkov – Nové Těchanovice", "Nové Těchanovice"),
        ("Vítkov – Klokočov", "Klokočov"),
    ],
    municipality="Vítkov",
    postcode="749 01",
    streets=["Lidická", "Opavská", "Komenského", "Husova", "Budišovská", "Nádražní", "Sadová"],
    clients=60,
    focus_shares={"debts": 0.55, "housing": 0.45},
    focus_kas={"debts": [("KA 01", 1)], "housing": [("KA 02", 1)]},
    intake_ka="",
    group_ka="KA 01",
    guarantor=PersonSpec("garant.vitkov", "Lenka", "Kubíčková"),
    admin=PersonSpec("admin.vitkov", "Jiří", "Kovář"),
    workers=[
        PersonSpec("pracovnik.dluhy.vitkov", "Tomáš", "Sedláček", "debts"),
        PersonSpec("pracovnik.bydleni.vitkov", "Petra", "Holubová", "housing"),
    ],
    office="Kancelář terénních pracovníků, Vítkov",
    group_place="Zasedací místnost městského úřadu Vítkov",
    institutions=[
        "Úřad práce, kontaktní pracoviště Vítkov",
        "Okresní soud v Opavě",
        "Městský úřad Vítkov",
        "Bytový fond města Vítkova",
        "Finanční úřad, územní pracoviště v Opavě",
    ],
    bailiff_city="Opava",
    insolvency_court="KSOS",
    outputs=[("Koncepce bydlení města Vítkova", dt.date(2021, 3, 31))],
    materials=[],
)

RALSKO = ProjectSpec(
    org_name="Město Ralsko",
    ico="00831514",
    org_address="Kuřívody 701, 471 24 Ralsko",
    code="RAL",
    name="Preventivní sociální práce v Ralsku",
    registration_number="CZ.03.2.60/0.0/0.0/16_052/0016597",
    start=dt.date(2020, 9, 1),
    end=dt.date(2022, 6, 30),
    extension=dt.date(2022, 8, 31),
    budget=("4008375.00", "3407118.75", "400837.50", "200418.75"),
    key_activities=[
        ("KA 01", "Motivace, oslovení a zapojení cílové skupiny", "", False),
        (
            "KA 02",
            "Analýza dluhové situace CS a posílení kompetencí CS v oblasti financí",
            "",
            False,
        ),
        ("KA 03", "Individuální práce s klienty", "", False),
        ("KA 04", "Preventivní práce s mládeží a setkávání mladých osob 15+", "", False),
        (
            "KA 05",
            "Zvyšování kompetencí klientů (CS) v oblasti bydlení, prevence ztráty bydlení",
            "",
            False,
        ),
        (
            "KA 06",
            "Tvorba edukačních a informačních materiálů k oblasti dluhů a prevence ztráty bydlení",
            "",
            False,
        ),
        (
            "KA 07",
            "Evaluace",
            "Srovnání stavu na začátku a na konci realizace projektu.",
            True,
        ),
    ],
    indicators=_indicators(participants=60, users=90, capacity=30, purpose=20, documents=2),
    localities=[
        ("Ralsko – Kuřívody", "Kuřívody"),
        ("Ralsko – Ploužnice", "Ploužnice"),
        ("Ralsko – Hvězdov", "Hvězdov"),
    ],
    municipality="Ralsko",
    postcode="471 24",
    streets=[],  # parts of Ralsko number houses without street names
    clients=90,
    focus_shares={"debts": 0.37, "housing": 0.35, "youth": 0.28},
    focus_kas={
        "debts": [("KA 02", 6), ("KA 03", 4)],
        "housing": [("KA 05", 65), ("KA 03", 35)],
        "youth": [("KA 04", 50), ("KA 03", 35), ("KA 01", 15)],
    },
    intake_ka="KA 01",
    group_ka="KA 04",
    guarantor=PersonSpec("garant.ralsko", "Markéta", "Dvořáková"),
    admin=PersonSpec("admin.ralsko", "Hana", "Šimková"),
    workers=[
        PersonSpec("pracovnik.dluhy.ralsko", "Martin", "Pokorný", "debts"),
        PersonSpec("pracovnik.bydleni.ralsko", "Kateřina", "Marková", "housing"),
        PersonSpec("pracovnik.mladez.ralsko", "Lukáš", "Beneš", "youth"),
    ],
    office="Kontaktní místo terénních pracovníků, Kuřívody",
    group_place="Klub mladých, Kuřívody",
    institutions=[
        "Úřad práce, kontaktní pracoviště Mimoň",
        "Okresní soud v České Lípě",
        "Městský úřad Ralsko",
        "Úřad práce Česká Lípa",
        "Finanční úřad, územní pracoviště v České Lípě",
    ],
    bailiff_city="Česká Lípa",
    insolvency_court="KSLB",
    outputs=[
        ("Metodika prevence ztráty bydlení Ralsko", dt.date(2022, 6, 30)),
        ("Závěrečná evaluační zpráva projektu", dt.date(2022, 8, 31)),
    ],
    materials=[
        ("Leták: Jak na dluhy a exekuce", "obyvatelé lokalit", dt.date(2021, 2, 15), 300),
        ("Brožura: Jak si udržet bydlení", "nájemníci města", dt.date(2021, 6, 1), 200),
        ("Leták: Milostivé léto", "dlužníci s exekucemi", dt.date(2021, 10, 20), 250),
        ("Plakát: Klub mladých 15+", "mladí lidé 15+", dt.date(2020, 10, 1), 40),
    ],
)

PROJECT_SPECS = [VITKOV, RALSKO]

# Creditors each demo organisation knows: (name, creditor type code).
CREDITORS = [
    ("Česká spořitelna, a.s.", "bank"),
    ("Komerční banka, a.s.", "bank"),
    ("Home Credit a.s.", "non_bank_lender"),
    ("Provident Financial s.r.o.", "non_bank_lender"),
    ("Cetelem ČR, a.s.", "non_bank_lender"),
    ("ČEZ Prodej, a.s.", "utilities"),
    ("innogy Energie, s.r.o.", "utilities"),
    ("T-Mobile Czech Republic a.s.", "telecom"),
    ("O2 Czech Republic a.s.", "telecom"),
    ("Vodafone Czech Republic a.s.", "telecom"),
    ("Všeobecná zdravotní pojišťovna ČR", "health_insurer"),
    ("Česká průmyslová zdravotní pojišťovna", "health_insurer"),
    ("Česká správa sociálního zabezpečení", "social_insurance"),
    ("Finanční úřad", "tax_customs"),
    ("Celní úřad", "tax_customs"),
    ("České dráhy, a.s.", "transport"),
    ("Úřad práce ČR", "labour_office"),
    ("Okresní soud – soudní poplatky", "court_fees"),
    ("Intrum Czech, s.r.o.", "collection_agency"),
    ("Soukromý věřitel", "private_person"),
    ("Výživné – oprávněná osoba", "maintenance"),
    ("Pronajímatel bytu", "landlord"),
]
CREDITOR_WEIGHTS = {
    "bank": 5,
    "non_bank_lender": 12,
    "utilities": 9,
    "telecom": 10,
    "health_insurer": 10,
    "social_insurance": 3,
    "tax_customs": 2,
    "municipality": 8,
    "transport": 6,
    "labour_office": 3,
    "court_fees": 2,
    "collection_agency": 6,
    "private_person": 1,
    "maintenance": 2,
    "landlord": 4,
}

LANDLORDS = {
    "VIT": [
        ("Bytový fond města Vítkova", LandlordKind.TOWN),
        ("RESIDOMO, s.r.o.", LandlordKind.PRIVATE),
        ("Soukromý pronajímatel", LandlordKind.PRIVATE),
        ("Ubytovna Lidická", LandlordKind.HOSTEL),
    ],
    "RAL": [
        ("Město Ralsko – správa bytového fondu", LandlordKind.TOWN),
        ("Soukromý pronajímatel", LandlordKind.PRIVATE),
        ("Ubytovna Hvězdov", LandlordKind.HOSTEL),
    ],
}

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
GOALS = {
    "debts": [
        "Chci vědět, komu a kolik dlužím.",
        "Chci zastavit exekuce, které už nejsou oprávněné.",
        "Chci podat návrh na oddlužení.",
        "Chci si domluvit splátky, které zvládnu platit.",
        "Chci mít přehled o penězích a vyjít do konce měsíce.",
    ],
    "housing": [
        "Chci zůstat v bytě a splatit dluh na nájmu.",
        "Chci najít bydlení pro sebe a děti.",
        "Chci dostat příspěvek na bydlení.",
        "Chci se přestěhovat z ubytovny do bytu.",
        "Chci platit nájem včas každý měsíc.",
    ],
    "youth": [
        "Chci dodělat školu.",
        "Chci si najít brigádu.",
        "Chci mít vlastní peníze a nepůjčovat si.",
        "Chci vědět, co dělat po škole.",
    ],
    "general": [
        "Chci si najít práci.",
        "Chci mít vyřízené doklady.",
        "Chci se lépe domluvit s úřady.",
    ],
}
TASKS_OPEN = [
    ("Zkontrolovat doručení rozhodnutí o dávce", Task.Kind.TASK),
    ("Lhůta: odpor proti platebnímu rozkazu (15 dní)", Task.Kind.DEADLINE),
    ("Lhůta: odvolání proti rozhodnutí úřadu práce (15 dní)", Task.Kind.DEADLINE),
    ("Lhůta: žaloba na přezkum výpovědi z nájmu (2 měsíce)", Task.Kind.DEADLINE),
    ("Doložit potvrzení o příjmu na úřad práce", Task.Kind.TASK),
    ("Revize individuálního plánu", Task.Kind.TASK),
    ("Domluvit splátkový kalendář s pronajímatelem", Task.Kind.TASK),
    ("Objednat výpis z centrální evidence exekucí", Task.Kind.TASK),
    ("Kontrola plateb nájemného za minulý měsíc", Task.Kind.TASK),
]
LABOUR = [
    ("TPDNEZ", 33),
    ("TNKNEZ", 15),
    ("TPZAMCI", 13),
    ("TPINV", 8),
    ("TPSTD", 5),
    ("TPRODI", 9),
    ("TPNEAKO", 12),
    ("TPOSVC", 2),
    ("TPMATZ", 3),
]
EDUCATION = [("VZ0", 10), ("VZISCED1-2", 55), ("VZISCED3-4", 30), ("VZISCED5-8", 2), ("VZJN", 3)]
DISADVANTAGES = [("ZNMIG", 45), ("ZNZP", 12), ("SPOZ", 9), ("SPPVT", 6), ("SPZSV", 15)]
MALE, FEMALE = "POHMUZI", "POHZENY"


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


def _daterange(start: dt.date, end: dt.date) -> Iterable[dt.date]:
    day = start
    while day <= end:
        yield day
        day += ONE_DAY


def _aware(day: dt.date, hour: int = 12) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=dt.UTC)


def _copy_text(value) -> str:
    """One value in PostgreSQL's COPY text format."""
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, str):
        return (
            value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "")
        )
    return str(value)


def _reserve_ids(model: type[models.Model], count: int) -> list[int]:
    """Take ``count`` ids from the table's sequence, so rows can be copied with their ids."""
    if not count:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [model._meta.db_table, count],
        )
        return [row[0] for row in cursor.fetchall()]


def _copy_rows(table: str, columns: Sequence[str], rows: Iterable[Sequence]) -> int:
    """Write rows with COPY (much faster than INSERT for hundreds of thousands of rows).

    Columns left out get their database default, so every column without one must be listed.
    """
    count = 0
    buffer = io.StringIO()
    statement = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
    with connection.cursor() as cursor, cursor.copy(statement) as copy:
        for row in rows:
            buffer.write("\t".join(map(_copy_text, row)))
            buffer.write("\n")
            count += 1
            if count % 20000 == 0:
                copy.write(buffer.getvalue())
                buffer = io.StringIO()
        copy.write(buffer.getvalue())
    return count


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


# --- Projects, people and reference rows (idempotent) -------------------------------------------


class DemoSeeder:
    """Creates the demo data; see ``seed_demo``."""

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

    # Reference data --------------------------------------------------------------------------

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

    def ensure_projects(self) -> None:
        """Organisations, projects and everything the grant decision fixes, plus the users."""
        for spec in PROJECT_SPECS:
            organisation, _ = Organisation.objects.get_or_create(
                ico=spec.ico, defaults={"name": spec.org_name, "address": spec.org_address}
            )
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

    # Clients and households -----------------------------------------------------------------

    def _workdays(self, start: dt.date, end: dt.date) -> list[dt.date]:
        return [
            day
            for day in _daterange(start, end)
            if day.weekday() < 5 and day not in self.czech_holidays
        ]

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

    # Plans, tasks ---------------------------------------------------------------------------

    def _persist_plans(self) -> None:
        rng = self.rng
        plans, goal_rows = [], []
        for run in self.runs:
            for client in run.clients:
                window = (client.last_day - client.entry).days
                if window < 45 or rng.random() > (0.85 if client.engagement != "short" else 0.4):
                    continue
                created = client.entry + dt.timedelta(days=rng.randint(7, 30))
                worker = client.assignments[0][0].user
                closed = client.exit is not None
                plan = IndividualPlan(
                    client=client.obj,
                    project=run.project,
                    status=PlanStatus.CLOSED if closed else PlanStatus.ACTIVE,
                    created_on=created,
                    # Open plans come up for review around today, so the review list has rows.
                    review_due=(
                        created + dt.timedelta(days=90)
                        if closed
                        else self.today + dt.timedelta(days=rng.randint(-20, 60))
                    ),
                    created_by=worker,
                    evaluation=(
                        "Cíle plánu byly naplněny, spolupráce ukončena po dohodě."
                        if client.exit_reason == ExitReason.GOALS_MET
                        else ("Spolupráce ukončena, cíle naplněny jen zčásti." if closed else "")
                    ),
                )
                if rng.random() < 0.65:
                    plan.signed_by = run.guarantor
                    plan.signed_at = _aware(created + dt.timedelta(days=rng.randint(1, 12)), 10)
                plans.append(plan)
                client.plan_from = created
                texts = GOALS[client.focus] + (GOALS["general"] if rng.random() < 0.3 else [])
                for order, text in enumerate(rng.sample(texts, rng.randint(1, min(3, len(texts))))):
                    status, achieved = GoalStatus.OPEN, None
                    if client.exit_reason == ExitReason.GOALS_MET:
                        status, achieved = GoalStatus.ACHIEVED, client.exit
                    elif closed:
                        status = _pick(
                            rng,
                            [
                                (GoalStatus.PARTLY, 40),
                                (GoalStatus.NOT_ACHIEVED, 30),
                                (GoalStatus.DROPPED, 30),
                            ],
                        )
                    elif rng.random() < 0.25:
                        status = GoalStatus.ACHIEVED
                        achieved = min(
                            client.last_day, created + dt.timedelta(days=rng.randint(30, 200))
                        )
                    goal_rows.append(
                        (
                            client,
                            PlanGoal(
                                plan=plan,
                                goal=text,
                                steps="Sepsat podklady, domluvit schůzku, doprovod na úřad.",
                                responsible="Klient: doloží doklady. Pracovník: doprovod.",
                                target_date=created + dt.timedelta(days=rng.choice([60, 90, 180])),
                                status=status,
                                achieved_on=achieved,
                                order=order,
                            ),
                        )
                    )
        IndividualPlan.objects.bulk_create(plans, batch_size=BATCH)
        goals = [goal for _, goal in goal_rows]
        PlanGoal.objects.bulk_create(goals, batch_size=BATCH)
        for client, goal in goal_rows:
            client.goal_ids.append(goal.pk)
        self.counts["plans"] = len(plans)
        self.counts["plan goals"] = len(goals)

    def _persist_tasks(self) -> None:
        """Done tasks in the project's past, and open ones around today for the home pages."""
        rng = self.rng
        tasks = []
        now = timezone.now()
        for run in self.runs:
            for client in run.clients:
                if client.plan_from is None:
                    continue
                worker = client.assignments[0][0].user
                for _ in range(rng.randint(1, 3)):
                    due = client.entry + dt.timedelta(
                        days=rng.randint(5, max(6, (client.last_day - client.entry).days))
                    )
                    title, kind = rng.choice(TASKS_OPEN)
                    tasks.append(
                        Task(
                            title=title,
                            kind=kind,
                            due_date=due,
                            owner=worker,
                            client=client.obj,
                            project=run.project,
                            done_at=_aware(due - dt.timedelta(days=rng.randint(0, 4)), 14),
                            created_by=worker,
                        )
                    )
            for worker in run.workers:
                current = [
                    c for c in run.clients if c.exit is None and c.assignments[-1][0] is worker
                ]
                if not current:
                    continue
                offsets = [
                    -rng.randint(1, 12),
                    -rng.randint(1, 5),
                    0,
                    rng.randint(1, 5),
                    rng.randint(3, 14),
                    rng.randint(15, 45),
                ]
                for offset in offsets:
                    title, kind = rng.choice(TASKS_OPEN)
                    tasks.append(
                        Task(
                            title=title,
                            kind=kind,
                            due_date=self.today + dt.timedelta(days=offset),
                            owner=worker.user,
                            client=rng.choice(current).obj,
                            project=run.project,
                            note="",
                            created_by=worker.user,
                        )
                    )
                # A done task from this week, so the list shows both states.
                tasks.append(
                    Task(
                        title="Předat podklady dluhové poradně",
                        due_date=self.today - dt.timedelta(days=2),
                        owner=worker.user,
                        client=rng.choice(current).obj,
                        project=run.project,
                        done_at=now - dt.timedelta(days=2),
                        created_by=worker.user,
                    )
                )
        Task.objects.bulk_create(tasks, batch_size=BATCH)
        self.counts["tasks"] = len(tasks)

    # Interventions ------------------------------------------------------------------------------

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

    # Debts ------------------------------------------------------------------------------------

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

    # Housing ---------------------------------------------------------------------------------

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

    # The whole run -----------------------------------------------------------------------------

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
    return SeedResult(created=True, logins=seeder.logins, counts=dict(seeder.counts))
