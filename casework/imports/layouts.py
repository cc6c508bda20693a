"""The column layout of each kind of import (docs/import.md describes the same).

Headers are Czech, as a team writes them; they are part of the file format, not of the user
interface, so they are not translated. Matching ignores case and repeated spaces.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    header: str
    required: bool = False


# Clients with their household and their enrolment in the project (one row per client).
CLIENT_CODE = "Kód klienta"
FIRST_NAME = "Jméno"
LAST_NAME = "Příjmení"
TITLE_BEFORE = "Titul před"
TITLE_AFTER = "Titul za"
BIRTH_DATE = "Datum narození"
BIRTH_YEAR = "Rok narození"
BIRTH_NUMBER = "Rodné číslo"
GENDER = "Pohlaví"
PHONE = "Telefon"
EMAIL = "E-mail"
STREET = "Ulice"
HOUSE_NUMBER = "Číslo popisné"
ORIENTATION_NUMBER = "Číslo orientační"
MUNICIPALITY = "Obec"
MUNICIPALITY_PART = "Část obce"
POSTCODE = "PSČ"
LOCALITY = "Lokalita"
HOUSEHOLD = "Domácnost"
RELATIONSHIP = "Vztah v domácnosti"
KEY_WORKER = "Klíčový pracovník"
ENTRY_DATE = "Datum vstupu"
EXIT_DATE = "Datum výstupu"
EXIT_REASON = "Důvod ukončení"
LABOUR_STATUS = "Postavení na trhu práce"
EDUCATION = "Vzdělání"
DISADVANTAGE = "Znevýhodnění"
EXIT_LABOUR_STATUS = "Postavení při výstupu"
EXIT_SITUATIONS = "Situace po výstupu"
NOTES = "Poznámka"

CLIENT_COLUMNS = [
    Column(CLIENT_CODE, required=True),
    Column(FIRST_NAME, required=True),
    Column(LAST_NAME, required=True),
    Column(TITLE_BEFORE),
    Column(TITLE_AFTER),
    Column(BIRTH_DATE),
    Column(BIRTH_YEAR),
    Column(BIRTH_NUMBER),
    Column(GENDER),
    Column(PHONE),
    Column(EMAIL),
    Column(STREET),
    Column(HOUSE_NUMBER),
    Column(ORIENTATION_NUMBER),
    Column(MUNICIPALITY),
    Column(MUNICIPALITY_PART),
    Column(POSTCODE),
    Column(LOCALITY),
    Column(HOUSEHOLD),
    Column(RELATIONSHIP),
    Column(KEY_WORKER),
    Column(ENTRY_DATE, required=True),
    Column(EXIT_DATE),
    Column(EXIT_REASON),
    Column(LABOUR_STATUS),
    Column(EDUCATION),
    Column(DISADVANTAGE),
    Column(EXIT_LABOUR_STATUS),
    Column(EXIT_SITUATIONS),
    Column(NOTES),
]

# Interventions (one row per intervention; a group session lists several client codes).
DATE = "Datum"
START_TIME = "Čas zahájení"
DURATION = "Délka (min)"
KEY_ACTIVITY = "Klíčová aktivita"
DELIVERY_MODE = "Forma"
INTERVENTION_TYPE = "Typ"
CLIENT_CODES = "Kód klienta"
WORKERS = "Pracovníci"
PLACE = "Místo"
TOPICS = "Témata"
IS_GROUP = "Skupinová"
ANONYMOUS_COUNT = "Anonymních účastníků"
IS_ONE_OFF = "Jednorázová"
RECORD = "Záznam"

INTERVENTION_COLUMNS = [
    Column(DATE, required=True),
    Column(START_TIME),
    Column(DURATION, required=True),
    Column(KEY_ACTIVITY, required=True),
    Column(DELIVERY_MODE, required=True),
    Column(INTERVENTION_TYPE),
    Column(CLIENT_CODES),
    Column(WORKERS, required=True),
    Column(PLACE),
    Column(TOPICS),
    Column(IS_GROUP),
    Column(ANONYMOUS_COUNT),
    Column(IS_ONE_OFF),
    Column(RECORD),
]

# Debts (one row per debt of a client in the project's debt register).
CREDITOR = "Věřitel"
CREDITOR_TYPE = "Typ věřitele"
CREDITOR_ICO = "IČO věřitele"
DEBT_KIND = "Druh"
BAILIFF_OFFICE = "Exekutor nebo úřad"
CASE_REFERENCE = "Spisová značka"
PRINCIPAL = "Jistina"
INTEREST = "Příslušenství"
COSTS = "Náklady"
MONTHLY_INSTALMENT = "Měsíční splátka"
STATUS = "Stav"
STATUS_SINCE = "Stav od"
SOURCE = "Zdroj"
ORIGINATED_ON = "Vznik"
IS_PUBLIC_LAW = "Veřejnoprávní"

DEBT_COLUMNS = [
    Column(CLIENT_CODE, required=True),
    Column(CREDITOR, required=True),
    Column(CREDITOR_TYPE),
    Column(CREDITOR_ICO),
    Column(DEBT_KIND, required=True),
    Column(BAILIFF_OFFICE),
    Column(CASE_REFERENCE),
    Column(PRINCIPAL, required=True),
    Column(INTEREST),
    Column(COSTS),
    Column(MONTHLY_INSTALMENT),
    Column(STATUS),
    Column(STATUS_SINCE, required=True),
    Column(SOURCE, required=True),
    Column(ORIGINATED_ON),
    Column(IS_PUBLIC_LAW),
]

# Sheet titles of the exported workbooks.
SHEET_TITLES = {"clients": "Klienti", "interventions": "Intervence", "debts": "Dluhy"}
