"""The audit trail: changes recorded by database triggers, and reads recorded by the views.

Both tables are append-only: a trigger (migration ``audit.0002``) raises on every UPDATE and
DELETE, so not even a bug or a bulk ``QuerySet.update()`` in the application can rewrite
history. The single exception is the redaction an anonymisation performs through the
``audit_redact_client`` database function (see ``clients.gdpr``): it may replace the recorded
values of a change, never who, when, what table or which row.

Rows hold ids, never names: a client's trail can be read after the client is anonymised, and
nothing personal leaks through the audit tables beyond the recorded field values, which the
redaction scrubs.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Now
from django.utils.translation import gettext_lazy as _

from casework.roles import (
    admin_organisation_ids,
    is_active_user,
    managed_project_ids,
    manages_any_project,
)


def _manager_scope(user) -> Q:
    """Rows of the projects the user manages, or of clients of the organisations they administer.

    Guarantors read the trail of their projects, administrators that of their organisation;
    a row about a client with no project (the client's own details) follows the client.
    """
    from casework.models import Membership
    from clients.models import CaseAssignment, Client, Enrolment

    managed = managed_project_ids(user)
    clients_of_projects = Client.objects.filter(
        Q(organisation__in=admin_organisation_ids(user))
        | Q(pk__in=Enrolment.objects.filter(project__in=managed).values("client"))
        | Q(pk__in=CaseAssignment.objects.filter(project__in=managed).values("client"))
    ).values("pk")
    staff = Membership.objects.filter(project__in=managed).values("user")
    return (
        Q(project_id__in=managed)
        | (Q(project_id__isnull=True) & Q(client_id__in=clients_of_projects))
        # A list export names no client: it follows the people who made it.
        | (Q(project_id__isnull=True) & Q(client_id__isnull=True) & Q(user__in=staff))
    )


class AuditQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Audit rows a guarantor or administrator may read; field workers read none."""
        if not is_active_user(user):
            return self.none()
        if user.is_superuser:
            return self
        if not manages_any_project(user):
            return self.none()
        return self.filter(_manager_scope(user))

    def for_client(self, client_id: int):
        return self.filter(client_id=client_id)


class AuditRecord(models.Model):
    """What every audit row holds: when, who, and the ids of the client and project it concerns."""

    occurred_at = models.DateTimeField(_("time"), db_default=Now())
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        related_name="+",
        verbose_name=_("user"),
    )
    # Plain ids, not foreign keys: the trail outlives the rows it describes.
    client_id = models.BigIntegerField(_("client"), null=True)
    project_id = models.BigIntegerField(_("project"), null=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["-occurred_at", "-pk"]


class ChangeAction(models.TextChoices):
    INSERT = "I", _("created")
    UPDATE = "U", _("changed")
    DELETE = "D", _("deleted")


class ChangeEvent(AuditRecord):
    """One row created, changed or deleted in a tracked table, written by a database trigger.

    ``changes`` maps each column to ``[old, new]`` (only the changed columns of an update).
    ``user`` is the acting user the request (or a command) announced to the database
    (``casework.audit.context``); empty for changes made outside any of them.
    """

    table = models.CharField(_("table"), max_length=63)
    row_id = models.CharField(_("row"), max_length=40)
    action = models.CharField(_("action"), max_length=1, choices=ChangeAction.choices)
    changes = models.JSONField(_("changes"), default=dict)
    redacted_at = models.DateTimeField(_("redacted"), null=True)

    class Meta(AuditRecord.Meta):
        verbose_name = _("recorded change")
        verbose_name_plural = _("recorded changes")
        indexes = [
            # A client's trail on the case file, newest first.
            models.Index(fields=["client_id", "-occurred_at"], name="audit_change_client_idx"),
            # A project's trail for its guarantor.
            models.Index(fields=["project_id", "-occurred_at"], name="audit_change_project_idx"),
            # The history of one row.
            models.Index(fields=["table", "row_id"], name="audit_change_row_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.table}#{self.row_id} {self.action}"

    @property
    def changed_values(self) -> list[tuple[str, str, str]]:
        """``(column, old, new)`` for display, values shortened, bookkeeping columns left out."""
        skipped = {"id", "updated_at", "version"}
        return [
            (name, _short(values[0]), _short(values[1]))
            for name, values in sorted(self.changes.items())
            if name not in skipped
        ]


def _short(value, limit: int = 80) -> str:
    text = "" if value is None else str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


class AccessAction(models.TextChoices):
    VIEW_CASE_FILE = "view_case_file", _("opened the case file")
    DOWNLOAD_DOCUMENT = "download_document", _("downloaded a document")
    EXPORT_LIST = "export_list", _("exported a list")
    EXPORT_CLIENT = "export_client", _("exported everything held about the client")
    DOWNLOAD_REPORT = "download_report", _("downloaded a report")
    IMPORT = "import", _("imported data")
    ANONYMISE = "anonymise", _("anonymised the client")
    VIEW_TRAIL = "view_trail", _("read the audit trail")


class AccessEvent(AuditRecord):
    """One read of personal data: who, what, when, from where. Ids only, no names."""

    action = models.CharField(_("action"), max_length=30, choices=AccessAction.choices)
    object_type = models.CharField(_("object type"), max_length=100, blank=True)
    object_id = models.CharField(_("object"), max_length=40, blank=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True)

    class Meta(AuditRecord.Meta):
        verbose_name = _("access event")
        verbose_name_plural = _("access events")
        indexes = [
            models.Index(fields=["client_id", "-occurred_at"], name="audit_access_client_idx"),
            models.Index(fields=["project_id", "-occurred_at"], name="audit_access_project_idx"),
            # "What did this user open?" (a data-breach investigation starts here).
            models.Index(fields=["user", "-occurred_at"], name="audit_access_user_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.action} {self.object_type}#{self.object_id}"
