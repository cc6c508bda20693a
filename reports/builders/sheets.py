"""Participant paperwork: monitoring sheets to sign, and the evidence pack for an on-site check.

- **Monitoring sheets** (``monitoring_sheets``, PDF): one page per person who entered the project
  in the period (``{"moment": "entry"}``, the default) or left it (``{"moment": "exit"}``) —
  only those who are participants at the period end with ``{"participants_only": true}`` —, with
  the monitoring data filled in as recorded, every code of the funder's lists to tick, and
  signature lines. All sheets are one HTML document rendered in one WeasyPrint pass, from two
  queries whatever the number of persons.
- **Evidence pack** (``evidence_pack``, PDF): one person (``{"client": <id>}``, enrolled in the
  report's project): consents, entry and exit data, participant status at the period end and
  every dated support up to the period end per key activity, the ones outside entry–exit
  marked as not counted; special-category codes are never in it (``casework.audit.sensitive``).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import OuterRef, Q
from django.utils.translation import gettext as _

from casework.audit.sensitive import (
    ExportPurpose,
    export_permission,
    exportable_disadvantage_codes,
)
from casework.models import InterventionParticipant
from clients.models import Consent, DisadvantageAnswer, Enrolment, MonitoringCode
from clients.models import MonitoringCodeKind as Kind
from clients.queries import ENTRY_FIELD_LABELS
from reports.models import ReportKind
from reports.pdf import render_report_pdf
from reports.queries import enrolments_at, missing_entry_fields_sql
from reports.registry import ReportError, register

ENTRY = "entry"
EXIT = "exit"


class ReportParameterError(ReportError, ValueError):
    """The report's parameters do not name something it can be made of (shown to the user)."""


@dataclass
class Option:
    code: str
    name: str
    ticked: bool
    special: bool = False


def _code_ids(relation) -> ArraySubquery:
    return ArraySubquery(
        relation.through.objects.filter(enrolment=OuterRef("pk"))
        .order_by("monitoringcode_id")
        .values("monitoringcode_id")
    )


def _code_lists() -> dict[str, list[MonitoringCode]]:
    lists: dict[str, list[MonitoringCode]] = defaultdict(list)
    for code in MonitoringCode.objects.filter(is_active=True).order_by("kind", "order", "code"):
        lists[code.kind].append(code)
    return lists


def _options(codes: list[MonitoringCode], ticked: set[int]) -> list[Option]:
    return [
        Option(code.code, code.name, code.pk in ticked, code.is_special_category) for code in codes
    ]


def _single(codes: list[MonitoringCode], chosen_id: int | None) -> list[Option]:
    return _options(codes, {chosen_id} if chosen_id else set())


@dataclass
class Sheet:
    enrolment: Enrolment
    gender: list[Option] = field(default_factory=list)
    labour_status: list[Option] = field(default_factory=list)
    education: list[Option] = field(default_factory=list)
    disadvantages: list[Option] = field(default_factory=list)
    no_disadvantage: bool = False
    declined: bool = False
    exit_labour_status: list[Option] = field(default_factory=list)
    exit_situations: list[Option] = field(default_factory=list)
    # Special-category codes left off: the report's maker may not see this person's.
    special_left_out: bool = False

    @property
    def client(self):
        return self.enrolment.client


def sheet_enrolments(report):
    """The enrolments whose sheets the report prints: entered or left in the period."""
    moment = (report.parameters or {}).get("moment", ENTRY)
    if moment not in (ENTRY, EXIT):
        raise ReportParameterError(_("Choose monitoring sheets at entry or at exit."))
    date_field = "entry_date" if moment == ENTRY else "exit_date"
    if (report.parameters or {}).get("participants_only"):
        enrolments = enrolments_at(report.project, period_end=report.period_end).filter(
            is_participant=True
        )
    else:
        enrolments = Enrolment.objects.filter(project=report.project)
    return moment, (
        enrolments.filter(
            **{f"{date_field}__gte": report.period_start, f"{date_field}__lte": report.period_end},
        )
        .select_related("client")
        .annotate(
            disadvantage_ids=_code_ids(Enrolment.disadvantages),
            exit_situation_ids=_code_ids(Enrolment.exit_situations),
        )
        .order_by("client__last_name", "client__first_name", "client__code", "pk")
    )


