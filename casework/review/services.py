"""Writes of the guarantor's review: closure proposals and their decisions, quality reviews."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from casework.review.models import (
    ChecklistItem,
    ClosureRequest,
    ClosureStatus,
    QualityReview,
)
from clients import services as client_services
from clients.models import Enrolment

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

ENROLMENT_ALREADY_CLOSED = _("This cooperation has already ended; there is nothing to close.")
CLOSURE_ALREADY_PENDING = _(
    "A closure of this cooperation is already waiting for the guarantor's sign-off."
)
EXIT_BEFORE_ENTRY = _("The end of support cannot be earlier than its start (%(date)s).")
EXIT_AFTER_PROJECT = _("The end of support cannot be later than the project's end (%(date)s).")
CLOSURE_ALREADY_DECIDED = _(
    "Someone has already decided on this proposal meanwhile; nothing was changed."
)
RETURN_NEEDS_COMMENT = _("Say what the worker should change or complete before closing.")
REVIEW_ALREADY_DONE = _(
    "This case file has already been reviewed for this month; open the saved review instead."
)


def _short(date: dt.date) -> str:
    return date_format(date, "SHORT_DATE_FORMAT")


@transaction.atomic
def propose_closure(
    enrolment: Enrolment,
    *,
    by: AbstractBaseUser,
    exit_date: dt.date,
    exit_reason: str,
    note: str = "",
) -> ClosureRequest:
    """Record a proposal to end ``enrolment`` on ``exit_date`` for ``exit_reason``.

    Refuses a closed enrolment, a second pending proposal, and an exit date outside the
    cooperation or the project. The enrolment itself does not change until the sign-off.
    """
    locked = Enrolment.objects.select_for_update().select_related("project").get(pk=enrolment.pk)
    if locked.exit_date is not None:
        raise ValidationError(ENROLMENT_ALREADY_CLOSED, code="closed")
    if ClosureRequest.objects.pending().filter(enrolment=locked).exists():
        raise ValidationError(CLOSURE_ALREADY_PENDING, code="pending")
    if exit_date < locked.entry_date:
        raise ValidationError(
            {
                "exit_date": ValidationError(
                    EXIT_BEFORE_ENTRY, params={"date": _short(locked.entry_date)}
                )
            }
        )
    if exit_date > locked.project.effective_end_date:
        raise ValidationError(
            {
                "exit_date": ValidationError(
                    EXIT_AFTER_PROJECT,
                    params={"date": _short(locked.project.effective_end_date)},
                )
            }
        )
    closure = ClosureRequest(
        enrolment=locked,
        exit_date=exit_date,
        exit_reason=exit_reason,
        note=note,
        proposed_by=by,
    )
    closure.full_clean()
    closure.save()
    return closure


def _lock_pending(closure: ClosureRequest) -> ClosureRequest:
    locked = ClosureRequest.objects.select_for_update().get(pk=closure.pk)
    if locked.status != ClosureStatus.PENDING:
        raise ValidationError(CLOSURE_ALREADY_DECIDED, code="decided")
    return locked


@transaction.atomic
def sign_closure(closure: ClosureRequest, *, by: AbstractBaseUser) -> ClosureRequest:
    """Sign off a pending proposal and close the enrolment with its exit date and reason.

    The enrolment is saved through ``clients.services.set_enrolment`` (its version is bumped
    and the client's status becomes "cooperation ended" once no enrolment is open). Refuses a
    proposal somebody decided meanwhile and an enrolment closed meanwhile.
    """
    locked = _lock_pending(closure)
    enrolment = Enrolment.objects.select_for_update().get(pk=locked.enrolment_id)
    if enrolment.exit_date is not None:
        raise ValidationError(ENROLMENT_ALREADY_CLOSED, code="closed")
    enrolment.exit_date = locked.exit_date
    enrolment.exit_reason = locked.exit_reason
    client_services.set_enrolment(
        enrolment,
        by=by,
        version=enrolment.version,
        disadvantages=list(enrolment.disadvantages.all()),
        exit_situations=list(enrolment.exit_situations.all()),
    )
    locked.status = ClosureStatus.SIGNED
    locked.decided_by = by
    locked.decided_at = timezone.now()
    locked.save(update_fields=["status", "decided_by", "decided_at"])
    return locked


@transaction.atomic
def return_closure(
    closure: ClosureRequest, *, by: AbstractBaseUser, comment: str
) -> ClosureRequest:
    """Return a pending proposal to the worker with ``comment``; the enrolment stays open."""
    if not comment.strip():
        raise ValidationError({"comment": ValidationError(RETURN_NEEDS_COMMENT)})
    locked = _lock_pending(closure)
    locked.status = ClosureStatus.RETURNED
    locked.decided_by = by
    locked.decided_at = timezone.now()
    locked.comment = comment.strip()
    locked.save(update_fields=["status", "decided_by", "decided_at", "comment"])
    return locked


@transaction.atomic
def record_quality_review(
    *,
    project,
    worker,
    client,
    month: dt.date,
    by: AbstractBaseUser,
    answers: list[tuple[ChecklistItem, str]],
    notes: str = "",
    reviewed_on: dt.date | None = None,
) -> QualityReview:
    """Store a review of one case file for ``month``, copying each question's text.

    Refuses a second review of the same file for the same month.
    """
    month = month.replace(day=1)
    exists = QualityReview.objects.select_for_update().filter(
        project=project, worker=worker, client=client, month=month
    )
    if exists.exists():
        raise ValidationError(REVIEW_ALREADY_DONE, code="duplicate")
    review = QualityReview(
        project=project,
        worker=worker,
        client=client,
        month=month,
        answers=[{"text": item.text, "answer": answer} for item, answer in answers],
        notes=notes,
        reviewer=by,
        reviewed_on=reviewed_on or timezone.localdate(),
    )
    review.full_clean()
    review.save()
    return review


STANDARD_CHECKLIST = [
    _("The individual plan is current and was reviewed on time."),
    _("The plan's goals are written in the client's own words."),
    _("Every contact is recorded with its key activity and duration."),
    _("The consent and the entry monitoring data are complete."),
    _("No task or deadline of the client is overdue."),
    _("Letters and decisions are filed with the case."),
]


@transaction.atomic
def add_standard_checklist(project, *, by: AbstractBaseUser) -> list[ChecklistItem]:
    """Give a project with no questions yet the standard checklist, in the current language.

    Does nothing when the project already has questions (the guarantor's own list wins).
    """
    from casework.models import Project

    Project.objects.select_for_update().get(pk=project.pk)
    if ChecklistItem.objects.filter(project=project).exists():
        return []
    return ChecklistItem.objects.bulk_create(
        ChecklistItem(project=project, text=gettext(str(text)), order=index)
        for index, text in enumerate(STANDARD_CHECKLIST, start=1)
    )
