"""What the two seed projects are: people, projects, budgets, and the fixed code vocabularies.

Pure data, no database access: the organisations, projects, key activities, indicators,
users and reference lists (creditors, landlords, plan goals, tasks, monitoring answers)
that the generator draws from, plus the constants every step shares.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from clients.models import Task
from housing.models import LandlordKind

DEMO_PASSWORD = "casework-demo"  # noqa: S105 - printed for the demo on purpose
SEED = 20180601
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


# --- Plans, tasks and entry monitoring answers ---------------------------------------------------

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
