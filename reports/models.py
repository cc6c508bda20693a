"""Generated reports, kept with who generated them and when."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from casework.models import Project
from casework.roles import (
    admin_organisation_ids,
    is_active_user,
    managed_project_ids,
    worker_project_ids,
)


class ReportKind(models.TextChoices):
    INDICATORS = "indicators", _("Indicator report")
    IMPLEMENTATION = "implementation", _("Indicator table and key activity summary")
    MONITORING_SHEETS = "monitoring_sheets", _("Participant monitoring sheets")
    EVIDENCE_PACK = "evidence_pack", _("Participant evidence pack")
    ISESF_PERSONS = "isesf_persons", _("IS ESF 21+ persons (CSV)")
    ISESF_SUPPORTS = "isesf_supports", _("IS ESF 21+ supports (CSV)")
    ACTIVITIES = "activities", _("Key activity report")
    TIMESHEETS = "timesheets", _("Worker timesheets")
    EVALUATION = "evaluation", _("Evaluation report (KA 07)")
    CASELOAD = "caseload", _("Caseload report")


class ReportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Being generated")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class GeneratedReportQuerySet(models.QuerySet):
    def visible_to(self, user) -> GeneratedReportQuerySet:
        """Reports the user may see and download.

        Reports aggregate a whole project, so its guarantors and the organisation's admins see
        all of them, except that the per-person reports which may carry special categories
        (``SPECIAL_CATEGORY_REPORTS``) are seen only by their maker and the admins.

        A field worker sees only the reports about their own work: kinds
        registered ``for_workers``, made by them, about them (``parameters["worker"]``), in a
        project where they still work.
        """
        if not is_active_user(user):
            return self.none()
        if user.is_superuser:
            return self
        from casework.audit.sensitive import SPECIAL_CATEGORY_REPORTS
        from reports.registry import worker_kinds

        # Reports that may carry special categories per person: their maker and the
        # organisation's admins only (``casework.audit.sensitive``), not the other guarantors.
        special = (
            Q(kind__in=SPECIAL_CATEGORY_REPORTS)
            & ~Q(created_by=user)
            & ~Q(project__organisation__in=admin_organisation_ids(user))
        )
        return self.exclude(special).filter(
            Q(project__in=managed_project_ids(user))
            | Q(
                kind__in=worker_kinds(),
                created_by=user,
                parameters__worker=user.pk,
                project__in=worker_project_ids(user),
            )
        )


class GeneratedReport(models.Model):
    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="reports")
    kind = models.CharField(_("report"), max_length=20, choices=ReportKind.choices)
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("until"))
    file_format = models.CharField(_("format"), max_length=5)
    # What else narrows the report (a locality, a worker, entry/exit sheets, one client):
    # ids and codes only, never personal data.
    parameters = models.JSONField(_("parameters"), default=dict, blank=True)
    language = models.CharField(_("language"), max_length=5, default="cs")
    status = models.CharField(
        _("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    file = models.FileField(upload_to="reports/%Y/", blank=True)
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Every download goes through ``reports.views._record_download``.
    download_count = models.PositiveIntegerField(_("downloads"), default=0)
    last_downloaded_at = models.DateTimeField(_("last downloaded"), null=True, blank=True)

    objects = GeneratedReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("generated report")
        verbose_name_plural = _("generated reports")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")), name="report_period_ordered"
            ),
            models.CheckConstraint(condition=Q(progress__lte=100), name="report_progress_max"),
        ]
        indexes = [models.Index(fields=["project", "created_at"], name="report_project_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.period_start}–{self.period_end}"

    @property
    def download_name(self) -> str:
        """``<kind>-<project code>-<start>-<end>.<format>``: no personal data in file names."""
        return (
            f"{self.kind}-{self.project.code}-{self.period_start:%Y-%m-%d}-"
            f"{self.period_end:%Y-%m-%d}.{self.file_format}"
        )

    @property
    def is_ready(self) -> bool:
        return self.status == ReportStatus.DONE and bool(self.file)
