"""The record of every spreadsheet import: who, when, which file, what it would change, result."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from casework.models import Project
from casework.roles import admin_organisation_ids, is_active_user


class ImportKind(models.TextChoices):
    CLIENTS = "clients", _("Clients, households and enrolments")
    INTERVENTIONS = "interventions", _("Interventions")
    DEBTS = "debts", _("Debts")


class ImportStatus(models.TextChoices):
    CHECKED = "checked", _("Checked (dry run)")
    IMPORTED = "imported", _("Imported")
    FAILED = "failed", _("Failed, nothing written")


class ImportRunQuerySet(models.QuerySet):
    def visible_to(self, user) -> ImportRunQuerySet:
        """Runs of the projects of the organisations the user administers."""
        if not is_active_user(user):
            return self.none()
        if user.is_superuser:
            return self
        return self.filter(project__organisation__in=admin_organisation_ids(user))


class ImportRun(models.Model):
    """One uploaded file: its dry run and, once confirmed, the import.

    The file's content is kept (by its SHA-256) between the dry run and the confirmation, so
    what is imported is exactly what was checked; it is dropped once the import succeeded.
    """

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="import_runs")
    kind = models.CharField(_("kind"), max_length=20, choices=ImportKind.choices)
    file_name = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    content = models.BinaryField(null=True, blank=True, editable=False)
    status = models.CharField(
        _("status"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.CHECKED
    )
    # {"create": n, "update": n, "unchanged": n, "changes": [...], "errors": [...]}
    summary = models.JSONField(_("dry run"), default=dict)
    result = models.JSONField(_("result"), default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("imported by"),
    )
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    objects = ImportRunQuerySet.as_manager()

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["project", "-created_at"], name="import_run_project_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="checked") | Q(finished_at__isnull=False),
                name="import_run_finished_when_done",
            )
        ]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_kind_display()})"

    @property
    def error_count(self) -> int:
        return len(self.summary.get("errors", ()))
