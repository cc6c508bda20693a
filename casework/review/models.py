"""The guarantor's review: closures a worker proposes and the guarantor signs off, and the
monthly quality review of sampled case files (with the checklist it was made against).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from casework.models import Project
from casework.roles import is_active_user, managed_project_ids
from clients.models import Client, Enrolment, ExitReason, project_record_scope


class ClosureStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for sign-off")
    SIGNED = "signed", _("Signed off")
    RETURNED = "returned", _("Returned")


class ClosureRequestQuerySet(models.QuerySet):
    def visible_to(self, user) -> ClosureRequestQuerySet:
        """Proposals on enrolments the user may see (the enrolment's scope, one place)."""
        return self.filter(
            project_record_scope(user, client="enrolment__client", project="enrolment__project")
        )

    def pending(self) -> ClosureRequestQuerySet:
        return self.filter(status=ClosureStatus.PENDING)


class ClosureRequest(models.Model):
    """A proposal to end a client's cooperation in a project, waiting for the guarantor.

    Signing it off writes the exit date and reason onto the enrolment; returning it keeps the
    enrolment open and tells the worker why. Every proposal stays as the record of the decision.
    """

    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.CASCADE, related_name="closure_requests"
    )
    exit_date = models.DateField(_("support ended"))
    exit_reason = models.CharField(
        _("reason for ending"), max_length=20, choices=ExitReason.choices
    )
    note = models.TextField(_("note for the guarantor"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ClosureStatus.choices, default=ClosureStatus.PENDING
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    comment = models.TextField(_("guarantor's comment"), blank=True)

    objects = ClosureRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("closure proposal")
        verbose_name_plural = _("closure proposals")
        ordering = ["-proposed_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment"],
                condition=Q(status="pending"),
                name="closure_one_pending_per_enrolment",
            ),
            models.CheckConstraint(
                condition=Q(status="pending") | Q(decided_at__isnull=False),
                name="closure_decided_has_date",
            ),
        ]
        indexes = [
            # The guarantor's queue: pending proposals, oldest first.
            models.Index(
                fields=["proposed_at"],
                condition=Q(status="pending"),
                name="closure_pending_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enrolment.client} – {self.get_status_display()}"

    def get_absolute_url(self) -> str:
        return reverse("review:closure_detail", args=[self.pk])


class ChecklistItemQuerySet(models.QuerySet):
    def visible_to(self, user) -> ChecklistItemQuerySet:
        if not is_active_user(user):
            return self.none()
        if user.is_superuser:
            return self
        return self.filter(project__in=managed_project_ids(user))


class ChecklistItem(models.Model):
    """One question of a project's quality-review checklist (the guarantor edits them).

    Reviews copy the question text with the answer, so editing the list never rewrites a
    review already made.
    """

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="checklist_items")
    text = models.CharField(_("question"), max_length=300)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    objects = ChecklistItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        ordering = ["project", "order", "pk"]

    def __str__(self) -> str:
        return self.text


class QualityReviewQuerySet(models.QuerySet):
    def visible_to(self, user) -> QualityReviewQuerySet:
        """Reviews in the projects the user manages: the evidence is the guarantor's."""
        if not is_active_user(user):
            return self.none()
        if user.is_superuser:
            return self
        return self.filter(project__in=managed_project_ids(user))


class QualityReview(models.Model):
    """A guarantor's review of one sampled case file for one month.

    ``answers`` holds the checklist as it was: ``[{"text": ..., "answer": "yes|no|na"}]``.
    """

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="quality_reviews")
    worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="quality_reviews")
    month = models.DateField(_("month"))
    answers = models.JSONField(_("answers"), default=list)
    notes = models.TextField(_("notes"), blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_on = models.DateField(_("reviewed on"))
    created_at = models.DateTimeField(auto_now_add=True)

    objects = QualityReviewQuerySet.as_manager()

    class Meta:
        verbose_name = _("quality review")
        verbose_name_plural = _("quality reviews")
        ordering = ["-month", "project", "worker", "client"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "worker", "client", "month"], name="quality_review_once"
            ),
            models.CheckConstraint(
                condition=Q(month__day=1), name="quality_review_month_first_day"
            ),
        ]
        indexes = [
            # The month's sample page: reviews of one project and month.
            models.Index(fields=["project", "month"], name="quality_review_month_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.client} {self.month:%Y-%m}"

    def get_absolute_url(self) -> str:
        return reverse("review:quality_detail", args=[self.pk])
