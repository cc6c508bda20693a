"""Reads of the housing record that other screens show (the client's case file)."""

from __future__ import annotations

from dataclasses import dataclass

from housing.models import HousingSituation, RiskAssessment


@dataclass(frozen=True)
class HousingSummary:
    situation: HousingSituation | None
    latest_assessment: RiskAssessment | None

    def __bool__(self) -> bool:
        return bool(self.situation or self.latest_assessment)


def housing_summary_for_client(client, user) -> HousingSummary:
    """The client's current housing situation and latest risk assessment the user may see.

    Two queries. The situation follows the client's access; the assessment is a project
    record, so a worker sees the latest one made in a project where the client is theirs.
    """
    situation = (
        HousingSituation.objects.visible_to(user)
        .current()
        .filter(client=client)
        .select_related("ethos", "landlord")
        .order_by("-valid_from", "-pk")
        .first()
    )
    assessment = (
        RiskAssessment.objects.visible_to(user)
        .filter(client=client)
        .select_related("project")
        .order_by("-assessed_on", "-pk")
        .first()
    )
    return HousingSummary(situation=situation, latest_assessment=assessment)
