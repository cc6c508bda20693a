"""Support hours and participant status of enrolments (DOMAIN.md §2 and §3), in SQL.

These annotations are the one definition of "valid support" and "complete entry data" that the
case file, the client list filter and the funder reports share.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.postgres.lookups import TrigramSimilar
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
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from casework.models import InterventionParticipant
from clients.models import Client, DisadvantageAnswer, Enrolment, folded, folded_full_name

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
    participations = InterventionParticipant.objects.filter(
        client=OuterRef(client_ref),
        intervention__project=OuterRef(project_ref),
        intervention__date__gte=OuterRef(entry_ref),
        intervention__date__lte=Coalesce(OuterRef(exit_ref), Value(OPEN_END)),
    )
    if until is not None:
        participations = participations.filter(intervention__date__lte=until)
    total = (
        participations.order_by()
        .values("client")
        .annotate(minutes=Sum("intervention__duration_minutes"))
        .values("minutes")
    )
    return Coalesce(Subquery(total, output_field=IntegerField()), Value(0))


def entry_data_complete() -> Q:
    """Complete entry monitoring data (DOMAIN.md §3), as a condition on Enrolment rows.

    Date of birth, gender, labour-market status, education, the disadvantage answer (codes,
    "none" or a documented "declined"), entry date, municipality and postcode.
    """
    has_disadvantage_code = Exists(
        Enrolment.disadvantages.through.objects.filter(enrolment=OuterRef("pk"))
    )
    return (
        Q(client__birth_date__isnull=False)
        & Q(client__gender__isnull=False)
        & Q(labour_status__isnull=False)
        & Q(education__isnull=False)
        & (
            Q(disadvantage_answer__in=[DisadvantageAnswer.NONE, DisadvantageAnswer.DECLINED])
            | (Q(disadvantage_answer=DisadvantageAnswer.ANSWERED) & Q(has_disadvantage_code))
        )
        & ~Q(client__municipality="")
        & ~Q(client__postcode="")
    )


def with_participant_status(enrolments: QuerySet, *, until: dt.date | None = None) -> QuerySet:
    """Annotate enrolments with ``support_minutes``, ``entry_complete`` and ``is_participant``.

    A participant has at least the project's threshold of valid support (inclusive: 40 h 00 min
    counts, 39 h 59 min does not) and complete entry data.
    """
    return enrolments.annotate(
        support_minutes=valid_support_minutes(until=until),
        entry_complete=Case(
            When(entry_data_complete(), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        ),
    ).annotate(
        is_participant=ExpressionWrapper(
            Q(support_minutes__gte=F("project__participant_threshold_minutes"))
            & Q(entry_complete=True),
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


def missing_entry_fields(enrolment: Enrolment) -> list[str]:
    """Which entry monitoring fields are still missing (for the case file's checklist).

    Reads only the enrolment and its client; prefetch ``disadvantages`` to avoid a query.
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
    if not answered and not (
        enrolment.disadvantage_answer == DisadvantageAnswer.ANSWERED
        and len(enrolment.disadvantages.all()) > 0
    ):
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


def participant_statuses(enrolments: QuerySet) -> list[ParticipantStatus]:
    """Participant status of each enrolment, in one query (plus one for disadvantage codes)."""
    rows = with_participant_status(
        enrolments.select_related("client", "project").prefetch_related("disadvantages")
    )
    return [
        ParticipantStatus(
            enrolment=row,
            support_minutes=row.support_minutes,
            threshold_minutes=row.project.participant_threshold_minutes,
            missing_fields=missing_entry_fields(row),
        )
        for row in rows
    ]


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
