"""Reads of the housing record that other screens show (the client's case file)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Case, Count, Exists, F, OuterRef, Q, QuerySet, Subquery, When, Window
from django.utils import timezone

from casework.compiled import attach_related, compiled_rows, queryset_sql, related_columns
from casework.roles import ScopeOwner, scope_owner, worker_project_ids
from clients.models import CaseAssignment, Client, Enrolment
from housing.models import HousingSituation, RiskAssessment, RiskLevel

# What the case file shows of the current housing situation, beside its ETHOS category's code
# and name and its landlord's name.
SITUATION_SUMMARY_FIELDS = (
    "valid_from",
    "tenure",
    "arrears",
    "notice_received_on",
    "eviction_on",
    "ethos",
    "landlord",
)


SITUATION_RELATED = {"ethos": ("code", "name"), "landlord": ("name",)}


@dataclass(frozen=True)
class HousingSummary:
    situation: HousingSituation | None
    latest_assessment: RiskAssessment | None

    def __bool__(self) -> bool:
        return bool(self.situation or self.latest_assessment)


def housing_summary_for_client(client, user) -> HousingSummary:
    """The client's current housing situation and latest risk assessment the user may see.

    Two statements (``casework.compiled``), each with only the columns the case file shows.
    The situation follows the client's access; the assessment is a project record, so a
    worker sees the latest one made in a project where the client is theirs.
    """
    args, ids = (scope_owner(user),), [client.pk]
    situations = compiled_rows(HousingSituation, _situation_statement, args, ids=ids)
    attach_related(situations, SITUATION_RELATED)
    assessments = compiled_rows(RiskAssessment, _assessment_statement, args, ids=ids)
    return HousingSummary(
        situation=situations[0] if situations else None,
        latest_assessment=assessments[0] if assessments else None,
    )


def _situation_statement(owner: ScopeOwner, dates, ids):
    (client,) = ids
    return queryset_sql(
        HousingSituation.objects.visible_to(owner.user)
        .current()
        .filter(client=client)
        .only(*SITUATION_SUMMARY_FIELDS)
        .annotate(**related_columns(SITUATION_RELATED))
        .order_by("-valid_from", "-pk")[:1]
    )


def _assessment_statement(owner: ScopeOwner, dates, ids):
    (client,) = ids
    return queryset_sql(
        RiskAssessment.objects.visible_to(owner.user)
        .filter(client=client)
        .only("assessed_on", "level")
        .order_by("-assessed_on", "-pk")[:1]
    )


ACUTE_EVICTION_DAYS = 30


@dataclass(frozen=True)
class AcuteCase:
    client: Client
    level: str | None
    eviction_on: dt.date | None


ACUTE_LIST_SIZE = 20


def acute_clients(projects, *, today: dt.date | None = None) -> QuerySet[Client]:
    """Clients of ``projects`` at acute risk of losing their housing, most urgent first.

    A client is listed when their latest assessment in one of the projects has the level
    acute, or when their current housing situation has an eviction date within the next
    30 days (today included; a past eviction date no longer counts). Annotated with
    ``latest_level`` and ``eviction_on``; soonest eviction first, then by name.
    """
    today = today or timezone.localdate()
    latest = RiskAssessment.objects.filter(client=OuterRef("pk"), project__in=projects).order_by(
        "-assessed_on", "-pk"
    )
    evictions = HousingSituation.objects.current().filter(
        eviction_on__gte=today,
        eviction_on__lte=today + dt.timedelta(days=ACUTE_EVICTION_DAYS),
    )
    # A client has one current situation at most (``housing_no_overlap``); ordered within the
    # client only, as the model's default order would join the client for its name.
    eviction = evictions.filter(client=OuterRef("pk")).order_by("-valid_from")
    enrolled = Enrolment.objects.filter(project__in=projects).values("client")
    ever_acute = RiskAssessment.objects.filter(project__in=projects, level=RiskLevel.ACUTE)
    return (
        Client.objects.filter(pk__in=enrolled)
        # A cheap first filter (one hashed set each, read once from the project's acute
        # assessments and the eviction index), so the latest assessment is looked up only for
        # the few clients who were ever acute or have an eviction date.
        .filter(Q(pk__in=ever_acute.values("client")) | Q(pk__in=evictions.values("client")))
        .annotate(
            latest_level=Subquery(latest.values("level")[:1]),
            # Looked up only for the few clients in the hashed set of evictions.
            eviction_on=Case(
                When(
                    pk__in=evictions.values("client"),
                    then=Subquery(eviction.values("eviction_on")[:1]),
                ),
                default=None,
            ),
        )
        .filter(Q(latest_level=RiskLevel.ACUTE) | Q(eviction_on__isnull=False))
        .order_by(F("eviction_on").asc(nulls_last=True), "last_name", "first_name", "pk")
    )


def _case(client: Client) -> AcuteCase:
    return AcuteCase(client=client, level=client.latest_level, eviction_on=client.eviction_on)


def acute_cases(projects, *, today: dt.date | None = None) -> list[AcuteCase]:
    """Every one of the ``acute_clients`` as a case, one query."""
    return [_case(client) for client in acute_clients(projects, today=today)]


def most_urgent(clients: QuerySet[Client]) -> tuple[list[AcuteCase], int]:
    """The first ``ACUTE_LIST_SIZE`` of ``acute_clients`` rows and how many there are, one query.

    The total is a window count over the filtered rows, so it comes with the listed ones.
    """
    rows = list(clients.annotate(total=Window(Count("pk")))[:ACUTE_LIST_SIZE])
    return [_case(client) for client in rows], (rows[0].total if rows else 0)


@dataclass(frozen=True)
class Baseline:
    first_situation: HousingSituation | None
    current_situation: HousingSituation | None
    first_assessment: RiskAssessment | None
    latest_assessment: RiskAssessment | None


def housing_baseline(situations: list, assessments: list) -> Baseline:
    """Enrolment baseline vs now from the rows a screen already loaded (no queries).

    ``situations`` and ``assessments`` are newest first, as the housing screen lists them.
    """
    current = next((s for s in situations if s.valid_to is None), None)
    return Baseline(
        first_situation=situations[-1] if situations else None,
        current_situation=current,
        first_assessment=assessments[-1] if assessments else None,
        latest_assessment=assessments[0] if assessments else None,
    )


SPARK_WIDTH = 160
SPARK_HEIGHT = 40


def sparkline_points(assessments: list) -> str:
    """SVG polyline points of the scores, oldest left; scaled to the highest score or 1."""
    scores = [a.score for a in reversed(assessments)]
    if not scores:
        return ""
    top = max(max(scores), 1)
    step = SPARK_WIDTH / max(len(scores) - 1, 1)
    return " ".join(
        f"{round(i * step, 1)},{round(SPARK_HEIGHT - score / top * (SPARK_HEIGHT - 4) - 2, 1)}"
        for i, score in enumerate(scores)
    )


def sparkline(assessments: list) -> dict:
    """What the template needs to draw the trend: size, points and the latest point (a dot)."""
    points = sparkline_points(assessments)
    last_x, last_y = points.split()[-1].split(",") if points else ("0", "0")
    return {
        "width": SPARK_WIDTH,
        "height": SPARK_HEIGHT,
        "points": points,
        "last_x": last_x,
        "last_y": last_y,
    }


REASSESS_AHEAD_DAYS = 7


def reassessments_due(
    user, today: dt.date, within_days: int = REASSESS_AHEAD_DAYS
) -> QuerySet[RiskAssessment]:
    """Risk re-assessments due within ``within_days`` for the worker's own clients (issue 5.2).

    For each client and project only the latest assessment counts (newest ``assessed_on``,
    then the highest id); it is listed when its ``next_review_on`` (set by
    ``services.assess_housing_risk``: 3 months, sooner when high) is on or before
    ``today + within_days``, overdue ones included, soonest first. "Own" means a current
    assignment to this worker in the assessment's project, in a project where they work.
    One query (``assessment_client_date_idx`` serves the "no newer assessment" check).
    """
    own_case = CaseAssignment.objects.current().filter(
        worker=user,
        client=OuterRef("client"),
        project=OuterRef("project"),
        project__in=worker_project_ids(user),
    )
    newer = RiskAssessment.objects.filter(
        client=OuterRef("client"), project=OuterRef("project")
    ).filter(
        Q(assessed_on__gt=OuterRef("assessed_on"))
        | Q(assessed_on=OuterRef("assessed_on"), pk__gt=OuterRef("pk"))
    )
    return (
        RiskAssessment.objects.visible_to(user)
        .filter(
            Exists(own_case),
            ~Exists(newer),
            next_review_on__lte=today + dt.timedelta(days=within_days),
        )
        .select_related("client", "project")
        .order_by("next_review_on", "pk")
    )
