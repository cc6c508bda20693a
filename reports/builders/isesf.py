"""IS ESF 21+ exports: the persons CSV and the supports CSV (DOMAIN.md §3, ``reports.isesf``).

Parameters: ``{"participants_only": true}`` keeps only the persons who are participants at the
period end; by default everyone with valid support in the period is exported. Persons who
cannot be exported yet are left out; ``reports.isesf.export_blockers`` lists them and why.
Special-category disadvantage codes are in the persons CSV only when an administrator of the
organisation made it (``casework.audit.sensitive``).
"""

from __future__ import annotations

from reports.isesf import persons_csv, supports_csv
from reports.models import ReportKind
from reports.registry import register


def _options(report) -> dict:
    return {"participants_only": bool((report.parameters or {}).get("participants_only"))}


@register(ReportKind.ISESF_PERSONS, formats=("csv",))
def build_persons(report, progress) -> bytes:
    progress(10)
    content = persons_csv(
        report.project,
        report.period_start,
        report.period_end,
        produced_by=report.created_by,
        **_options(report),
    )
    progress(100)
    return content


@register(ReportKind.ISESF_SUPPORTS, formats=("csv",))
def build_supports(report, progress) -> bytes:
    progress(10)
    content = supports_csv(
        report.project, report.period_start, report.period_end, **_options(report)
    )
    progress(100)
    return content
