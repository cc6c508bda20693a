"""Exports for the funder's participant system IS ESF 21+ (DOMAIN.md §3), and what blocks them.

Two CSV files, laid out exactly as the funder's import expects: UTF-8 with BOM, ``;``, CRLF,
dates ``d.m.yyyy`` without leading zeros, hours with one decimal and a decimal comma, several
codes joined by ``|``.

- **persons**: one row per person with valid support in the period (32 columns);
- **supports**: one row per person × specification × period: the first ten identity and
  address columns, then the specification ``7.1`` (social work), hours in person and
  electronic, price, from, until and a note.

Both come from two queries whatever the number of persons: the period's valid support summed
per client (split by the delivery mode's ``is_electronic``) and the enrolments with their
identity, address and monitoring codes. A person who cannot be exported yet (incomplete entry
data, an identity the funder's system would merge with another person, no exit date in the
final report) is left out of both files and listed by ``export_blockers`` with the reasons.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import F, OuterRef, Q, Sum
from django.utils.translation import gettext as _

from casework.audit.sensitive import (
    ExportPurpose,
    export_permission,
    exportable_disadvantage_codes,
    special_category_codes,
)
from casework.exports import safe_cell
from casework.models import InterventionParticipant, Project, ReportingPeriod
from clients.models import Client, Enrolment
from clients.queries import ENTRY_FIELD_LABELS
from reports.queries import enrolments_at, missing_entry_fields_sql
from reports.spreadsheets import csv_bytes

# "Využití sociální práce": the specification of support for social work.
SOCIAL_WORK_SPECIFICATION = "7.1"
CODE_SEPARATOR = "|"

IDENTITY_COLUMNS = (
    "Jmeno_Osoby",
    "Prijmeni_Osoby",
    "DatumNarozeni_Osoby",
    "Obec_TrvaleBydlisteOsoby",
    "CastObce_TrvaleBydlisteOsoby",
    "Ulice_TrvaleBydlisteOsoby",
    "CisloPopisne_TrvaleBydlisteOsoby",
    "CisloOrientacni_TrvaleBydlisteOsoby",
    "ZnakCislaOrientacniho_TrvaleBydlisteOsoby",
    "PSC_TrvaleBydlisteOsoby",
)

PERSON_COLUMNS = (
    *IDENTITY_COLUMNS,
    "TitulPredJmenem_Osoby",
    "TitulZaJmenem_Osoby",
    "DatumVystupuZProjektu_Osoby",
    "DatumUmrti_Osoby",
    "Email_KontaktOsoby",
    "Telefon_KontaktOsoby",
    "VstupuDoProjektu_Osoby",
    "PodlePohlavi",
    "PodlePostaveniNaTrhuPrace_MonitorovaciList",
    "PodlePostaveniOsobyVProjektu_MonitorovaciList",
    "PodleNejvyssihoDosazenehoVzdelani_MonitorovaciList",
    "PodlePristupuKBydleni_MonitorovaciList",
    "PodleAktivityVSektoruEkonomiky_MonitorovaciList",
    "PodleSpecifikacePusobeniVeVerejnemSektoru_MonitorovaciList",
    "PodleTypuZnevyhodneni_MonitorovaciList",
    "PodleOsobSdilejicichStejnouDomacnost_MonitorovaciList",
    "PodleDruhuObdrzenePodpory_MonitorovaciList",
    "PodlePostaveniDaneOsoby_MonitorovaciList",
    "PodleVysledkuUcasti_MonitorovaciList",
    "PodleSituacePoUkonceniUcastiVProjektu_MonitorovaciList",
    "ProhlaseniPodporeneOsobyOUzemniZpusobilosti_MonitorovaciList",
    "Partner",
)

SUPPORT_COLUMNS = (
    *IDENTITY_COLUMNS,
    "KodSpecifikace",
    "RozsahPodporyPrezencne",
    "RozsahPodporyElektronicky",
    "CenaPodpory",
    "DatumOd",
    "DatumDo",
    "Poznamka",
)

# A phone number as people type it ("+420 777 123 456"): no formula can hide in it, and the
# funder's system needs it as typed, so it is the one text cell written without the ' guard.
PHONE_NUMBER = re.compile(r"\+?[0-9 ]+")
# "12a": the orientation number and its letter go to two columns.
ORIENTATION_NUMBER = re.compile(r"\s*(\d+)\s*([A-Za-z]?)\s*")


def format_date(value: dt.date | None) -> str:
    """``d.m.yyyy`` without leading zeros: 5 Jan 1980 → ``5.1.1980``."""
    return f"{value.day}.{value.month}.{value.year}" if value else ""


def format_hours(minutes: int) -> str:
    """Minutes as hours with one decimal place and a decimal comma: 100 → ``1,7``."""
    hours = (Decimal(minutes) / 60).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return str(hours).replace(".", ",")


def split_orientation_number(value: str) -> tuple[str, str]:
    """``"12a"`` → ``("12", "a")``; anything else stays whole in the number column."""
    match = ORIENTATION_NUMBER.fullmatch(value or "")
    if match:
        return match.group(1), match.group(2)
    return (value or "").strip(), ""


def isesf_cell(value) -> str:
    text = "" if value is None else str(value)
    if PHONE_NUMBER.fullmatch(text):
        return text
    return safe_cell(text)


def isesf_csv(header: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    """The funder's CSV: UTF-8 with BOM, ``;``, CRLF; text cells guarded against formulas.

    Every value is already a string in the funder's format. Dates, hours and codes never
    start like a formula (no negative numbers occur in these files), so the guard only ever
    touches free text a person typed (names, streets).
    """
    return csv_bytes(header, rows, cell=isesf_cell)


# --- The data -----------------------------------------------------------------------------------


@dataclass
class ExportPerson:
    """One enrolment with valid support in the period, as the funder's files need it."""

    enrolment: Enrolment
    in_person_minutes: int
    electronic_minutes: int
    disadvantage_codes: list[str]
    exit_situation_codes: list[str]
    missing_fields: list[str]
    blockers: list[str] = field(default_factory=list)

    @property
    def client(self) -> Client:
        return self.enrolment.client


