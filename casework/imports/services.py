"""Importing a team's spreadsheets into a project, and exporting them in the same layout.

One engine serves the screen and the ``import_xlsx`` command:

- ``check_file`` reads the file, plans every row against the database and records an
  ``ImportRun`` with the dry run: what would be created or changed, and every bad row with its
  row number, column and reason. Nothing else is written.
- ``confirm_run`` plans the kept file again (the database may have changed since the dry run)
  and, when no row is bad, applies the whole plan in one transaction: all rows or none.

Rows are matched by natural keys, so importing the same file twice changes nothing: clients by
their code in the organisation; interventions by date, start time, duration, key activity,
clients and workers; debts by client, creditor, kind and case reference. Writes go through
the services of the apps (``clients.services``, ``casework.services``, ``debts.services``),
so the rules stay in one place.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import logging
import re
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from casework.audit.events import record_access
from casework.audit.models import AccessAction
from casework.imports import cells
from casework.imports import layouts as L
from casework.imports.models import ImportKind, ImportRun, ImportStatus
from casework.models import (
    DeliveryMode,
    Intervention,
    InterventionParticipant,
    InterventionType,
    KeyActivity,
    Locality,
    Membership,
    Project,
    Topic,
)
from casework.roles import Role
from casework.services import _set_people, validate_intervention
from casework.validators import normalise_birth_number, validate_birth_number
from clients.models import (
    CaseAssignment,
    Client,
    DisadvantageAnswer,
    Enrolment,
    ExitReason,
    Household,
    HouseholdMember,
    MonitoringCode,
    MonitoringCodeKind,
    Relationship,
)
from clients.services import _save_household, _save_members, reassign_client, set_enrolment
from clients.services import update_client as update_client_service
from debts.models import (
    Creditor,
    CreditorType,
    Debt,
    DebtCase,
    DebtKind,
    DebtStatus,
    InformationSource,
)
from debts.services import change_debt_status, create_debt, open_debt_case, update_debt

logger = logging.getLogger(__name__)

# --- Messages (the tests import them) ---------------------------------------------------------

MISSING_COLUMN = _("The column “%(column)s” is missing.")
MISSING_VALUE = _("A value is required.")
UNKNOWN_KEY_ACTIVITY = _("The project has no key activity “%(value)s”.")
UNKNOWN_CODE = _("“%(value)s” is not in the list of allowed values.")
UNKNOWN_CLIENT = _("No client of the organisation has the code “%(value)s”.")
UNKNOWN_WORKER = _("“%(value)s” is not a field worker of this project.")
UNKNOWN_LOCALITY = _("The organisation has no locality “%(value)s”.")
DUPLICATE_IN_FILE = _("The same %(what)s is already on row %(row)s.")
DIFFERENT_IDENTITY = _(
    "Client %(code)s is already registered as %(name)s, born %(birth)s; the row describes "
    "someone else. Check the code."
)
ALREADY_REGISTERED = _("This person is already registered as client %(code)s.")
BAD_BIRTH_NUMBER = _("“%(value)s” is not a valid birth number.")
NEGATIVE_DURATION = _("The duration must be a positive number of minutes.")
NEGATIVE_AMOUNT = _("An amount cannot be negative.")
OUTSIDE_PROJECT = _("%(date)s lies outside the project (%(start)s – %(end)s).")
NOT_ENROLLED = _("Client %(code)s is not enrolled in this project.")
NEW_CREDITOR_NEEDS_TYPE = _("A new creditor needs its type (a code such as “bank”).")
STATUS_BEFORE_CURRENT = _("The debt's status changed last on %(date)s; enter a later date.")
FILE_CHANGED = _("The kept file does not match the one that was checked. Upload it again.")
RUN_NOT_PENDING = _("This import has already been finished.")
HAS_ERRORS = _("The file has %(count)s bad rows; nothing was imported.")

KIND_LABEL = {"clients": _("client"), "interventions": _("intervention"), "debts": _("debt")}

DISADVANTAGE_NONE = "žádné"
DISADVANTAGE_DECLINED = "odmítl"
DISADVANTAGE_WORDS = {
    "žádné": DisadvantageAnswer.NONE,
    "zadne": DisadvantageAnswer.NONE,
    "none": DisadvantageAnswer.NONE,
    "odmítl": DisadvantageAnswer.DECLINED,
    "odmítla": DisadvantageAnswer.DECLINED,
    "odmitl": DisadvantageAnswer.DECLINED,
    "declined": DisadvantageAnswer.DECLINED,
}


# --- The plan ---------------------------------------------------------------------------------


@dataclass
class RowError:
    row: int
    column: str
    message: str


@dataclass
class Change:
    row: int
    action: str  # "create", "update" or "unchanged"
    label: str
    fields: list[str]
    apply: Callable[[Context], None] | None = None


@dataclass
class Plan:
    kind: str
    changes: list[Change] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    def count(self, action: str) -> int:
        return sum(1 for change in self.changes if change.action == action)

    def summary(self) -> dict:
        return {
            "rows": len(self.changes),
            "create": self.count("create"),
            "update": self.count("update"),
            "unchanged": self.count("unchanged"),
            "changes": [
                {"row": c.row, "action": c.action, "label": c.label, "fields": c.fields}
                for c in self.changes
                if c.action != "unchanged"
            ],
            "errors": [
                {"row": e.row, "column": e.column, "message": e.message} for e in self.errors
            ],
        }


@dataclass
class Context:
    """What the writes of one import share: the user, the project, households made so far."""

    project: Project
    by: object
    households: dict[str, Household] = field(default_factory=dict)

    def household(self, name: str) -> Household | None:
        if not name:
            return None
        key = name.casefold()
        if key not in self.households:
            self.households[key] = Household.objects.filter(
                organisation=self.project.organisation_id, name__iexact=name
            ).order_by("pk").first() or Household(name=name)
        return self.households[key]


class RowReader:
    """The cells of one row, read with a parser; a bad cell becomes a ``RowError``."""

    def __init__(self, number: int, raw: dict, headers: dict[str, str], errors: list[RowError]):
        self.number = number
        self.raw = raw
        self.headers = headers  # normalised header → header as written in the file
        self.errors = errors
        self.bad = False

    def error(self, column: str, message) -> None:
        self.bad = True
        self.errors.append(RowError(self.number, column, str(message)))

    def get(self, column: str, parser=cells.text, *, required: bool = False):
        raw = self.raw.get(self.headers.get(cells.normalise_header(column), ""))
        if required and cells.is_blank(raw):
            self.error(column, MISSING_VALUE)
            return None
        try:
            return parser(raw)
        except cells.CellError as error:
            self.error(column, error)
            return None


def _choice_lookup(choices) -> dict[str, str]:
    """Values of a ``TextChoices`` by their code and by their Czech and English labels."""
    lookup = {}
    for value, label in choices.choices:
        lookup[value.casefold()] = value
        for language in ("en", "cs"):
            with translation.override(language):
                lookup[str(label).casefold()] = value
    return lookup


def _code_lookup(queryset) -> dict[str, object]:
    """Code-list rows by code and by name (case ignored)."""
    lookup = {}
    for item in queryset:
        lookup.setdefault(item.name.casefold(), item)
    for item in queryset:
        lookup[item.code.casefold()] = item
    return lookup


def _ka_key(code: str) -> str:
    """``KA 03``, ``ka3`` and ``KA03`` are one key activity."""
    compact = re.sub(r"\s+", "", code).upper()
    return re.sub(r"0*(\d+)", lambda m: str(int(m[1])), compact)


def _short(day: dt.date | None) -> str:
    return date_format(day, "SHORT_DATE_FORMAT") if day else "–"


def _validation_messages(error: ValidationError, columns: dict[str, str]) -> list[tuple[str, str]]:
    """(column, message) pairs of a model or service ``ValidationError``."""
    if hasattr(error, "error_dict"):
        return [
            (columns.get(name, ""), message)
            for name, errors in error.message_dict.items()
            for message in errors
        ]
    return [("", message) for message in error.messages]


class Importer(ABC):
    kind: str
    columns: list[L.Column]

    def __init__(self, project: Project):
        # With its extensions, so that the effective end date costs no query per row.
        self.project = Project.objects.prefetch_related("extensions").get(pk=project.pk)
        self.organisation_id = project.organisation_id

    def plan(self, table: cells.Table) -> Plan:
        plan = Plan(kind=self.kind)
        headers = {cells.normalise_header(h): h for h in table.headers}
        missing = [
            c.header
            for c in self.columns
            if c.required and cells.normalise_header(c.header) not in headers
        ]
        for column in missing:
            plan.errors.append(RowError(1, column, str(MISSING_COLUMN % {"column": column})))
        if missing:
            return plan
        self.prepare()
        for number, raw in table.rows:
            row = RowReader(number, raw, headers, plan.errors)
            change = self.plan_row(row)
            if change is not None and not row.bad:
                plan.changes.append(change)
        return plan

    @abstractmethod
    def prepare(self) -> None:
        """Load what every row is checked against (code lists, existing records), once."""

    @abstractmethod
    def plan_row(self, row: RowReader) -> Change | None:
        """The change one row asks for, or None; problems go to ``row.error``."""

    def in_project(self, row: RowReader, column: str, day: dt.date | None) -> None:
        end = self.project.effective_end_date
        if day is not None and not self.project.start_date <= day <= end:
            row.error(
                column,
                OUTSIDE_PROJECT
                % {
                    "date": _short(day),
                    "start": _short(self.project.start_date),
                    "end": _short(end),
                },
            )

    def _workers(self) -> dict[str, object]:
        users = get_user_model().objects.filter(
            pk__in=Membership.objects.filter(project=self.project, role=Role.WORKER).values("user")
        )
        lookup = {}
        for user in users:
            if user.email:
                lookup.setdefault(user.email.casefold(), user)
        for user in users:
            lookup[user.get_username().casefold()] = user
        return lookup

    def _clients_by_code(self) -> dict[str, Client]:
        return {c.code: c for c in Client.objects.filter(organisation=self.organisation_id)}


# --- Clients ----------------------------------------------------------------------------------

CLIENT_TEXT_FIELDS = [
    ("title_before", L.TITLE_BEFORE),
    ("first_name", L.FIRST_NAME),
    ("last_name", L.LAST_NAME),
    ("title_after", L.TITLE_AFTER),
    ("phone", L.PHONE),
    ("email", L.EMAIL),
    ("street", L.STREET),
    ("house_number", L.HOUSE_NUMBER),
    ("orientation_number", L.ORIENTATION_NUMBER),
    ("municipality", L.MUNICIPALITY),
    ("municipality_part", L.MUNICIPALITY_PART),
    ("postcode", L.POSTCODE),
    ("notes", L.NOTES),
]
CLIENT_COLUMN_OF = {
    **dict(CLIENT_TEXT_FIELDS),
    "code": L.CLIENT_CODE,
    "birth_date": L.BIRTH_DATE,
    "birth_year": L.BIRTH_YEAR,
    "birth_number": L.BIRTH_NUMBER,
    "gender": L.GENDER,
    "locality": L.LOCALITY,
    "household": L.HOUSEHOLD,
    "entry_date": L.ENTRY_DATE,
    "exit_date": L.EXIT_DATE,
    "exit_reason": L.EXIT_REASON,
    "labour_status": L.LABOUR_STATUS,
    "education": L.EDUCATION,
    "disadvantage_answer": L.DISADVANTAGE,
    "exit_labour_status": L.EXIT_LABOUR_STATUS,
}
# Foreign keys the importer resolves from its own lookups (no query per row to check them).
CLIENT_LOOKUPS = ["gender", "locality"]
ENROLMENT_LOOKUPS = ["labour_status", "education", "exit_labour_status"]


class ClientImporter(Importer):
    kind = ImportKind.CLIENTS
    columns = L.CLIENT_COLUMNS

    def prepare(self) -> None:
        self.by_code = {
            c.code: c
            for c in Client.objects.filter(organisation=self.organisation_id).select_related(
                "household", "gender", "locality"
            )
        }
        self.members = {
            m.client_id: m
            for m in HouseholdMember.objects.filter(client__organisation=self.organisation_id)
        }
        self.enrolments = {
            e.client_id: e
            for e in Enrolment.objects.filter(project=self.project).prefetch_related(
                "disadvantages", "exit_situations"
            )
        }
        self.primary_workers = {
            a.client_id: a.worker_id
            for a in CaseAssignment.objects.current().filter(
                project=self.project, kind=CaseAssignment.Kind.PRIMARY
            )
        }
        self.by_birth_number = {c.birth_number: c for c in self.by_code.values() if c.birth_number}
        self.by_identity = {
            (c.first_name.casefold(), c.last_name.casefold(), c.birth_date): c
            for c in self.by_code.values()
            if c.birth_date
        }
        self.codes = {
            kind: {c.code.casefold(): c for c in MonitoringCode.objects.filter(kind=kind)}
            for kind in MonitoringCodeKind.values
        }
        self.localities = {
            loc.name.casefold(): loc
            for loc in Locality.objects.filter(organisation=self.organisation_id)
        }
        self.workers = self._workers()
        self.relationships = _choice_lookup(Relationship)
        self.exit_reasons = _choice_lookup(ExitReason)
        self.seen_codes: dict[str, int] = {}
        self.seen_birth_numbers: dict[str, int] = {}

    def _code(self, row: RowReader, column: str, kind: str):
        value = row.get(column)
        if not value:
            return None
        found = self.codes[kind].get(value.casefold())
        if found is None:
            row.error(column, UNKNOWN_CODE % {"value": value})
        return found

    def _codes(self, row: RowReader, column: str, kind: str) -> list[MonitoringCode]:
        found = []
        for value in row.get(column, cells.code_list) or []:
            code = self.codes[kind].get(value.casefold())
            if code is None:
                row.error(column, UNKNOWN_CODE % {"value": value})
            else:
                found.append(code)
        return found

    def _choice(self, row: RowReader, column: str, lookup: dict[str, str]) -> str:
        value = row.get(column)
        if not value:
            return ""
        if value.casefold() not in lookup:
            row.error(column, UNKNOWN_CODE % {"value": value})
            return ""
        return lookup[value.casefold()]

    def plan_row(self, row: RowReader) -> Change | None:
        code = row.get(L.CLIENT_CODE, required=True)
        values = {name: row.get(column) or "" for name, column in CLIENT_TEXT_FIELDS}
        for name in ("first_name", "last_name"):
            if not values[name]:
                row.error(CLIENT_COLUMN_OF[name], MISSING_VALUE)
        values["birth_date"] = row.get(L.BIRTH_DATE, cells.date)
        values["birth_year"] = row.get(L.BIRTH_YEAR, cells.integer)
        birth_number = row.get(L.BIRTH_NUMBER)
        if birth_number:
            try:
                validate_birth_number(birth_number)
            except ValidationError:
                row.error(L.BIRTH_NUMBER, BAD_BIRTH_NUMBER % {"value": birth_number})
                birth_number = ""
            else:
                birth_number = normalise_birth_number(birth_number)
        values["birth_number"] = birth_number or ""
        values["gender"] = self._code(row, L.GENDER, MonitoringCodeKind.GENDER)
        locality_name = row.get(L.LOCALITY)
        values["locality"] = None
        if locality_name:
            values["locality"] = self.localities.get(locality_name.casefold())
            if values["locality"] is None:
                row.error(L.LOCALITY, UNKNOWN_LOCALITY % {"value": locality_name})
        household_name = row.get(L.HOUSEHOLD) or ""
        relationship = self._choice(row, L.RELATIONSHIP, self.relationships)
        if household_name and not relationship:
            relationship = Relationship.OTHER
        if not household_name:
            relationship = ""
        worker = None
        worker_name = row.get(L.KEY_WORKER)
        if worker_name:
            worker = self.workers.get(worker_name.casefold())
            if worker is None:
                row.error(L.KEY_WORKER, UNKNOWN_WORKER % {"value": worker_name})

        enrolment = {
            "entry_date": row.get(L.ENTRY_DATE, cells.date, required=True),
            "exit_date": row.get(L.EXIT_DATE, cells.date),
            "exit_reason": self._choice(row, L.EXIT_REASON, self.exit_reasons),
            "labour_status": self._code(row, L.LABOUR_STATUS, MonitoringCodeKind.LABOUR_STATUS),
            "education": self._code(row, L.EDUCATION, MonitoringCodeKind.EDUCATION),
            "exit_labour_status": self._code(
                row, L.EXIT_LABOUR_STATUS, MonitoringCodeKind.LABOUR_STATUS
            ),
        }
        self.in_project(row, L.ENTRY_DATE, enrolment["entry_date"])
        self.in_project(row, L.EXIT_DATE, enrolment["exit_date"])
        disadvantage_text = row.get(L.DISADVANTAGE) or ""
        disadvantages: list[MonitoringCode] = []
        if disadvantage_text.casefold() in DISADVANTAGE_WORDS:
            enrolment["disadvantage_answer"] = DISADVANTAGE_WORDS[disadvantage_text.casefold()]
        elif disadvantage_text:
            enrolment["disadvantage_answer"] = DisadvantageAnswer.ANSWERED
            disadvantages = self._codes(row, L.DISADVANTAGE, MonitoringCodeKind.DISADVANTAGE)
        else:
            enrolment["disadvantage_answer"] = ""
        exit_situations = self._codes(row, L.EXIT_SITUATIONS, MonitoringCodeKind.EXIT_SITUATION)

        if not code:
            return None
        what = str(KIND_LABEL["clients"])
        if code in self.seen_codes:
            row.error(
                L.CLIENT_CODE, DUPLICATE_IN_FILE % {"what": what, "row": self.seen_codes[code]}
            )
            return None
        self.seen_codes[code] = row.number
        if values["birth_number"]:
            earlier = self.seen_birth_numbers.setdefault(values["birth_number"], row.number)
            if earlier != row.number:
                row.error(L.BIRTH_NUMBER, DUPLICATE_IN_FILE % {"what": what, "row": earlier})

        existing = self.by_code.get(code)
        if existing is not None:
            if not self._same_person(existing, values):
                birth = _short(existing.birth_date) if existing.birth_date else existing.birth_year
                row.error(
                    L.CLIENT_CODE,
                    DIFFERENT_IDENTITY
                    % {"code": code, "name": existing.full_name, "birth": birth or "–"},
                )
                return None
            client = copy.copy(existing)
        else:
            identity = (
                values["first_name"].casefold(),
                values["last_name"].casefold(),
                values["birth_date"],
            )
            other = self.by_birth_number.get(values["birth_number"]) or self.by_identity.get(
                identity
            )
            if other is not None:
                row.error(L.CLIENT_CODE, ALREADY_REGISTERED % {"code": other.code})
                return None
            client = Client(organisation_id=self.organisation_id, code=code)
        if row.bad:
            return None
        for name, value in values.items():
            setattr(client, name, value)
        # The code's uniqueness and the looked-up rows were checked above; the rest of the
        # model's rules (field formats, the birth-year constraints) are checked here.
        self._full_clean(row, client, exclude=["household", "organisation", *CLIENT_LOOKUPS])
        current_enrolment = self.enrolments.get(existing.pk) if existing else None
        # Exports leave special-category codes out (``casework.audit.sensitive``), so a
        # re-imported file keeps the ones recorded instead of wiping them.
        kept = (
            [c for c in current_enrolment.disadvantages.all() if c.is_special_category]
            if current_enrolment is not None
            else []
        )
        if kept and enrolment["disadvantage_answer"] in ("", DisadvantageAnswer.ANSWERED):
            enrolment["disadvantage_answer"] = DisadvantageAnswer.ANSWERED
            disadvantages = list({c.pk: c for c in [*disadvantages, *kept]}.values())
        candidate = Enrolment(project=self.project, **enrolment)
        self._full_clean(
            row,
            candidate,
            exclude=["client", "project", *ENROLMENT_LOOKUPS],
            validate_unique=False,
        )
        if row.bad:
            return None

        label = f"{code} {values['first_name']} {values['last_name']}"
        if existing is None:
            fields = [L.CLIENT_CODE]

            def apply(ctx: Context) -> None:
                new = Client(organisation_id=self.organisation_id, code=code, **values)
                _save_household(new, ctx.household(household_name))
                new.save()
                _save_members(new, relationship=relationship, members=(), removed_members=())
                self._save_enrolment(ctx, new, None, enrolment, disadvantages, exit_situations)
                self._assign(ctx, new, worker, enrolment["entry_date"])

            return Change(row.number, "create", label, fields, apply)

        changed = [CLIENT_COLUMN_OF[n] for n, v in values.items() if getattr(existing, n) != v]
        member = self.members.get(existing.pk)
        current_household = existing.household.name if existing.household_id else ""
        household_changed = current_household.casefold() != household_name.casefold() or (
            (member.relationship if member else "") != relationship
        )
        if household_changed:
            changed += [L.HOUSEHOLD, L.RELATIONSHIP]
        client_changed = bool(changed)
        enrolment_changed = self._enrolment_changes(
            current_enrolment, enrolment, disadvantages, exit_situations
        )
        changed += enrolment_changed
        assign = worker is not None and self.primary_workers.get(existing.pk) != worker.pk
        if assign:
            changed.append(L.KEY_WORKER)
        if not changed:
            return Change(row.number, "unchanged", label, [])

        def apply_update(ctx: Context) -> None:
            current = Client.objects.get(pk=existing.pk)
            if client_changed:
                for name, value in values.items():
                    setattr(current, name, value)
                update_client_service(
                    current,
                    by=ctx.by,
                    version=current.version,
                    household=ctx.household(household_name),
                    relationship=relationship,
                    different_person=True,
                )
            if enrolment_changed:
                self._save_enrolment(
                    ctx, current, current_enrolment, enrolment, disadvantages, exit_situations
                )
            if assign:
                self._assign(ctx, current, worker, enrolment["entry_date"])

        return Change(row.number, "update", label, changed, apply_update)

    @staticmethod
    def _same_person(existing: Client, values: dict) -> bool:
        def differs(a, b):
            return bool(a) and bool(b) and a != b

        return not (
            existing.first_name.casefold() != values["first_name"].casefold()
            or existing.last_name.casefold() != values["last_name"].casefold()
            or differs(existing.birth_date, values["birth_date"])
            or differs(existing.birth_number, values["birth_number"])
        )

    @staticmethod
    def _full_clean(row: RowReader, instance, exclude: list[str], **options) -> None:
        try:
            instance.full_clean(exclude=exclude, **options)
        except ValidationError as error:
            for column, message in _validation_messages(error, CLIENT_COLUMN_OF):
                row.error(column, message)

    @staticmethod
    def _enrolment_changes(current, enrolment, disadvantages, exit_situations) -> list[str]:
        if current is None:
            return [L.ENTRY_DATE]
        changed = [CLIENT_COLUMN_OF[n] for n, v in enrolment.items() if getattr(current, n) != v]
        if {c.pk for c in current.disadvantages.all()} != {c.pk for c in disadvantages}:
            changed.append(L.DISADVANTAGE)
        if {c.pk for c in current.exit_situations.all()} != {c.pk for c in exit_situations}:
            changed.append(L.EXIT_SITUATIONS)
        return list(dict.fromkeys(changed))

    def _save_enrolment(self, ctx, client, current, enrolment, disadvantages, exit_situations):
        if current is None:
            # Checked by the plan; ``set_enrolment`` validates the whole row again.
            row = Enrolment.objects.create(
                client=client, project=self.project, entry_date=enrolment["entry_date"]
            )
        else:
            row = Enrolment.objects.get(pk=current.pk)
        for name, value in enrolment.items():
            setattr(row, name, value)
        set_enrolment(
            row,
            by=ctx.by,
            version=row.version,
            disadvantages=disadvantages,
            exit_situations=exit_situations,
        )

    def _assign(self, ctx, client, worker, entry_date) -> None:
        if worker is None:
            return
        current = CaseAssignment.objects.current().filter(
            client=client, project=self.project, kind=CaseAssignment.Kind.PRIMARY
        )
        if current.exists():
            reassign_client(
                client, project=self.project, to_worker=worker, by=ctx.by, on=timezone.localdate()
            )
            return
        assignment = CaseAssignment(
            client=client,
            project=self.project,
            worker=worker,
            kind=CaseAssignment.Kind.PRIMARY,
            started_on=entry_date,
            assigned_by=ctx.by,
        )
        assignment.save()


# --- Interventions ----------------------------------------------------------------------------

INTERVENTION_COLUMN_OF = {
    "key_activity": L.KEY_ACTIVITY,
    "date": L.DATE,
    "clients": L.CLIENT_CODES,
    "delivery_mode": L.DELIVERY_MODE,
    "coworkers": L.WORKERS,
    "plan_goal": L.IS_ONE_OFF,
    "anonymous_count": L.ANONYMOUS_COUNT,
    "duration_minutes": L.DURATION,
    "start_time": L.START_TIME,
    "place": L.PLACE,
    "record": L.RECORD,
}


# Foreign keys the importer resolves from its own lookups (no query per row to check them).
INTERVENTION_LOOKUPS = [
    "project",
    "key_activity",
    "delivery_mode",
    "intervention_type",
    "created_by",
]


def _intervention_key(date, start_time, duration, key_activity_id, client_ids, worker_ids):
    return (
        date,
        start_time,
        duration,
        key_activity_id,
        frozenset(client_ids),
        frozenset(worker_ids),
    )


class InterventionImporter(Importer):
    kind = ImportKind.INTERVENTIONS
    columns = L.INTERVENTION_COLUMNS

    def prepare(self) -> None:
        self.key_activities = {
            _ka_key(ka.code): ka for ka in KeyActivity.objects.filter(project=self.project)
        }
        self.delivery_modes = _code_lookup(DeliveryMode.objects.all())
        self.types = _code_lookup(InterventionType.objects.all())
        self.topics = _code_lookup(Topic.objects.all())
        self.clients = self._clients_by_code()
        self.workers = self._workers()
        self.existing = {}
        interventions = Intervention.objects.filter(project=self.project).prefetch_related(
            Prefetch("participants", queryset=InterventionParticipant.objects.only("client_id")),
            "workers",
            "topics",
        )
        for item in interventions.order_by("pk"):
            key = _intervention_key(
                item.date,
                item.start_time,
                item.duration_minutes,
                item.key_activity_id,
                [p.client_id for p in item.participants.all()],
                [w.pk for w in item.workers.all()],
            )
            self.existing.setdefault(key, item)
        self.seen: dict[tuple, int] = {}

    def _lookup(self, row, column, lookup, *, required=False):
        value = row.get(column, required=required)
        if not value:
            return None
        found = lookup.get(value.casefold())
        if found is None:
            row.error(column, UNKNOWN_CODE % {"value": value})
        return found

    def plan_row(self, row: RowReader) -> Change | None:
        date = row.get(L.DATE, cells.date, required=True)
        start_time = row.get(L.START_TIME, cells.time)
        duration = row.get(L.DURATION, cells.integer, required=True)
        if duration is not None and duration <= 0:
            row.error(L.DURATION, NEGATIVE_DURATION)
        ka_code = row.get(L.KEY_ACTIVITY, required=True)
        key_activity = None
        if ka_code:
            key_activity = self.key_activities.get(_ka_key(ka_code))
            if key_activity is None:
                row.error(L.KEY_ACTIVITY, UNKNOWN_KEY_ACTIVITY % {"value": ka_code})
        delivery_mode = self._lookup(row, L.DELIVERY_MODE, self.delivery_modes, required=True)
        intervention_type = self._lookup(row, L.INTERVENTION_TYPE, self.types)
        clients = []
        for code in row.get(L.CLIENT_CODES, cells.code_list) or []:
            if code not in self.clients:
                row.error(L.CLIENT_CODES, UNKNOWN_CLIENT % {"value": code})
            elif self.clients[code] not in clients:
                clients.append(self.clients[code])
        workers = []
        for name in row.get(L.WORKERS, cells.code_list, required=True) or []:
            worker = self.workers.get(name.casefold())
            if worker is None:
                row.error(L.WORKERS, UNKNOWN_WORKER % {"value": name})
            elif worker not in workers:
                workers.append(worker)
        if not workers and not row.bad:
            row.error(L.WORKERS, MISSING_VALUE)
        topics = []
        for name in row.get(L.TOPICS, cells.code_list) or []:
            topic = self.topics.get(name.casefold())
            if topic is None:
                row.error(L.TOPICS, UNKNOWN_CODE % {"value": name})
            elif topic not in topics:
                topics.append(topic)
        values = {
            "delivery_mode": delivery_mode,
            "intervention_type": intervention_type,
            "place": row.get(L.PLACE) or "",
            "record": row.get(L.RECORD) or "",
            "is_group": bool(row.get(L.IS_GROUP, cells.yes_no)),
            "anonymous_count": row.get(L.ANONYMOUS_COUNT, cells.integer) or 0,
            "is_one_off": bool(row.get(L.IS_ONE_OFF, cells.yes_no)),
        }
        if values["anonymous_count"] < 0:
            row.error(L.ANONYMOUS_COUNT, NEGATIVE_AMOUNT)
        if row.bad:
            return None
        values["is_group"] = values["is_group"] or delivery_mode.is_group
        key = _intervention_key(
            date,
            start_time,
            duration,
            key_activity.pk,
            [c.pk for c in clients],
            [w.pk for w in workers],
        )
        if key in self.seen:
            what = str(KIND_LABEL["interventions"])
            row.error(L.DATE, DUPLICATE_IN_FILE % {"what": what, "row": self.seen[key]})
            return None
        self.seen[key] = row.number
        existing = self.existing.get(key)
        try:
            validate_intervention(
                project=self.project,
                key_activity=key_activity,
                date=date,
                delivery_mode=delivery_mode,
                intervention_type=intervention_type,
                clients=clients,
                workers=workers,
                plan_goal=existing.plan_goal if existing else None,
                is_one_off=values["is_one_off"],
                is_group=values["is_group"],
                anonymous_count=values["anonymous_count"],
            )
            Intervention(
                project=self.project,
                key_activity=key_activity,
                date=date,
                start_time=start_time,
                duration_minutes=duration,
                created_by=workers[0],
                **values,
            ).full_clean(exclude=INTERVENTION_LOOKUPS, validate_unique=False)
        except ValidationError as error:
            for column, message in _validation_messages(error, INTERVENTION_COLUMN_OF):
                row.error(column, message)
            return None

        label = f"{_short(date)} {key_activity.code} {', '.join(c.code for c in clients)}".strip()
        if existing is None:

            def apply(ctx: Context) -> None:
                intervention = Intervention(
                    project=self.project,
                    key_activity=key_activity,
                    date=date,
                    start_time=start_time,
                    duration_minutes=duration,
                    created_by=ctx.by or workers[0],
                    **values,
                )
                intervention.save()
                _set_people(intervention, workers=workers, clients=clients)
                intervention.topics.set(topics)

            return Change(row.number, "create", label, [L.DATE], apply)

        column_of = {
            "delivery_mode": L.DELIVERY_MODE,
            "intervention_type": L.INTERVENTION_TYPE,
            "place": L.PLACE,
            "record": L.RECORD,
            "is_group": L.IS_GROUP,
            "anonymous_count": L.ANONYMOUS_COUNT,
            "is_one_off": L.IS_ONE_OFF,
        }
        changed = [column_of[n] for n, v in values.items() if getattr(existing, n) != v]
        if {t.pk for t in existing.topics.all()} != {t.pk for t in topics}:
            changed.append(L.TOPICS)
        if not changed:
            return Change(row.number, "unchanged", label, [])

        def apply_update(ctx: Context) -> None:
            intervention = Intervention.objects.select_for_update().get(pk=existing.pk)
            for name, value in values.items():
                setattr(intervention, name, value)
            intervention.version += 1
            intervention.full_clean(validate_unique=False)
            intervention.save()
            intervention.topics.set(topics)

        return Change(row.number, "update", label, changed, apply_update)


# --- Debts ------------------------------------------------------------------------------------

DEBT_COLUMN_OF = {
    "creditor": L.CREDITOR,
    "kind": L.DEBT_KIND,
    "bailiff_office": L.BAILIFF_OFFICE,
    "case_reference": L.CASE_REFERENCE,
    "principal": L.PRINCIPAL,
    "interest": L.INTEREST,
    "costs": L.COSTS,
    "monthly_instalment": L.MONTHLY_INSTALMENT,
    "status": L.STATUS,
    "status_since": L.STATUS_SINCE,
    "source": L.SOURCE,
    "originated_on": L.ORIGINATED_ON,
    "is_public_law": L.IS_PUBLIC_LAW,
}


class DebtImporter(Importer):
    kind = ImportKind.DEBTS
    columns = L.DEBT_COLUMNS

    def prepare(self) -> None:
        self.clients = self._clients_by_code()
        self.enrolments = {e.client_id: e for e in Enrolment.objects.filter(project=self.project)}
        self.creditors = {
            c.name.casefold(): c for c in Creditor.objects.filter(organisation=self.organisation_id)
        }
        self.creditor_types = _code_lookup(CreditorType.objects.all())
        self.kinds = _choice_lookup(DebtKind)
        self.statuses = _choice_lookup(DebtStatus)
        self.sources = _choice_lookup(InformationSource)
        self.existing = {}
        debts = Debt.objects.filter(case__project=self.project).select_related("case", "creditor")
        for debt in debts.order_by("pk"):
            key = (
                debt.case.client_id,
                debt.creditor.name.casefold(),
                debt.kind,
                debt.case_reference.casefold(),
            )
            self.existing.setdefault(key, debt)
        self.seen: dict[tuple, int] = {}

    def _choice(self, row, column, lookup, *, required=False, default=""):
        value = row.get(column, required=required)
        if not value:
            return default
        if value.casefold() not in lookup:
            row.error(column, UNKNOWN_CODE % {"value": value})
            return default
        return lookup[value.casefold()]

    def _amount(self, row, column, *, required=False):
        value = row.get(column, cells.amount, required=required)
        if value is not None and value < 0:
            row.error(column, NEGATIVE_AMOUNT)
        return value

    def plan_row(self, row: RowReader) -> Change | None:
        code = row.get(L.CLIENT_CODE, required=True)
        client = None
        if code:
            client = self.clients.get(code)
            if client is None:
                row.error(L.CLIENT_CODE, UNKNOWN_CLIENT % {"value": code})
            elif client.pk not in self.enrolments:
                row.error(L.CLIENT_CODE, NOT_ENROLLED % {"code": code})
        creditor_name = row.get(L.CREDITOR, required=True) or ""
        creditor = self.creditors.get(creditor_name.casefold())
        creditor_type = None
        type_value = row.get(L.CREDITOR_TYPE)
        if type_value:
            creditor_type = self.creditor_types.get(type_value.casefold())
            if creditor_type is None:
                row.error(L.CREDITOR_TYPE, UNKNOWN_CODE % {"value": type_value})
        elif creditor is None and creditor_name:
            row.error(L.CREDITOR_TYPE, NEW_CREDITOR_NEEDS_TYPE)
        creditor_ico = row.get(L.CREDITOR_ICO) or ""
        values = {
            "kind": self._choice(row, L.DEBT_KIND, self.kinds, required=True),
            "bailiff_office": row.get(L.BAILIFF_OFFICE) or "",
            "case_reference": row.get(L.CASE_REFERENCE) or "",
            "principal": self._amount(row, L.PRINCIPAL, required=True),
            "interest": self._amount(row, L.INTEREST) or Decimal("0.00"),
            "costs": self._amount(row, L.COSTS) or Decimal("0.00"),
            "monthly_instalment": self._amount(row, L.MONTHLY_INSTALMENT) or Decimal("0.00"),
            "source": self._choice(row, L.SOURCE, self.sources, required=True),
            "originated_on": row.get(L.ORIGINATED_ON, cells.date),
            "is_public_law": bool(row.get(L.IS_PUBLIC_LAW, cells.yes_no)),
        }
        status = self._choice(row, L.STATUS, self.statuses, default=DebtStatus.ACTIVE)
        status_since = row.get(L.STATUS_SINCE, cells.date, required=True)
        if row.bad:
            return None
        key = (
            client.pk,
            creditor_name.casefold(),
            values["kind"],
            values["case_reference"].casefold(),
        )
        if key in self.seen:
            what = str(KIND_LABEL["debts"])
            row.error(L.CREDITOR, DUPLICATE_IN_FILE % {"what": what, "row": self.seen[key]})
            return None
        self.seen[key] = row.number
        existing = self.existing.get(key)
        candidate = Debt(status=status, status_since=status_since, **values)
        if creditor is not None:
            candidate.creditor = creditor
        try:
            candidate.full_clean(exclude=["case", "creditor"])
        except ValidationError as error:
            for column, message in _validation_messages(error, DEBT_COLUMN_OF):
                row.error(column, message)
            return None
        label = f"{code} {creditor_name} {values['case_reference']}".strip()
        entry_date = self.enrolments[client.pk].entry_date

        if existing is None:

            def apply(ctx: Context) -> None:
                case = (
                    DebtCase.objects.filter(client=client, project=self.project, closed_on=None)
                    .order_by("opened_on", "pk")
                    .first()
                )
                if case is None:
                    case = open_debt_case(
                        DebtCase(
                            client=client,
                            project=self.project,
                            household_id=client.household_id,
                            opened_on=entry_date,
                        ),
                        by=ctx.by,
                    )
                debt = Debt(case=case, status=status, status_since=status_since, **values)
                if creditor is not None:
                    debt.creditor = creditor
                create_debt(
                    debt,
                    by=ctx.by,
                    new_creditor_name="" if creditor else creditor_name,
                    new_creditor_type=creditor_type,
                )
                if creditor_ico and not debt.creditor.ico:
                    debt.creditor.ico = creditor_ico
                    debt.creditor.save(update_fields=["ico"])

            return Change(row.number, "create", label, [L.CREDITOR], apply)

        changed = [DEBT_COLUMN_OF[n] for n, v in values.items() if getattr(existing, n) != v]
        status_changed = existing.status != status
        if status_changed:
            if status_since < existing.status_since:
                row.error(
                    L.STATUS_SINCE, STATUS_BEFORE_CURRENT % {"date": _short(existing.status_since)}
                )
                return None
            changed += [L.STATUS, L.STATUS_SINCE]
        if not changed:
            return Change(row.number, "unchanged", label, [])
        register_changed = any(c not in (L.STATUS, L.STATUS_SINCE) for c in changed)

        def apply_update(ctx: Context) -> None:
            debt = Debt.objects.get(pk=existing.pk)
            if register_changed:
                for name, value in values.items():
                    setattr(debt, name, value)
                debt = update_debt(debt, by=ctx.by, version=debt.version)
            if status_changed:
                change_debt_status(debt, by=ctx.by, status=status, on=status_since)

        return Change(row.number, "update", label, changed, apply_update)


IMPORTERS = {
    ImportKind.CLIENTS: ClientImporter,
    ImportKind.INTERVENTIONS: InterventionImporter,
    ImportKind.DEBTS: DebtImporter,
}


# --- Dry run and confirmation -----------------------------------------------------------------


class ImportRefused(Exception):
    """The import was not written; ``run`` records why."""

    def __init__(self, message, run: ImportRun | None = None):
        super().__init__(str(message))
        self.run = run


def sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def plan_file(project: Project, kind: str, content: bytes) -> Plan:
    """What importing ``content`` as ``kind`` into ``project`` would do; writes nothing."""
    try:
        table = cells.read_table(content)
    except cells.CellError as error:
        return Plan(kind=kind, errors=[RowError(0, "", str(error))])
    return IMPORTERS[kind](project).plan(table)


def check_file(*, project: Project, kind: str, content: bytes, file_name: str, by) -> ImportRun:
    """The dry run: plan the file and record it, with the file kept, as an ``ImportRun``."""
    plan = plan_file(project, kind, content)
    run = ImportRun.objects.create(
        project=project,
        kind=kind,
        file_name=file_name[:255],
        sha256=sha256(content),
        content=content,
        summary=plan.summary(),
        created_by=by,
    )
    return run


class _Refused(Exception):
    """Inside ``confirm_run``: roll the transaction back and record the run as failed."""


def confirm_run(run: ImportRun, *, by) -> ImportRun:
    """Import the file of a checked run: everything in one transaction, or nothing.

    Locks the run (two confirmations cannot both import), plans the kept file again (the
    database may have changed since the dry run) and refuses the whole file when any row is
    bad; a failure midway rolls every write back. The run records the outcome either way;
    ``ImportRefused`` is raised when nothing was written.
    """
    try:
        with transaction.atomic():
            run = (
                ImportRun.objects.select_for_update(of=("self",))
                .select_related("project")
                .get(pk=run.pk)
            )
            if run.status != ImportStatus.CHECKED:
                raise ImportRefused(RUN_NOT_PENDING, run)
            content = bytes(run.content or b"")
            if sha256(content) != run.sha256:
                raise _Refused(FILE_CHANGED)
            plan = plan_file(run.project, run.kind, content)
            if plan.errors:
                run.summary = plan.summary()
                raise _Refused(HAS_ERRORS % {"count": len(plan.errors)})
            context = Context(project=run.project, by=by)
            for change in plan.changes:
                if change.apply is not None:
                    change.apply(context)
            result = {action: plan.count(action) for action in ("create", "update", "unchanged")}
            _finish(run, by, ImportStatus.IMPORTED, result)
            return run
    except ImportRefused:
        raise
    except _Refused as refused:
        message = str(refused)
    except ValidationError as error:
        message = "; ".join(error.messages)
    except Exception as error:
        # Any failure midway (a database error, a bug) has rolled the import back; the run
        # records it and the caller hears that nothing was written.
        logger.exception("Import run %s failed", run.pk)
        message = str(error)
    _finish(run, by, ImportStatus.FAILED, {"error": message})
    raise ImportRefused(message, run)


def _finish(run: ImportRun, by, status: str, result: dict) -> None:
    run.status = status
    run.result = result
    run.confirmed_by = by
    run.finished_at = timezone.now()
    # A finished run is never confirmed again: the personal data in the file need not stay.
    run.content = None
    fields = ["status", "result", "confirmed_by", "finished_at", "summary", "content"]
    run.save(update_fields=fields)
    _audit_import(run)


def _audit_import(run: ImportRun) -> None:
    """Record a finished import in the access audit trail (who, which project, which run)."""
    if run.status != ImportStatus.IMPORTED:
        return
    record_access(run.confirmed_by, AccessAction.IMPORT, obj=run, project=run.project_id)
