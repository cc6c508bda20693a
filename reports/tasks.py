"""Generating a report in the background (``django.tasks``, run by ``manage.py db_worker``).

The task gets only the ``GeneratedReport`` id: no personal data in the queue. A report is
generated once (a queued report claimed by one worker); its file is saved only when the builder
has finished, so a failed report never offers half a file.
"""

from __future__ import annotations

import logging

from django.core.files.base import ContentFile
from django.db import transaction
from django.tasks import task
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from casework.routers import reading_replica
from reports.models import GeneratedReport, ReportStatus
from reports.registry import ReportError, load_builders

logger = logging.getLogger(__name__)


@task()
def generate_report(report_id: int) -> None:
    """Build the report's file with its kind's builder (the queued entry point)."""
    run_report(report_id)


def _claim(report_id: int) -> GeneratedReport | None:
    with transaction.atomic():
        report = (
            GeneratedReport.objects.select_for_update()
            .select_related("project")
            .filter(pk=report_id, status=ReportStatus.QUEUED)
            .first()
        )
        if report is None:
            return None
        report.status = ReportStatus.RUNNING
        report.progress = 0
        report.save(update_fields=["status", "progress"])
    return report


def _fail(report: GeneratedReport, message: str) -> None:
    report.status = ReportStatus.FAILED
    report.error = message
    report.finished_at = timezone.now()
    report.save(update_fields=["status", "error", "finished_at"])


def run_report(report_id: int) -> None:
    """Generate a queued report; anything else (already running, done, gone) is left alone."""
    report = _claim(report_id)
    if report is None:
        return

    def progress(percent: int) -> None:
        # 100 % is reached when the file is saved, not when the builder says so.
        value = max(0, min(99, int(percent)))
        GeneratedReport.objects.filter(pk=report.pk).update(progress=value)

    with translation.override(report.language):
        spec = load_builders().get(report.kind)
        try:
            if spec is None or report.file_format not in spec.formats:
                raise ReportError(_("This report cannot be generated in this format."))
            # Builders only read, and a report may lag a moment behind: the replica if any.
            with reading_replica():
                content = spec.build(report, progress)
            if not content:
                raise ReportError(_("The report came out empty."))
        except ReportError as error:
            _fail(report, str(error))
            return
        except Exception:
            logger.exception("Report %s (%s) failed", report.pk, report.kind)
            _fail(
                report,
                _(
                    "The report could not be generated because of an error in the application. "
                    "Try again later; if it fails again, tell the administrator."
                ),
            )
            return
    report.file.save(report.download_name, ContentFile(content), save=False)
    report.status = ReportStatus.DONE
    report.progress = 100
    report.error = ""
    report.finished_at = timezone.now()
    report.save(update_fields=["file", "status", "progress", "error", "finished_at"])
