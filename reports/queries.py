"""The indicator engine (DOMAIN.md §2–§4): every funder indicator of a project, in SQL.

Every value is cumulative from the project start to ``period_end`` (a counted participant stays
counted). Who is a participant comes from ``clients``: valid support is kept per enrolment by
the database (``EnrolmentSupport``, the one definition in ``clients.support_sql``) and
``clients.queries.entry_data_complete`` defines complete entry data; this module only counts
with them. Each indicator is one aggregate query, never a Python loop over interventions or
enrolments.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.postgres.fields import ArrayField
from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    DateField,
    Exists,
    ExpressionWrapper,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Concat, Replace
from django.utils.translation import gettext_lazy as _

from casework.compiled import bound_sql
from casework.models import (
    OutputDocument,
    Project,
    ProjectIndicator,
)
from clients.models import DisadvantageAnswer, Enrolment
from clients.queries import (
    entry_data_complete,
    support_minutes_until,
    threshold_crossed_by,
)

# Monitoring codes the indicators look for (DOMAIN.md §3).
HOMELESS = "PBOBP"
MINORITY = "ZNMIG"
PURPOSE_FULFILLED = "SPUINU"
# 6 28 00 "job search / education / qualification / employed", mapped to the exit codes the
# funder's list has: in education, gained a qualification, placed in a supported job.
ACTIVE_AFTER_EXIT = ("SPVZD", "SPUKV", "SPZOUM")
MEN = "POHMUZI"
WOMEN = "POHZENY"

# Age bands at entry (DOMAIN.md §4): (label, lowest age, highest age or None).
AGE_BANDS = (("<18", None, 17), ("18-24", 18, 24), ("25-54", 25, 54), ("55+", 55, None))
UNKNOWN = ""

DisadvantageLink = Enrolment.disadvantages.through
ExitSituationLink = Enrolment.exit_situations.through


def normalise_code(code: str) -> str:
    """Indicator codes are typed "6 00 00" or "600 000": compare them without spaces."""
    return "".join(code.split())


# --- Participants: the annotated enrolments ---------------------------------------------------


def _flag(condition) -> ExpressionWrapper:
    return ExpressionWrapper(condition, output_field=BooleanField())


class AgeAtEntry(Func):
    """Whole years between the date of birth and the entry date (PostgreSQL ``age``)."""

    template = "EXTRACT(YEAR FROM AGE(%(expressions)s))::integer"
    arg_joiner = ", "
    output_field = IntegerField()


class NonNullArray(Func):
    """``array_remove(ARRAY[a, b, …], NULL)``: the non-null values, in order."""

    template = "ARRAY_REMOVE(ARRAY[%(expressions)s]::varchar[], NULL)"
    output_field = ArrayField(CharField())


def missing_entry_fields_sql() -> NonNullArray:
    """The names of missing entry fields, as ``clients.queries.missing_entry_fields`` lists them."""
    has_code = Exists(DisadvantageLink.objects.filter(enrolment=OuterRef("pk")))
    checks = [
        ("birth_date", Q(client__birth_date__isnull=True)),
        ("gender", Q(client__gender__isnull=True)),
        ("labour_status", Q(labour_status__isnull=True)),
        ("education", Q(education__isnull=True)),
        (
            "disadvantage",
            ~Q(disadvantage_answer__in=[DisadvantageAnswer.NONE, DisadvantageAnswer.DECLINED])
            & ~(Q(disadvantage_answer=DisadvantageAnswer.ANSWERED) & Q(has_code)),
        ),
        ("municipality", Q(client__municipality="")),
        ("postcode", Q(client__postcode="")),
    ]
    return NonNullArray(
        *(
            Case(When(condition, then=Value(name)), output_field=CharField())
            for name, condition in checks
        )
    )


def enrolments_at(
    project: Project,
    *,
    period_end: dt.date,
    locality: int | None = None,
    with_minutes: bool = True,
) -> QuerySet:
    """The project's enrolments entered by ``period_end``, with their participant status then.

    Annotations: ``has_support`` (any valid support by the period end), ``entry_complete``,
    ``crossed_on`` (the date the threshold was reached, if by the period end) and
    ``is_participant`` (threshold crossed by the period end and entry data complete), read from
    the stored ``EnrolmentSupport``; with ``with_minutes`` also ``support_minutes`` (valid
    support up to the period end). ``locality`` (a Locality id) keeps only the persons of that
    locality (the client's locality), for a report about one locality.
    """
    enrolments = Enrolment.objects.filter(project=project, entry_date__lte=period_end)
    if locality is not None:
        enrolments = enrolments.filter(client__locality=locality)
    if with_minutes:
        enrolments = enrolments.annotate(support_minutes=support_minutes_until(period_end))
    dated = _dated_flags(period_end)
    return enrolments.annotate(
        has_support=dated["has_support"],
        entry_complete=_flag(entry_data_complete()),
        crossed_on=dated["crossed_on"],
    ).annotate(is_participant=dated["is_participant"])


def _dated_flags(period_end: dt.date) -> dict:
    """The columns of ``enrolments_at`` that depend on the period end (``DATED_FLAGS``).

    ``is_participant`` reads the ``entry_complete`` annotation, so it goes in a later
    ``annotate`` than that one.
    """
    return {
        "has_support": _flag(Q(support__first_support_on__lte=period_end)),
        "crossed_on": Case(
            When(threshold_crossed_by(period_end), then=F("support__threshold_crossed_on")),
            output_field=DateField(),
        ),
        "is_participant": _flag(threshold_crossed_by(period_end) & Q(entry_complete=True)),
    }


def _with_disadvantage(*codes: str) -> Exists:
    links = DisadvantageLink.objects.filter(enrolment=OuterRef("pk"))
    if codes:
        links = links.filter(monitoringcode__code__in=codes)
    return Exists(links)


def _with_exit_situation(*codes: str) -> Exists:
    return Exists(
        ExitSituationLink.objects.filter(enrolment=OuterRef("pk"), monitoringcode__code__in=codes)
    )


def _with_flags(enrolments: QuerySet, period_end: dt.date) -> QuerySet:
    """The per-enrolment facts the indicators test, each a boolean column.

    The indicator conditions read only these columns, ``has_support``, ``crossed_on`` and
    ``is_participant``: in the aggregate of ``indicator_values`` they are columns of one inner
    query, so the link-table subqueries run once per enrolment, not once per indicator.
    """
    return enrolments.annotate(**_fact_flags(), exited=_exited_flag(period_end))


def _fact_flags() -> dict:
    """The flags of ``_with_flags`` that are facts of the enrolment, whatever the period end."""
    return {
        "gender_code": F("client__gender__code"),
        "has_homeless": _flag(_with_disadvantage(HOMELESS)),
        "has_minority": _flag(_with_disadvantage(MINORITY)),
        "has_disadvantage": _flag(_with_disadvantage()),
        "purpose_fulfilled_at_exit": _flag(_with_exit_situation(PURPOSE_FULFILLED)),
        "active_after_exit": _flag(_with_exit_situation(*ACTIVE_AFTER_EXIT)),
    }


def _exited_flag(period_end: dt.date) -> ExpressionWrapper:
    return _flag(Q(exit_date__isnull=False, exit_date__lte=period_end))


# The flag columns whose value depends on the period end; ``entered`` is the ``entry_date``
# filter of ``enrolments_at`` as a column, for rows that serve several period ends.
DATED_FLAGS = ("entered", "has_support", "crossed_on", "is_participant", "exited")


def _flag_rows(
    project: Project,
    period_ends: list[dt.date],
    locality: int | None = None,
    *,
    every_entry: bool = False,
) -> QuerySet:
    """The rows of ``_with_flags(enrolments_at(…))`` for several period ends at once.

    The facts of an enrolment are one column each; every flag of ``DATED_FLAGS`` is one
    column per period end, named with the suffix ``_<index in period_ends>``, so one scan of
    the enrolments (and of their link tables) serves every date. A figure at a date counts
    the rows with ``entered_<index>``. Rows: the enrolments entered by the latest date, or
    with ``every_entry`` all the project's enrolments.
    """
    enrolments = Enrolment.objects.filter(project=project)
    if not every_entry:
        enrolments = enrolments.filter(entry_date__lte=max(period_ends))
    if locality is not None:
        enrolments = enrolments.filter(client__locality=locality)
    enrolments = enrolments.annotate(entry_complete=_flag(entry_data_complete()), **_fact_flags())
    dated = {}
    for index, period_end in enumerate(period_ends):
        flags = {
            "entered": _flag(Q(entry_date__lte=period_end)),
            **_dated_flags(period_end),
            "exited": _exited_flag(period_end),
        }
        dated.update({f"{name}_{index}": flag for name, flag in flags.items()})
    return enrolments.annotate(**dated)


def _terms(project: Project) -> dict[str, dict]:
    """Each person-based figure as the flag values a ``_with_flags(enrolments_at(…))`` row needs.

    The one definition of the figures: ``_conditions`` makes filters of it (drill-downs),
    ``figure_counts`` the SQL of its one aggregate. Keys are flag columns, with ``__isnull``
    for a NULL test; values are what the column must be.
    """
    participant = {"is_participant": True}
    supported = {"has_support": True}
    return {
        "supported": supported,
        "below_threshold": {**supported, "crossed_on__isnull": True},
        "over_threshold_incomplete": {"crossed_on__isnull": False, "entry_complete": False},
        "participants": participant,
        "participants_men": {**participant, "gender_code": MEN},
        "participants_women": {**participant, "gender_code": WOMEN},
        "participants_homeless": {**participant, "has_homeless": True},
        "participants_minorities": {**participant, "has_minority": True},
        "service_use": (
            supported
            if project.participants_in_service_use
            else {**supported, "is_participant": False}
        ),
        "purpose_fulfilled": {**participant, "exited": True, "purpose_fulfilled_at_exit": True},
        "disadvantaged_after_exit": {
            **participant,
            "exited": True,
            "has_disadvantage": True,
            "active_after_exit": True,
        },
    }


def _conditions(project: Project) -> dict[str, Q]:
    """The condition of each person-based indicator on ``_with_flags(enrolments_at(…))`` rows."""
    return {name: Q(**terms) for name, terms in _terms(project).items()}


def _sql_condition(terms: dict, index: int | None = None) -> tuple[str, list]:
    """``terms`` as SQL over the columns of the flag rows, the same test as ``Q(**terms)``.

    With ``index``, over the rows of ``_flag_rows`` at the period end of that index.
    """
    parts, params = [], []
    for key, value in terms.items():
        column, _, lookup = key.partition("__")
        if index is not None and column in DATED_FLAGS:
            column = f"{column}_{index}"
        name = connection.ops.quote_name(column)
        if lookup == "isnull":
            parts.append(f"{name} IS {'' if value else 'NOT '}NULL")
        elif isinstance(value, bool):
            parts.append(f"{name} IS {'TRUE' if value else 'FALSE'}")
        else:
            parts.append(f"{name} = %s")
            params.append(value)
    return " AND ".join(parts), params


def _indicator_rows(
    project: Project,
    period_end: dt.date,
    name: str,
    locality: int | None = None,
    *,
    with_minutes: bool = False,
) -> QuerySet:
    enrolments = enrolments_at(
        project, period_end=period_end, locality=locality, with_minutes=with_minutes
    )
    return _with_flags(enrolments, period_end).filter(_conditions(project)[name])


def _count(project: Project, period_end: dt.date, name: str, locality: int | None = None) -> int:
    return _indicator_rows(project, period_end, name, locality).count()


def participants(project: Project, *, period_end: dt.date) -> int:
    """6 00 00 / 600 000 (EECO01) Total participants (DOMAIN.md §2, §4).

    Identified persons whose cumulative valid support in the project — all key activities and
    workers, between entry and exit — reached the project's threshold (inclusive) by
    ``period_end`` and whose entry monitoring data are complete; cumulative from the project
    start. Anonymous contacts and head counts never count; a person enrolled in two projects
    counts in each.
    """
    return _count(project, period_end, "participants")


def participants_homeless(project: Project, *, period_end: dt.date) -> int:
    """6 18 00 (CO18 / EECO16) Homeless or excluded from access to housing (DOMAIN.md §4).

    Participants (as ``participants``) with the disadvantage code ``PBOBP`` at entry.
    """
    return _count(project, period_end, "participants_homeless")


def participants_minorities(project: Project, *, period_end: dt.date) -> int:
    """6 15 00 (CO15 / EECO15) Migrants, foreign origin, minorities incl. Roma (DOMAIN.md §4).

    Participants with the self-declared disadvantage code ``ZNMIG`` at entry (never a staff
    estimate: "declined" records no code).
    """
    return _count(project, period_end, "participants_minorities")


def service_use(project: Project, *, period_end: dt.date) -> int:
    """6 70 10 / 670 102 Use of supported services (DOMAIN.md §2, §4).

    Identified persons with at least one valid support in the project up to ``period_end``,
    each once (one enrolment per person and project). Participants are included when the
    project's ``participants_in_service_use`` setting says so (the default), else left out.
    """
    return _count(project, period_end, "service_use")


def purpose_fulfilled(project: Project, *, period_end: dt.date) -> int:
    """6 73 10 Former participants for whom social work fulfilled its purpose (DOMAIN.md §4).

    Participants who exited by ``period_end`` with the exit situation ``SPUINU``.
    """
    return _count(project, period_end, "purpose_fulfilled")


def disadvantaged_after_exit(project: Project, *, period_end: dt.date) -> int:
    """6 28 00 (CR05) Disadvantaged participants active after exit (DOMAIN.md §4).

    Participants who exited by ``period_end`` with any disadvantage code at entry and an exit
    situation of education (``SPVZD``), qualification (``SPUKV``) or supported employment
    (``SPZOUM``) — the codes of the funder's list for "job search / education / qualification
    / employed".
    """
    return _count(project, period_end, "disadvantaged_after_exit")


def persons_below_threshold(
    project: Project, *, period_end: dt.date, locality: int | None = None
) -> int:
    """Persons supported below the threshold (DOMAIN.md §2): registered, not participants.

    Enrolled identified persons with valid support up to ``period_end`` whose cumulative
    valid support has not reached the project's threshold (39 h 59 min of a 40 h threshold is
    below it). They count in service use; their count is a state at the period end, not a
    number that only grows.
    """
    return _count(project, period_end, "below_threshold", locality)


def over_threshold_incomplete(
    project: Project, *, period_end: dt.date, locality: int | None = None
) -> int:
    """Persons over the threshold by ``period_end`` not counted for incomplete entry data.

    "Over the threshold, not counted: missing …" (DOMAIN.md §2): the drill-down lists the
    missing fields of each.
    """
    return _count(project, period_end, "over_threshold_incomplete", locality)


def capacity(project: Project, *, period_end: dt.date | None = None) -> Decimal | None:
    """6 70 01 Capacity of supported services (DOMAIN.md §4).

    Not computed: the figure the administrator entered as the indicator's ``manual_value``
    (persons at once or FTE, per the grant decision); None when not entered.
    """
    return (
        ProjectIndicator.objects.filter(project=project)
        .alias(plain_code=Replace("code", Value(" "), Value("")))
        .filter(plain_code=CAPACITY_CODE)
        .values_list("manual_value", flat=True)
        .first()
    )


def output_documents(project: Project, *, period_end: dt.date) -> int:
    """8 05 00 Analytical and strategic documents written and published (DOMAIN.md §4).

    The project's ``OutputDocument`` rows published on or before ``period_end``.
    """
    return _output_documents(project, period_end).count()


def _output_documents(project: Project, period_end: dt.date) -> QuerySet:
    return OutputDocument.objects.filter(project=project, published_on__lte=period_end)


# --- Breakdowns of participants (DOMAIN.md §4) ------------------------------------------------


def _participant_rows(
    project: Project, period_end: dt.date, locality: int | None = None
) -> QuerySet:
    return (
        enrolments_at(project, period_end=period_end, locality=locality, with_minutes=False)
        .filter(is_participant=True)
        .order_by()
    )


def _grouped(rows: QuerySet, key: str) -> dict[str, int]:
    counted = rows.values(key).annotate(persons=Count("pk", distinct=True)).order_by(key)
    return {row[key] or UNKNOWN: row["persons"] for row in counted}


def participants_by_gender(
    project: Project, *, period_end: dt.date, locality: int | None = None
) -> dict[str, int]:
    """Participants per gender code (``POHMUZI``, ``POHZENY``, …), one GROUP BY."""
    rows = _participant_rows(project, period_end, locality).annotate(key=F("client__gender__code"))
    return _grouped(rows, "key")


def participants_by_age_band(
    project: Project, *, period_end: dt.date, locality: int | None = None
) -> dict[str, int]:
    """Participants per age band at entry: "<18", "18-24", "25-54", "55+" (DOMAIN.md §4)."""
    age = AgeAtEntry(F("entry_date"), F("client__birth_date"))
    whens = []
    for label, lowest, highest in AGE_BANDS:
        condition = Q()
        if lowest is not None:
            condition &= Q(age__gte=lowest)
        if highest is not None:
            condition &= Q(age__lte=highest)
        whens.append(When(condition, then=Value(label)))
    rows = (
        _participant_rows(project, period_end, locality)
        .annotate(age=age)
        .annotate(key=Case(*whens, default=Value(UNKNOWN), output_field=CharField()))
    )
    return _grouped(rows, "key")


def participants_by_labour_status(
    project: Project, *, period_end: dt.date, locality: int | None = None
) -> dict[str, int]:
    """Participants per labour-market status code at entry (``TPDNEZ``, …)."""
    rows = _participant_rows(project, period_end, locality).annotate(key=F("labour_status__code"))
    return _grouped(rows, "key")


def participants_by_education(
    project: Project, *, period_end: dt.date, locality: int | None = None
) -> dict[str, int]:
    """Participants per highest-education code at entry (``VZISCED1-2``, …)."""
    rows = _participant_rows(project, period_end, locality).annotate(key=F("education__code"))
    return _grouped(rows, "key")


def participants_by_locality(project: Project, *, period_end: dt.date) -> dict[str, int]:
    """Participants per locality (the client's locality name; "" without one), one GROUP BY.

    Published reports show counts of 1–4 as "< 5" (``reports.suppression``).
    """
    rows = _participant_rows(project, period_end).annotate(key=F("client__locality__name"))
    return _grouped(rows, "key")


def participants_by_disadvantage(
    project: Project, *, period_end: dt.date, locality: int | None = None
) -> dict[str, int]:
    """Participants per disadvantage code at entry; a person with several codes is in each."""
    counted = (
        DisadvantageLink.objects.filter(
            enrolment__in=_participant_rows(project, period_end, locality).values("pk")
        )
        .values("monitoringcode__code")
        .annotate(persons=Count("enrolment", distinct=True))
        .order_by("monitoringcode__code")
    )
    return {row["monitoringcode__code"]: row["persons"] for row in counted}


# --- Drill-downs: who counts and why, who is missing what -------------------------------------


DRILLDOWN_FIELDS = (
    "client_id",
    "code",
    "name",
    "support_minutes",
    "crossed_on",
    "entry_complete",
    "is_participant",
    "missing_fields",
)


def _drilldown_rows(
    project: Project, period_end: dt.date, name: str, locality: int | None = None
) -> QuerySet:
    return (
        _indicator_rows(project, period_end, name, locality, with_minutes=True)
        .annotate(
            code=F("client__code"),
            name=Concat(
                "client__last_name", Value(" "), "client__first_name", output_field=CharField()
            ),
            missing_fields=missing_entry_fields_sql(),
        )
        .order_by("client__last_name", "client__first_name", "client_id")
        .values(*DRILLDOWN_FIELDS)
    )


def participants_drilldown(project: Project, period_end: dt.date) -> QuerySet:
    """Every enrolled person with valid support by ``period_end``: who counts and why not.

    One row (a dict) per enrolment: ``client_id``, client ``code``, ``name``,
    ``support_minutes``, ``crossed_on`` (date the threshold was reached, or None),
    ``entry_complete``, ``is_participant`` and ``missing_fields`` (names as in
    ``clients.queries.ENTRY_FIELD_LABELS``). A person over the threshold with missing fields is
    "over the threshold, not counted: missing …". One query.
    """
    return _drilldown_rows(project, period_end, "supported")


def indicator_drilldown(
    project: Project, code: str, period_end: dt.date, locality: int | None = None
) -> QuerySet:
    """The persons (or documents) behind one indicator's value, by indicator code.

    ``code`` is an indicator code ("6 00 00", "60000") or the name of an engine figure
    (``ENGINE_FIGURES``: "below_threshold", "over_threshold_incomplete", "supported").
    """
    name = INDICATOR_CODES.get(normalise_code(code)) or (code if code in ENGINE_FIGURES else None)
    if name == "output_documents":
        return _output_documents(project, period_end).values("pk", "title", "published_on")
    if name is None or name == "capacity":
        return _drilldown_rows(project, period_end, "supported").none()
    return _drilldown_rows(project, period_end, name, locality)


# --- All indicators of a project --------------------------------------------------------------


CAPACITY_CODE = "67001"
INDICATOR_CODES = {
    "60000": "participants",
    "600000": "participants",
    "60001": "participants_men",
    "60002": "participants_women",
    "61800": "participants_homeless",
    "61500": "participants_minorities",
    "67001": "capacity",
    "67010": "service_use",
    "670102": "service_use",
    "67310": "purpose_fulfilled",
    "62800": "disadvantaged_after_exit",
    "80500": "output_documents",
}


@dataclass(frozen=True)
class IndicatorValue:
    """One row of the indicator table: the grant decision's figures and the achieved value."""

    code: str
    name: str
    unit: str
    baseline: Decimal
    target: Decimal
    value: Decimal | int | None
    computed: bool

    @property
    def percent_of_target(self) -> Decimal | None:
        """The value as a percentage of the target, one decimal place; None without either."""
        if self.value is None or not self.target:
            return None
        percent = Decimal(self.value) * 100 / self.target
        return percent.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


# Figures of the engine that are no funder indicator but belong next to them (drill-downs too).
ENGINE_FIGURES = ("supported", "below_threshold", "over_threshold_incomplete")
FIGURE_LABELS = {
    "supported": _("Persons with valid support"),
    "below_threshold": _("Persons supported below the threshold"),
    "over_threshold_incomplete": _("Over the threshold, not counted: entry data missing"),
}


def figure_counts(
    project: Project, period_end: dt.date, locality: int | None = None
) -> dict[str, int]:
    """Every person-based figure at ``period_end`` in one aggregate, plus output documents.

    Keys: the names of ``_conditions`` and ``output_documents``. One query.
    """
    return figure_counts_at(project, [period_end], locality)[0]


def figure_counts_at(
    project: Project, period_ends: list[dt.date], locality: int | None = None
) -> list[dict[str, int]]:
    """``figure_counts`` at each of ``period_ends``, in one aggregate over one scan. One query.

    The statement is compiled once per project and shape (``casework.compiled``).
    """
    sql, params = bound_sql(_figure_counts_sql, (*_project_shape(project), locality), period_ends)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return _split_counts(project, period_ends, cursor.fetchone())


def _project_shape(project: Project) -> tuple[int, bool, int]:
    """What the indicator statements read of a project, as ``bound_sql`` arguments."""
    return project.pk, project.participants_in_service_use, project.participant_threshold_minutes


def _shape_project(project_pk: int, service_use: bool, threshold: int) -> Project:
    """An unsaved stand-in for the project of ``_project_shape``: the query builders read
    only its primary key and these settings."""
    return Project(
        pk=project_pk,
        participants_in_service_use=service_use,
        participant_threshold_minutes=threshold,
    )


def _figure_counts_sql(
    project_pk: int, service_use: bool, threshold: int, locality: int | None, period_ends
) -> tuple[str, list]:
    project = _shape_project(project_pk, service_use, threshold)
    rows = _flag_values(project, period_ends, locality)
    selects, params = _figure_selects(project, period_ends)
    inner_sql, inner_params = rows.query.sql_with_params()
    # ``OFFSET 0`` keeps the flag rows a subquery of their own: PostgreSQL would otherwise
    # pull it up and run the link-table subqueries once per figure instead of once per
    # enrolment.
    sql = f"SELECT {', '.join(selects)} FROM ({inner_sql} OFFSET 0) AS flags"  # noqa: S608
    return sql, [*params, *inner_params]


def _flag_values(
    project: Project,
    period_ends: list[dt.date],
    locality: int | None = None,
    *,
    every_entry: bool = False,
    fields: tuple[str, ...] = (),
    **extra,
) -> QuerySet:
    """``_flag_rows`` as ``values()``: the flag columns the figures read, ``fields`` and
    the ``extra`` annotations."""
    read = sorted({key.partition("__")[0] for terms in _terms(project).values() for key in terms})
    columns = [name for name in read if name not in DATED_FLAGS]
    for index in range(len(period_ends)):
        columns += [f"{name}_{index}" for name in ("entered", *read) if name in DATED_FLAGS]
    rows = _flag_rows(project, period_ends, locality, every_entry=every_entry)
    if extra:
        rows = rows.annotate(**extra)
    return rows.order_by().values("pk", *fields, *columns, *extra)


def _figure_selects(project: Project, period_ends: list[dt.date]) -> tuple[list[str], list]:
    """The outer COUNTs of every figure at each period end over ``_flag_values`` rows.

    Written here rather than by ``aggregate()``: Django would walk every flag's whole
    expression once per figure to refer to it, which costs more than the query itself. The
    output documents of each date come in the same round trip, as a scalar subquery.
    """
    terms = _terms(project)
    selects, params = [], []
    for index, period_end in enumerate(period_ends):
        for figure in terms.values():
            condition, condition_params = _sql_condition({"entered": True, **figure}, index)
            selects.append(f"COUNT(*) FILTER (WHERE {condition})")
            params += condition_params
        documents = (
            _output_documents(project, period_end)
            .order_by()
            .values("project")
            .annotate(n=Count("pk"))
            .values("n")
        )
        documents_sql, documents_params = documents.query.sql_with_params()
        selects.append(f"COALESCE(({documents_sql}), 0)")
        params += documents_params
    return selects, params


def _split_counts(project: Project, period_ends: list[dt.date], row) -> list[dict[str, int]]:
    """The values of ``_figure_selects`` as one ``figure_counts`` dict per period end."""
    keys = [*_terms(project), "output_documents"]
    return [
        dict(zip(keys, row[index * len(keys) : (index + 1) * len(keys)], strict=True))
        for index in range(len(period_ends))
    ]


def indicator_values(
    project: Project,
    period_end: dt.date,
    *,
    locality: int | None = None,
    counts: dict[str, int] | None = None,
) -> list[IndicatorValue]:
    """The project's indicators with their values at ``period_end`` (cumulative), by code.

    Two queries whatever the data: the indicator rows and one aggregate over the enrolments
    (every person-based indicator as a filtered COUNT, and the output documents); only the
    first when the caller has the ``figure_counts`` at ``period_end`` as ``counts``. An
    indicator the engine does not know keeps its ``manual_value`` (None when not entered).
    """
    indicators = list(ProjectIndicator.objects.filter(project=project).order_by("code"))
    if counts is None:
        counts = figure_counts(project, period_end, locality)
    return _indicator_rows_from(indicators, counts)


def _indicator_rows_from(indicators, counts: dict[str, int]) -> list[IndicatorValue]:
    rows = []
    for indicator in indicators:
        name = INDICATOR_CODES.get(normalise_code(indicator.code))
        computed = name is not None and name != "capacity"
        rows.append(
            IndicatorValue(
                code=indicator.code,
                name=indicator.name,
                unit=indicator.unit,
                baseline=indicator.baseline,
                target=indicator.target,
                value=counts[name] if computed else indicator.manual_value,
                computed=computed,
            )
        )
    return rows


# --- The indicator table of a period ---------------------------------------------------------


def _percent(value, target) -> Decimal | None:
    if value is None or not target:
        return None
    percent = Decimal(value) * 100 / target
    return percent.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class IndicatorRow:
    """One indicator in a period: achieved in the period and cumulative at its end."""

    code: str
    name: str
    unit: str
    baseline: Decimal
    target: Decimal
    in_period: Decimal | int | None
    cumulative: Decimal | int | None
    computed: bool

    @property
    def percent_in_period(self) -> Decimal | None:
        return _percent(self.in_period, self.target)

    @property
    def percent_of_target(self) -> Decimal | None:
        """The cumulative value as a percentage of the target, one decimal, half up."""
        return _percent(self.cumulative, self.target)


@dataclass(frozen=True)
class IndicatorTable:
    start: dt.date
    end: dt.date
    rows: list[IndicatorRow]
    # Engine figures at the period end (``ENGINE_FIGURES``) and output documents.
    figures: dict[str, int]


def indicator_table(
    project: Project, *, start: dt.date, end: dt.date, locality: int | None = None
) -> IndicatorTable:
    """The project's indicators for the period ``start``–``end`` (DOMAIN.md §4, §5).

    ``cumulative`` is the value at ``end`` counted from the project start (what the
    implementation report asks for); ``in_period`` is what was achieved within the period:
    the cumulative value at ``end`` less the cumulative value the day before ``start`` (a
    participant counts in the period in which they crossed the threshold with complete data;
    a former participant in the period of their exit). Values entered by hand (capacity) are
    the same in both. A range starting on or before the project start is the cumulative one.
    Two queries: the indicator rows and one aggregate at both dates.
    """
    indicators = list(ProjectIndicator.objects.filter(project=project).order_by("code"))
    if start > project.start_date:
        at_end, before = figure_counts_at(project, [end, start - dt.timedelta(days=1)], locality)
    else:
        at_end = figure_counts(project, end, locality)
        before = dict.fromkeys(at_end, 0)
    cumulative = _indicator_rows_from(indicators, at_end)
    earlier = _indicator_rows_from(indicators, before)
    rows = [
        IndicatorRow(
            code=row.code,
            name=row.name,
            unit=row.unit,
            baseline=row.baseline,
            target=row.target,
            in_period=(row.value - previous.value) if row.computed else row.value,
            cumulative=row.value,
            computed=row.computed,
        )
        for row, previous in zip(cumulative, earlier, strict=True)
    ]
    return IndicatorTable(start=start, end=end, rows=rows, figures=at_end)


# --- The project dashboard: who is close, who is missing data ---------------------------------

DASHBOARD_LIST_LIMIT = 20


@dataclass(frozen=True)
class ApproachingRow:
    """An enrolment close to the threshold (``DashboardFigures.approaching``)."""

    client_id: int
    code: str
    first_name: str
    last_name: str
    support_minutes: int
    remaining_minutes: int

    @property
    def full_name(self) -> str:
        """As ``Client.full_name``."""
        return f"{self.first_name} {self.last_name}"


@dataclass(frozen=True)
class DashboardFigures:
    counts: dict[str, int]  # ``figure_counts`` at the period end
    participants_at: list[int]
    approaching: list[ApproachingRow]
    missing: list[dict]


def dashboard_figures(
    project: Project,
    period_end: dt.date,
    chart_ends: list[dt.date],
    *,
    limit: int = DASHBOARD_LIST_LIMIT,
) -> DashboardFigures:
    """Everything the project dashboard counts and lists, in one query.

    - ``counts``: ``figure_counts(project, period_end)``.
    - ``participants_at``: participants at each of ``chart_ends`` (a chart of the periods):
      the enrolments with complete entry data whose stored crossing date is on or before the
      date (entry completeness is today's state, as in ``participants``).
    - ``approaching``: enrolments at 75 % or more of the threshold but under it, not yet
      participants, by valid support up to ``period_end`` (``support_minutes_until``, the
      definition of ``clients.queries.with_participant_status``); enrolments that exited
      before ``period_end`` are left out. Closest to the threshold first, at most ``limit``.
    - ``missing``: persons over the threshold by ``period_end`` not counted for incomplete
      entry data: rows of ``participants_drilldown`` (dicts with ``missing_fields``), in its
      order, at most ``limit``.

    All of it reads one scan of the project's enrolments (``_flag_rows``, the rows of the
    figures), materialised once and then counted and listed. The statement is compiled once
    per project and number of chart dates (``casework.compiled``).
    """
    threshold = project.participant_threshold_minutes
    sql, params = bound_sql(
        _dashboard_sql, (*_project_shape(project), limit), [period_end, *chart_ends]
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    approaching, missing = row[-2] or [], row[-1] or []
    chart = list(row[-2 - len(chart_ends) : -2])
    return DashboardFigures(
        counts=_split_counts(project, [period_end], row[: -2 - len(chart_ends)])[0],
        participants_at=chart,
        approaching=[
            ApproachingRow(
                client_id=client_id,
                code=code,
                first_name=first_name,
                last_name=last_name,
                support_minutes=minutes,
                remaining_minutes=threshold - minutes,
            )
            for client_id, code, first_name, last_name, minutes in approaching
        ],
        missing=[
            {
                "client_id": client_id,
                "code": code,
                "name": f"{last_name} {first_name}",  # as ``_drilldown_rows`` writes it
                "support_minutes": minutes,
                "crossed_on": dt.date.fromisoformat(crossed_on),
                "entry_complete": entry_complete,
                "is_participant": is_participant,
                "missing_fields": missing_fields,
            }
            for (
                client_id,
                code,
                last_name,
                first_name,
                minutes,
                crossed_on,
                entry_complete,
                is_participant,
                missing_fields,
            ) in missing
        ],
    )


def _dashboard_sql(
    project_pk: int, service_use: bool, threshold: int, limit: int, dates: list[dt.date]
) -> tuple[str, list]:
    """The statement of ``dashboard_figures``; ``dates``: the period end, then the chart's."""
    project = _shape_project(project_pk, service_use, threshold)
    period_end, *chart_ends = dates
    lowest = -(-threshold * 3 // 4)  # 75 % of the threshold, rounded up to a whole minute
    rows = _flag_values(
        project,
        [period_end],
        every_entry=True,  # the chart counts whenever the enrolment entered
        fields=("client_id", "exit_date"),
        code=F("client__code"),
        first_name=F("client__first_name"),
        last_name=F("client__last_name"),
        # Only for the enrolments entered by then: the support span of a later entry is empty.
        support_minutes=Case(
            When(entry_date__lte=period_end, then=support_minutes_until(period_end)),
            output_field=IntegerField(),
        ),
        threshold_crossed_on=F("support__threshold_crossed_on"),
        missing_fields=missing_entry_fields_sql(),
    )
    selects, params = _figure_selects(project, [period_end])
    for end in chart_ends:
        selects.append(
            'COUNT(*) FILTER (WHERE "entry_complete" IS TRUE AND "threshold_crossed_on" <= %s)'
        )
        params.append(end)
    # The lists as JSON arrays of rows, each ordered as its ``ORDER BY``.
    selects.append(
        """(SELECT JSON_AGG(JSON_BUILD_ARRAY(
                "client_id", "code", "first_name", "last_name", "support_minutes")
                ORDER BY "support_minutes" DESC, "last_name", "first_name", "pk")
            FROM (SELECT * FROM "flags"
                  WHERE "entered_0" IS TRUE
                    AND ("exit_date" IS NULL OR "exit_date" >= %s)
                    AND "support_minutes" >= %s AND "support_minutes" < %s
                    AND "is_participant_0" IS NOT TRUE
                  ORDER BY "support_minutes" DESC, "last_name", "first_name", "pk"
                  LIMIT %s) AS "approaching")"""
    )
    params += [period_end, lowest, threshold, limit]
    selects.append(
        """(SELECT JSON_AGG(JSON_BUILD_ARRAY(
                "client_id", "code", "last_name", "first_name", "support_minutes",
                "crossed_on_0", "entry_complete", "is_participant_0", "missing_fields")
                ORDER BY "last_name", "first_name", "client_id")
            FROM (SELECT * FROM "flags"
                  WHERE "entered_0" IS TRUE AND "has_support_0" IS TRUE
                    AND "crossed_on_0" IS NOT NULL AND "entry_complete" IS FALSE
                  ORDER BY "last_name", "first_name", "client_id"
                  LIMIT %s) AS "missing")"""
    )
    params.append(limit)
    inner_sql, inner_params = rows.query.sql_with_params()
    # Materialised: the flag rows are computed once for the counts and both lists.
    sql = (
        f'WITH "flags" AS MATERIALIZED ({inner_sql}) '  # noqa: S608 - no input
        f'SELECT {", ".join(selects)} FROM "flags"'
    )
    return sql, [*inner_params, *params]
