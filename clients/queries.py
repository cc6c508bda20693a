"""Support hours and participant status of enrolments (DOMAIN.md §2 and §3), in SQL.

These annotations are the one definition of "valid support" and "complete entry data" that the
case file, the client list filter and the funder reports share.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.postgres.lookups import DataContains, TrigramSimilar
from django.db.models import (
    BooleanField,
    Case,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Least
from django.utils.translation import gettext_lazy as _

from casework.models import DateRange, InterventionParticipant
from clients.models import (
    Client,
    DisadvantageAnswer,
    Enrolment,
    folded,
    folded_full_name,
)

# A date after any real exit: an open enrolment counts support up to today and beyond.
OPEN_END = dt.date(9999, 12, 31)


def valid_support_minutes(
    *,
    client_ref: str = "client",
    project_ref: str = "project",
    entry_ref: str = "entry_date",
    exit_ref: str = "exit_date",
    until: dt.date | None = None,
) -> Coalesce:
    """Minutes of valid support of an enrolment, as a correlated subquery.

    Valid support (DOMAIN.md §2) is every intervention of the enrolment's project at which the
    client was an identified participant, dated on or after the entry date and on or before
    the exit date (and ``until``, for a report's period end). A group session gives each
    identified attendee its full duration; anonymous head counts never count.
    """
    # "Within [entry, exit]" as range containment rather than two comparisons: PostgreSQL
    # guesses that comparisons with the outer row select 0.5 % of the interventions and hashes
    # them all, by date, once per enrolment (26 s for the client list's participant filter at
    # seed_demo --scale 10); the containment leaves it the cheap index path from the client's
    # participations to their interventions (0.5 s).
    upper = Coalesce(OuterRef(exit_ref), Value(OPEN_END))
    if until is not None:
        # In the range too, not a comparison: a literal date makes PostgreSQL scan the whole
        # project's interventions per enrolment.
        upper = Least(upper, Value(until))
    support_span = DateRange(OuterRef(entry_ref), upper, Value("[]"))
    participations = InterventionParticipant.objects.alias(
        intervention_project_plain=F("intervention__project") + 0
    ).filter(
        DataContains(support_span, F("intervention__date")),
        # ``project_id + 0``: no index on it, so the client's few participations drive the plan
        # rather than a read of all the project's interventions per enrolment.
        Q(intervention_project_plain=OuterRef(project_ref)),
        client=OuterRef(client_ref),
    )
    total = (
        participations.order_by()
        .values("client")
        .annotate(minutes=Sum("intervention__duration_minutes"))
        .values("minutes")
    )
    return Coalesce(Subquery(total, output_field=IntegerField()), Value(0))


def any_disadvantage_code() -> Exists:
    """The enrolment has at least one disadvantage code (a condition on Enrolment rows)."""
    return Exists(Enrolment.disadvantages.through.objects.filter(enrolment=OuterRef("pk")))


def entry_data_complete() -> Q:
    """Complete entry monitoring data (DOMAIN.md §3), as a condition on Enrolment rows.

    Date of birth, gender, labour-market status, education, the disadvantage answer (codes,
    "none" or a documented "declined"), entry date, municipality and postcode.
    """
    return (
        Q(client__birth_date__isnull=False)
        & Q(client__gender__isnull=False)
        & Q(labour_status__isnull=False)
        & Q(education__isnull=False)
        & (
            Q(disadvantage_answer__in=[DisadvantageAnswer.NONE, DisadvantageAnswer.DECLINED])
            | (Q(disadvantage_answer=DisadvantageAnswer.ANSWERED) & Q(any_disadvantage_code()))
        )
        & ~Q(client__municipality="")
        & ~Q(client__postcode="")
    )


def support_minutes_until(until: dt.date | None = None):
    """Minutes of valid support of an enrolment up to ``until`` (all of it without a date).

    The stored total (``EnrolmentSupport``) whenever the enrolment's last support is on or
    before ``until``; only an enrolment with support after that date is summed from the log
    (``valid_support_minutes``). PostgreSQL evaluates the CASE lazily, so a report on the
    current period reads one stored column per enrolment.
    """
    stored = Coalesce(F("support__support_minutes"), Value(0))
    if until is None:
        return stored
    return Case(
        When(
            Q(support__last_support_on__isnull=True) | Q(support__last_support_on__lte=until),
            then=stored,
        ),
        default=valid_support_minutes(until=until),
        output_field=IntegerField(),
    )


def threshold_crossed_by(until: dt.date | None = None) -> Q:
    """The enrolment's valid support reached the project's threshold by ``until`` (ever)."""
    crossed = Q(support__threshold_crossed_on__isnull=False)
    if until is not None:
        crossed &= Q(support__threshold_crossed_on__lte=until)
    return crossed


def with_participant_status(enrolments: QuerySet, *, until: dt.date | None = None) -> QuerySet:
    """Annotate enrolments with ``support_minutes``, ``entry_complete`` and ``is_participant``.

    A participant has at least the project's threshold of valid support (inclusive: 40 h 00 min
    counts, 39 h 59 min does not) by ``until`` and complete entry data.
    """
    return enrolments.annotate(
        support_minutes=support_minutes_until(until),
        entry_complete=Case(
            When(entry_data_complete(), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        ),
    ).annotate(
        is_participant=ExpressionWrapper(
            threshold_crossed_by(until) & Q(entry_complete=True),
            output_field=BooleanField(),
        )
    )


ENTRY_FIELD_LABELS = {
    "birth_date": _("date of birth"),
    "gender": _("gender"),
    "labour_status": _("labour-market status"),
    "education": _("education"),
    "disadvantage": _("disadvantage (or none / declined)"),
    "municipality": _("municipality"),
    "postcode": _("postcode"),
}


def missing_entry_fields(
    enrolment: Enrolment, *, has_disadvantage_code: bool | None = None
) -> list[str]:
    """Which entry monitoring fields are still missing (for the case file's checklist).

    Reads only the enrolment and its client. Whether the enrolment has a disadvantage code is
    ``has_disadvantage_code`` when the caller read it with the row, else the enrolment's
    ``disadvantages`` (prefetch them to avoid a query).
    """
    client = enrolment.client
    missing = []
    if client.birth_date is None:
        missing.append("birth_date")
    if client.gender_id is None:
        missing.append("gender")
    if enrolment.labour_status_id is None:
        missing.append("labour_status")
    if enrolment.education_id is None:
        missing.append("education")
    answered = enrolment.disadvantage_answer in {
        DisadvantageAnswer.NONE,
        DisadvantageAnswer.DECLINED,
    }
    if not answered and enrolment.disadvantage_answer == DisadvantageAnswer.ANSWERED:
        if has_disadvantage_code is None:
            has_disadvantage_code = len(enrolment.disadvantages.all()) > 0
        answered = has_disadvantage_code
    if not answered:
        missing.append("disadvantage")
    if not client.municipality:
        missing.append("municipality")
    if not client.postcode:
        missing.append("postcode")
    return missing


@dataclass(frozen=True)
class ParticipantStatus:
    """How far an enrolled client is from counting as a participant."""

    enrolment: Enrolment
    support_minutes: int
    threshold_minutes: int
    missing_fields: list[str]

    @property
    def is_participant(self) -> bool:
        return self.support_minutes >= self.threshold_minutes and not self.missing_fields

    @property
    def remaining_minutes(self) -> int:
        return max(self.threshold_minutes - self.support_minutes, 0)

    @property
    def missing_labels(self) -> list[str]:
        return [str(ENTRY_FIELD_LABELS[name]) for name in self.missing_fields]


def participant_statuses(
    enrolments: QuerySet, *, client: Client | None = None
) -> list[ParticipantStatus]:
    """Participant status of each enrolment, in one query.

    ``client``: the one client all ``enrolments`` belong to, when the caller has loaded it
    already (the case file); it is then not read again with every row.
    """
    rows = enrolments.select_related("project").annotate(
        support_minutes=support_minutes_until(), has_disadvantage_code=any_disadvantage_code()
    )
    if client is None:
        rows = rows.select_related("client")
    return statuses_of(rows, client=client)


def statuses_of(rows, *, client: Client | None = None) -> list[ParticipantStatus]:
    """``ParticipantStatus`` of enrolment rows read with their project and the annotations
    ``support_minutes`` and ``has_disadvantage_code`` (``participant_statuses``); ``client``
    as there."""
    statuses = []
    for row in rows:
        if client is not None and row.client_id == client.pk:
            row.client = client
        statuses.append(
            ParticipantStatus(
                enrolment=row,
                support_minutes=row.support_minutes,
                threshold_minutes=row.project.participant_threshold_minutes,
                missing_fields=missing_entry_fields(
                    row, has_disadvantage_code=row.has_disadvantage_code
                ),
            )
        )
    return statuses


def similar_clients(client: Client) -> QuerySet:
    """People of the client's organisation who may be the same person (the duplicate check).

    Either the same birth number, or a trigram-similar full name with accents and case ignored
    (pg_trgm ``%``, similarity at least 0.3: "Jan Nowak" finds Jan Novák, word order does not
    matter) and the same date of birth, or the same year when one of them has only the year.
    Served by ``client_birth_number_idx``, ``client_birth_date_idx`` and
    ``client_birth_year_idx``; the name is compared on those few rows.
    """
    same_birth = Q(pk__in=[])
    if client.birth_date:
        year = client.birth_date.year
        same_birth = Q(birth_date=client.birth_date) | Q(birth_date=None, birth_year=year)
    elif client.birth_year:
        same_birth = Q(birth_year=client.birth_year) | Q(birth_date__year=client.birth_year)
    similar_name = Q(TrigramSimilar(folded_full_name(), folded(Value(client.full_name))))
    condition = same_birth & similar_name
    if client.birth_number:
        condition |= Q(birth_number=client.birth_number)
    candidates = Client.objects.filter(organisation=client.organisation_id).filter(condition)
    return candidates.exclude(pk=client.pk) if client.pk else candidates