def period_support_minutes(
    project: Project, period_start: dt.date, period_end: dt.date
) -> dict[int, tuple[int, int]]:
    """Valid support in the period per client: ``{client_id: (in person, electronic)}``.

    Valid as DOMAIN.md §2 says: the project's interventions with the client identified, dated
    within the period and within the client's entry and exit dates. One grouped query over
    the project's interventions in the period (``intervention_project_date_idx``).
    """
    rows = (
        InterventionParticipant.objects.filter(
            Q(client__enrolments__project=project)
            & Q(intervention__date__gte=F("client__enrolments__entry_date"))
            & (
                Q(client__enrolments__exit_date__isnull=True)
                | Q(intervention__date__lte=F("client__enrolments__exit_date"))
            ),
            intervention__project=project,
            intervention__date__gte=period_start,
            intervention__date__lte=period_end,
        )
        .order_by()
        .values("client")
        .annotate(
            in_person=Sum(
                "intervention__duration_minutes",
                filter=Q(intervention__delivery_mode__is_electronic=False),
                default=0,
            ),
            electronic=Sum(
                "intervention__duration_minutes",
                filter=Q(intervention__delivery_mode__is_electronic=True),
                default=0,
            ),
        )
    )
    return {row["client"]: (row["in_person"], row["electronic"]) for row in rows}


def _codes(relation) -> ArraySubquery:
    through = relation.through
    return ArraySubquery(
        through.objects.filter(enrolment=OuterRef("pk"))
        .order_by("monitoringcode__code")
        .values("monitoringcode__code")
    )


def _is_final_period(project: Project, period_end: dt.date) -> bool:
    return ReportingPeriod.objects.filter(
        project=project, end_date=period_end, is_final=True
    ).exists()


def export_persons(
    project: Project,
    period_start: dt.date,
    period_end: dt.date,
    *,
    participants_only: bool = False,
) -> list[ExportPerson]:
    """Everyone with valid support in the period, exportable or not (see ``blockers``).

    Ordered by surname, first name and date of birth. ``participants_only`` keeps the persons
    who are participants (DOMAIN.md §2) at the period end. Three queries: the support sums,
    the enrolments, the final-period check.
    """
    minutes = period_support_minutes(project, period_start, period_end)
    if participants_only:
        enrolments = enrolments_at(project, period_end=period_end).filter(is_participant=True)
    else:
        enrolments = Enrolment.objects.filter(project=project, entry_date__lte=period_end)
    enrolments = (
        enrolments.filter(Q(exit_date__isnull=True) | Q(exit_date__gte=period_start))
        .select_related("client__gender", "labour_status", "education")
        .annotate(
            disadvantage_codes=_codes(Enrolment.disadvantages),
            exit_situation_codes=_codes(Enrolment.exit_situations),
            missing_fields=missing_entry_fields_sql(),
        )
        .order_by("client__last_name", "client__first_name", "client__birth_date", "client_id")
    )
    persons = []
    for enrolment in enrolments:
        in_person, electronic = minutes.get(enrolment.client_id, (0, 0))
        if in_person + electronic == 0:
            continue
        persons.append(
            ExportPerson(
                enrolment=enrolment,
                in_person_minutes=in_person,
                electronic_minutes=electronic,
                disadvantage_codes=enrolment.disadvantage_codes,
                exit_situation_codes=enrolment.exit_situation_codes,
                missing_fields=enrolment.missing_fields,
            )
        )
    _add_blockers(persons, final=_is_final_period(project, period_end))
    return persons


def _identity(client: Client) -> tuple:
    """How IS ESF 21+ matches persons: name, surname and date of birth (no birth number)."""
    return (
        client.first_name.strip().casefold(),
        client.last_name.strip().casefold(),
        client.birth_date,
    )


