"""Access rows of the report screens: generated reports and the indicator screens."""

from django.core.files.base import ContentFile
from django.urls import reverse

from reports.models import GeneratedReport, ReportKind, ReportStatus
from tests.security.matrix import FORBIDDEN, LOGIN, NOT_FOUND, OK, Row, everyone, expect, url

# A project-wide report: the project's guarantor and the organisation's admins only.
PROJECT_REPORT = expect(
    LOGIN,
    (NOT_FOUND, NOT_FOUND, NOT_FOUND),
    (NOT_FOUND, NOT_FOUND, NOT_FOUND),
    (OK, NOT_FOUND, NOT_FOUND),
    (OK, OK, NOT_FOUND),
    (NOT_FOUND, NOT_FOUND, OK),
)
# The indicator screens: a worker of the project is refused, anyone without a role gets 404.
MANAGED_PROJECT = expect(
    LOGIN,
    (FORBIDDEN, NOT_FOUND, NOT_FOUND),
    (FORBIDDEN, NOT_FOUND, NOT_FOUND),
    (OK, NOT_FOUND, NOT_FOUND),
    (OK, OK, NOT_FOUND),
    (NOT_FOUND, NOT_FOUND, OK),
)


def _indicator_detail(world, side):
    return reverse("reports:indicator_detail", args=[world[side]["project"].pk, "60000"])


ROWS = {
    "reports:list": Row(url("reports:list"), everyone()),
    "reports:generate": Row(url("reports:generate"), everyone()),
    "reports:status": Row(url("reports:status", "report"), PROJECT_REPORT),
    "reports:progress": Row(url("reports:progress", "report"), PROJECT_REPORT, htmx=True),
    "reports:download": Row(url("reports:download", "report"), PROJECT_REPORT),
    "reports:indicators": Row(url("reports:indicators", "project"), MANAGED_PROJECT),
    "reports:indicator_detail": Row(_indicator_detail, MANAGED_PROJECT),
    "reports:export_blockers": Row(url("reports:export_blockers", "project"), MANAGED_PROJECT),
}


def extend(side, project, client, worker):
    report = GeneratedReport(
        project=project,
        kind=ReportKind.INDICATORS,
        period_start=project.start_date,
        period_end=project.end_date,
        file_format="csv",
        status=ReportStatus.DONE,
        progress=100,
        created_by=worker,
    )
    report.file.save(report.download_name, ContentFile(b"\xef\xbb\xbfcode;value\r\n"), save=False)
    report.save()
    side["report"] = report