def sheets(report) -> tuple[str, list[Sheet]]:
    """The sheets of a report, in surname order: two queries (code lists, enrolments), and
    at most two to decide whose special categories the report's maker may print.

    A person's special-category codes are on their sheet only when the maker may see them
    (``casework.audit.sensitive``: the organisation's administrators, the person's own worker);
    otherwise those codes are left off the sheet altogether and the sheet says so.
    """
    lists = _code_lists()
    moment, enrolments = sheet_enrolments(report)
    purpose = ExportPurpose.MONITORING_SHEET
    permission = export_permission(
        purpose, user=report.created_by, organisation_id=report.project.organisation_id
    )
    result = []
    for enrolment in enrolments:
        answer = enrolment.disadvantage_answer

        def printable(codes, enrolment=enrolment):
            return exportable_disadvantage_codes(
                codes, purpose=purpose, permission=permission, client_id=enrolment.client_id
            )

        disadvantage_codes = printable(lists[Kind.DISADVANTAGE])
        exit_codes = printable(lists[Kind.EXIT_SITUATION])
        result.append(
            Sheet(
                enrolment=enrolment,
                gender=_single(lists[Kind.GENDER], enrolment.client.gender_id),
                labour_status=_single(lists[Kind.LABOUR_STATUS], enrolment.labour_status_id),
                education=_single(lists[Kind.EDUCATION], enrolment.education_id),
                special_left_out=len(disadvantage_codes) < len(lists[Kind.DISADVANTAGE]),
                disadvantages=_options(disadvantage_codes, set(enrolment.disadvantage_ids or ())),
                no_disadvantage=answer == DisadvantageAnswer.NONE,
                declined=answer == DisadvantageAnswer.DECLINED,
                exit_labour_status=_single(
                    lists[Kind.LABOUR_STATUS], enrolment.exit_labour_status_id
                ),
                exit_situations=_options(exit_codes, set(enrolment.exit_situation_ids or ())),
            )
        )
    return moment, result


@register(ReportKind.MONITORING_SHEETS, formats=("pdf",))
def build_monitoring_sheets(report, progress) -> bytes:
    moment, rows = sheets(report)
    progress(20)
    content = render_report_pdf(
        "reports/pdf/monitoring_sheets.html",
        {
            "report": report,
            "moment": moment,
            "is_exit": moment == EXIT,
            "sheets": rows,
        },
        project=report.project,
    )
    progress(100)
    return content


# --- The evidence pack --------------------------------------------------------------------------


@dataclass
class SupportLine:
    date: object
    key_activity: str
    form: str
    intervention_type: str
    minutes: int
    electronic: bool
    group: bool
    excluded: str  # why the support does not count, or ""


@dataclass
class ActivitySupport:
    code: str
    name: str
    lines: list[SupportLine] = field(default_factory=list)

    @property
    def valid_minutes(self) -> int:
        return sum(line.minutes for line in self.lines if not line.excluded)

    @property
    def in_person_minutes(self) -> int:
        return sum(line.minutes for line in self.lines if not line.excluded and not line.electronic)

    @property
    def electronic_minutes(self) -> int:
        return sum(line.minutes for line in self.lines if not line.excluded and line.electronic)


def _client_id(report) -> int:
    value = (report.parameters or {}).get("client")
    try:
        return int(value)
    except (TypeError, ValueError) as error:
        raise ReportParameterError(_("Choose the client of the evidence pack.")) from error