def _add_blockers(persons: list[ExportPerson], *, final: bool) -> None:
    identities = Counter(_identity(p.client) for p in persons if p.client.birth_date)
    codes_by_identity: dict[tuple, list[str]] = {}
    for person in persons:
        codes_by_identity.setdefault(_identity(person.client), []).append(person.client.code)
    for person in persons:
        client = person.client
        for name in person.missing_fields:
            if name == "birth_date" and client.birth_year:
                person.blockers.append(
                    _("only the year of birth is known (%(year)s)") % {"year": client.birth_year}
                )
            else:
                person.blockers.append(
                    _("missing entry data: %(field)s") % {"field": ENTRY_FIELD_LABELS[name]}
                )
        postcode = client.postcode.replace(" ", "")
        if postcode and not (postcode.isdigit() and len(postcode) == 5):
            person.blockers.append(_("the postcode does not have 5 digits"))
        if client.birth_date and identities[_identity(client)] > 1:
            others = [c for c in codes_by_identity[_identity(client)] if c != client.code]
            person.blockers.append(
                _(
                    "same name and date of birth as %(codes)s: the funder's system would "
                    "merge them into one person"
                )
                % {"codes": ", ".join(others)}
            )
        if final and person.enrolment.exit_date is None:
            person.blockers.append(_("no exit date, which the final report requires"))


def export_blockers(
    project: Project, period_start: dt.date, period_end: dt.date
) -> list[tuple[Client, list[str]]]:
    """Persons with valid support in the period who cannot be exported yet, and why.

    Rows of (client, reasons), in the order of the export; the reasons are translated
    sentences (a missing entry field, an identity shared with another person, no exit date
    in the final report). Three queries.
    """
    return [
        (person.client, person.blockers)
        for person in export_persons(project, period_start, period_end)
        if person.blockers
    ]


# --- The two files ------------------------------------------------------------------------------


def _identity_cells(client: Client) -> list[str]:
    orientation, letter = split_orientation_number(client.orientation_number)
    return [
        client.first_name.strip(),
        client.last_name.strip(),
        format_date(client.birth_date),
        client.municipality.strip(),
        client.municipality_part.strip(),
        client.street.strip(),
        client.house_number.strip(),
        orientation,
        letter,
        client.postcode.replace(" ", ""),
    ]


def _code(code) -> str:
    return code.code if code is not None else ""


def person_row(person: ExportPerson, period_end: dt.date) -> list[str]:
    enrolment = person.enrolment
    client = person.client
    exited = enrolment.exit_date is not None and enrolment.exit_date <= period_end
    return [
        *_identity_cells(client),
        client.title_before.strip(),
        client.title_after.strip(),
        format_date(enrolment.exit_date) if exited else "",
        "",  # date of death: not recorded
        client.email.strip(),
        client.phone.strip(),
        format_date(enrolment.entry_date),
        _code(client.gender),
        _code(enrolment.labour_status),
        "",
        _code(enrolment.education),
        "",
        "",
        "",
        CODE_SEPARATOR.join(person.disadvantage_codes),
        "",
        "",
        "",
        "",
        CODE_SEPARATOR.join(person.exit_situation_codes) if exited else "",
        "",
        "",
    ]


def support_row(person: ExportPerson, period_start: dt.date, period_end: dt.date) -> list[str]:
    entry = person.enrolment.entry_date
    return [
        *_identity_cells(person.client),
        SOCIAL_WORK_SPECIFICATION,
        format_hours(person.in_person_minutes),
        format_hours(person.electronic_minutes),
        "",
        # The person's first period starts at their entry, later ones at the period start.
        format_date(entry if entry >= period_start else period_start),
        format_date(period_end),
        "",
    ]


def persons_csv(
    project: Project,
    period_start: dt.date,
    period_end: dt.date,
    *,
    produced_by=None,
    **options,
) -> bytes:
    """The persons file. Special-category codes (ZNZP, ZNMIG…) are in it only when
    ``produced_by`` may submit them (``casework.audit.sensitive``: the organisation's
    administrators); made by anyone else, or by nobody named, they are left out."""
    persons = export_persons(project, period_start, period_end, **options)
    purpose = ExportPurpose.FUNDER_SUBMISSION
    permission = export_permission(
        purpose, user=produced_by, organisation_id=project.organisation_id
    )
    special = special_category_codes()

    def exportable(person: ExportPerson) -> ExportPerson:
        def keep(codes):
            return exportable_disadvantage_codes(
                codes,
                purpose=purpose,
                permission=permission,
                client_id=person.enrolment.client_id,
                special=special,
            )

        return replace(
            person,
            disadvantage_codes=keep(person.disadvantage_codes),
            exit_situation_codes=keep(person.exit_situation_codes),
        )

    rows = [person_row(exportable(p), period_end) for p in persons if not p.blockers]
    return isesf_csv(PERSON_COLUMNS, rows)


def supports_csv(project: Project, period_start: dt.date, period_end: dt.date, **options) -> bytes:
    persons = export_persons(project, period_start, period_end, **options)
    rows = [support_row(p, period_start, period_end) for p in persons if not p.blockers]
    return isesf_csv(SUPPORT_COLUMNS, rows)