def evidence(report) -> dict:
    """What the evidence pack shows, in four queries whatever the number of supports."""
    project = report.project
    enrolment = (
        enrolments_at(project, period_end=report.period_end)
        .filter(client=_client_id(report))
        .select_related("client__gender", "labour_status", "education", "exit_labour_status")
        .annotate(
            missing_fields=missing_entry_fields_sql(),
            disadvantage_codes=ArraySubquery(
                Enrolment.disadvantages.through.objects.filter(enrolment=OuterRef("pk"))
                .order_by("monitoringcode__code")
                .values("monitoringcode__code")
            ),
            exit_situation_codes=ArraySubquery(
                Enrolment.exit_situations.through.objects.filter(enrolment=OuterRef("pk"))
                .order_by("monitoringcode__code")
                .values("monitoringcode__code")
            ),
        )
        .first()
    )
    if enrolment is None:
        raise ReportParameterError(
            _("The client is not enrolled in this project by the end of the period.")
        )
    client = enrolment.client
    codes = list(
        MonitoringCode.objects.filter(
            Q(kind=Kind.DISADVANTAGE) | Q(kind=Kind.EXIT_SITUATION)
        ).values_list("code", "name", "is_special_category")
    )
    names = {value: name for value, name, _special in codes}
    special = frozenset(value for value, _name, is_special in codes if is_special)
    consents = list(Consent.objects.filter(client=client).order_by("given_on", "pk"))
    participations = (
        InterventionParticipant.objects.filter(
            client=client,
            intervention__project=project,
            intervention__date__lte=report.period_end,
        )
        .select_related(
            "intervention__key_activity",
            "intervention__delivery_mode",
            "intervention__intervention_type",
        )
        .order_by("intervention__key_activity__code", "intervention__date", "intervention_id")
    )
    activities: dict[int, ActivitySupport] = {}
    for participation in participations:
        intervention = participation.intervention
        activity = intervention.key_activity
        excluded = ""
        if intervention.date < enrolment.entry_date:
            excluded = _("before entry")
        elif enrolment.exit_date and intervention.date > enrolment.exit_date:
            excluded = _("after exit")
        activities.setdefault(activity.pk, ActivitySupport(activity.code, activity.name))
        activities[activity.pk].lines.append(
            SupportLine(
                date=intervention.date,
                key_activity=activity.code,
                form=intervention.delivery_mode.name,
                intervention_type=(
                    intervention.intervention_type.name if intervention.intervention_type else ""
                ),
                minutes=intervention.duration_minutes,
                electronic=intervention.delivery_mode.is_electronic,
                group=intervention.is_group,
                excluded=excluded,
            )
        )
    groups = list(activities.values())
    return {
        "enrolment": enrolment,
        "client": client,
        "consents": consents,
        "missing_labels": [str(ENTRY_FIELD_LABELS[name]) for name in enrolment.missing_fields],
        # A pack for an on-site check is no funder submission: no special categories in it.
        "disadvantages": [
            (c, names.get(c, ""))
            for c in exportable_disadvantage_codes(
                enrolment.disadvantage_codes, purpose=ExportPurpose.LISTING, special=special
            )
        ],
        "exit_situations": [
            (c, names.get(c, ""))
            for c in exportable_disadvantage_codes(
                enrolment.exit_situation_codes, purpose=ExportPurpose.LISTING, special=special
            )
        ],
        "activities": groups,
        "total_minutes": sum(a.valid_minutes for a in groups),
        "in_person_minutes": sum(a.in_person_minutes for a in groups),
        "electronic_minutes": sum(a.electronic_minutes for a in groups),
        "excluded_count": sum(1 for a in groups for line in a.lines if line.excluded),
        "threshold_minutes": project.participant_threshold_minutes,
    }


@register(ReportKind.EVIDENCE_PACK, formats=("pdf",))
def build_evidence_pack(report, progress) -> bytes:
    context = evidence(report)
    progress(30)
    content = render_report_pdf(
        "reports/pdf/evidence_pack.html", {"report": report, **context}, project=report.project
    )
    progress(100)
    return content
