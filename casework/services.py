"""Writes of the intervention log; each atomic and documented."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Sequence

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from casework.conflicts import lock_at_version
from casework.models import (
    DeliveryMode,
    Institution,
    Intervention,
    InterventionParticipant,
    InterventionType,
    InterventionWorker,
    KeyActivity,
    Locality,
    Membership,
    OutreachContact,
    Project,
    Topic,
)
from casework.roles import Role
from clients.models import Client, Enrolment, PlanGoal, Task

# --- Rules of the intervention log (DOMAIN.md §2 and §6); tests import these messages ------

KEY_ACTIVITY_NOT_IN_PROJECT = _("Choose a key activity of the selected project.")
DATE_IN_FUTURE = _("The date cannot be in the future. Log work once it has been done.")
DATE_BEFORE_PROJECT = _("The project starts on %(start)s; the date cannot be earlier.")
DATE_AFTER_PROJECT = _("The project ended on %(end)s; the date cannot be later.")
CLIENT_NOT_ENROLLED = _(
    "%(client)s is not enrolled in this project. Enrol them first, or remove them here."
)
CLIENT_OUTSIDE_SUPPORT = _(
    "%(client)s is supported in this project from %(entry)s to %(exit)s; support on another "
    "date would not count. Check the date."
)
FIELD_ONLY_IN_OFFICE = _('"%(type)s" cannot take place in the office. Choose another form.')
WORKER_NOT_IN_PROJECT = _("%(worker)s is not a field worker of this project.")
GOAL_NOT_OF_CLIENTS = _("Choose a goal from the plan of one of the selected clients.")
GOAL_OR_ONE_OFF = _(
    "Link this support to a goal of the client's plan, or mark it as a one-off request."
)
ANONYMOUS_ONLY_IN_GROUP = _("Anonymous participants can only be counted at a group session.")
NOBODY_SUPPORTED = _(
    "Choose at least one client, or log a group session with a number of anonymous participants."
)
SUBMISSION_TAKEN = _("This form was already sent by someone else. Open the form again.")
STALE_VERSION = _(
    "Someone else changed this record while you were editing it. Your changes were not "
    "saved: open it again to see their version."
)
LOCALITY_NOT_IN_PROJECT = _("Choose one of the project's localities.")
INSTITUTION_NOT_OF_ORGANISATION = _(
    "Choose institutions of the organisation that runs the project."
)


def _short(day: dt.date) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


def _check_date_in_project(errors: dict, project: Project, day: dt.date) -> None:
    if day > timezone.localdate():
        errors.setdefault("date", []).append(DATE_IN_FUTURE)
    elif day < project.start_date:
        errors.setdefault("date", []).append(
            ValidationError(DATE_BEFORE_PROJECT, params={"start": _short(project.start_date)})
        )
    elif day > project.effective_end_date:
        errors.setdefault("date", []).append(
            ValidationError(DATE_AFTER_PROJECT, params={"end": _short(project.effective_end_date)})
        )


def validate_intervention(
    *,
    project: Project,
    key_activity: KeyActivity,
    date: dt.date,
    delivery_mode: DeliveryMode,
    intervention_type: InterventionType | None,
    clients: Sequence[Client],
    workers: Iterable[AbstractBaseUser],
    plan_goal: PlanGoal | None,
    is_one_off: bool,
    is_group: bool,
    anonymous_count: int,
) -> None:
    """Check an intervention against the rules that need other rows; raise them all at once.

    The ``ValidationError`` maps field names of ``InterventionForm`` to messages, so a view can
    attach it with ``form.add_error(None, error)`` and keep what the user typed. Rules:
    the key activity belongs to the project; the date is not in the future and lies within the
    project (with extensions); every client is enrolled in the project and the date lies within
    their entry–exit (DOMAIN.md §2: support outside it is invalid); field-only types are not in
    the office; every worker works in the project; the plan goal is one of the clients' goals
    in this project, and a type that needs a goal has one or is a one-off (outreach needs
    none, DOMAIN.md §6); anonymous head counts only at group sessions.
    """
    errors: dict[str, list] = {}
    if key_activity.project_id != project.pk:
        errors["key_activity"] = [KEY_ACTIVITY_NOT_IN_PROJECT]
    _check_date_in_project(errors, project, date)

    enrolments = {
        e.client_id: e for e in Enrolment.objects.filter(project=project, client__in=clients)
    }
    for client in clients:
        enrolment = enrolments.get(client.pk)
        if enrolment is None:
            errors.setdefault("clients", []).append(
                ValidationError(CLIENT_NOT_ENROLLED, params={"client": str(client)})
            )
        elif date < enrolment.entry_date or (enrolment.exit_date and date > enrolment.exit_date):
            errors.setdefault("clients", []).append(
                ValidationError(
                    CLIENT_OUTSIDE_SUPPORT,
                    params={
                        "client": str(client),
                        "entry": _short(enrolment.entry_date),
                        "exit": _short(enrolment.exit_date) if enrolment.exit_date else "…",
                    },
                )
            )

    if intervention_type and intervention_type.field_only and delivery_mode.is_office:
        errors["delivery_mode"] = [
            ValidationError(FIELD_ONLY_IN_OFFICE, params={"type": intervention_type.name})
        ]

    workers = list(workers)
    project_workers = set(
        Membership.objects.filter(project=project, role=Role.WORKER, user__in=workers).values_list(
            "user", flat=True
        )
    )
    for worker in workers:
        if worker.pk not in project_workers:
            name = worker.get_full_name() or worker.get_username()
            errors.setdefault("coworkers", []).append(
                ValidationError(WORKER_NOT_IN_PROJECT, params={"worker": name})
            )

    if plan_goal is not None:
        plan = plan_goal.plan
        if plan.project_id != project.pk or plan.client_id not in {c.pk for c in clients}:
            errors["plan_goal"] = [GOAL_NOT_OF_CLIENTS]
    elif (
        clients
        and not is_one_off
        and intervention_type is not None
        and intervention_type.needs_plan_goal
    ):
        errors["plan_goal"] = [GOAL_OR_ONE_OFF]

    if anonymous_count and not is_group:
        errors["anonymous_count"] = [ANONYMOUS_ONLY_IN_GROUP]
    if not clients and not anonymous_count and not key_activity.is_evaluation:
        errors.setdefault("clients", []).append(NOBODY_SUPPORTED)
    if errors:
        raise ValidationError(errors)


def _check_institutions(project: Project, institutions: Sequence[Institution]) -> None:
    """Only the project's organisation's institutions can be parties to its interventions."""
    foreign = [i for i in institutions if i.organisation_id != project.organisation_id]
    if foreign:
        raise ValidationError({"institutions": [INSTITUTION_NOT_OF_ORGANISATION]})


def _set_people(
    intervention: Intervention,
    *,
    workers: Sequence[AbstractBaseUser],
    clients: Sequence[Client],
) -> None:
    """Replace the worker and participant rows of an intervention with the given people."""
    InterventionWorker.objects.filter(intervention=intervention).exclude(
        worker__in=workers
    ).delete()
    InterventionParticipant.objects.filter(intervention=intervention).exclude(
        client__in=clients
    ).delete()
    InterventionWorker.objects.bulk_create(
        [InterventionWorker(intervention=intervention, worker=w) for w in workers],
        ignore_conflicts=True,
    )
    InterventionParticipant.objects.bulk_create(
        [InterventionParticipant(intervention=intervention, client=c) for c in clients],
        ignore_conflicts=True,
    )


def _unique(items: Iterable) -> list:
    seen, result = set(), []
    for item in items:
        if item.pk not in seen:
            seen.add(item.pk)
            result.append(item)
    return result


@transaction.atomic
def log_intervention(
    *,
    by: AbstractBaseUser,
    project: Project,
    key_activity: KeyActivity,
    date: dt.date,
    duration_minutes: int,
    delivery_mode: DeliveryMode,
    start_time: dt.time | None = None,
    intervention_type: InterventionType | None = None,
    place: str = "",
    topics: Iterable[Topic] = (),
    institutions: Iterable[Institution] = (),
    record: str = "",
    clients: Sequence[Client] = (),
    coworkers: Iterable[AbstractBaseUser] = (),
    is_group: bool = False,
    anonymous_count: int = 0,
    plan_goal: PlanGoal | None = None,
    is_one_off: bool = False,
    follow_up_title: str = "",
    follow_up_due: dt.date | None = None,
    submission_id: uuid.UUID | None = None,
) -> Intervention:
    """Log one piece of work and return it.

    Writes, in one transaction: the intervention; a worker row for ``by`` and each co-worker;
    a participant row for each client (at a group session each identified attendee gets the
    full duration, anonymous attendees only add to ``anonymous_count``); the topics; the
    institutions taking part (of the project's organisation); and, when
    ``follow_up_title`` is given, an open task owned by ``by``, due ``follow_up_due``, linked
    to the first client and the project.

    Idempotent per ``submission_id``: when an intervention with that id exists (a form sent
    twice over a flaky connection), it is returned unchanged and nothing is written. Raises
    ``ValidationError`` for the rules of ``validate_intervention``.
    """
    if submission_id is not None:
        existing = Intervention.objects.filter(submission_id=submission_id).first()
        if existing is not None:
            return _same_author(existing, by)
    clients = _unique(clients)
    workers = _unique([by, *coworkers])
    is_group = is_group or delivery_mode.is_group
    institutions = _unique(institutions)
    _check_institutions(project, institutions)
    validate_intervention(
        project=project,
        key_activity=key_activity,
        date=date,
        delivery_mode=delivery_mode,
        intervention_type=intervention_type,
        clients=clients,
        workers=workers,
        plan_goal=plan_goal,
        is_one_off=is_one_off,
        is_group=is_group,
        anonymous_count=anonymous_count,
    )
    intervention = Intervention(
        project=project,
        key_activity=key_activity,
        date=date,
        start_time=start_time,
        duration_minutes=duration_minutes,
        delivery_mode=delivery_mode,
        intervention_type=intervention_type,
        place=place,
        record=record,
        is_group=is_group,
        anonymous_count=anonymous_count,
        plan_goal=plan_goal,
        is_one_off=is_one_off and plan_goal is None,
        submission_id=submission_id,
        created_by=by,
    )
    intervention.full_clean(validate_unique=False)
    try:
        # A savepoint: when the same form arrives twice at once, the second insert waits for
        # the first transaction and then fails on the unique submission id.
        with transaction.atomic():
            intervention.save()
    except IntegrityError:
        existing = Intervention.objects.filter(submission_id=submission_id).first()
        if submission_id is None or existing is None:
            raise
        return _same_author(existing, by)
    _set_people(intervention, workers=workers, clients=clients)
    intervention.topics.set(topics)
    intervention.institutions.set(institutions)
    if follow_up_title:
        task = Task(
            title=follow_up_title,
            due_date=follow_up_due,
            owner=by,
            client=clients[0] if clients else None,
            project=project,
            created_by=by,
        )
        task.full_clean()
        task.save()
    return intervention


def _same_author(existing: Intervention, by: AbstractBaseUser) -> Intervention:
    # Submission ids are random, but a guessed one must not hand over someone else's record.
    if existing.created_by_id != by.pk:
        raise ValidationError(SUBMISSION_TAKEN)
    return existing


@transaction.atomic
def update_intervention(
    intervention: Intervention,
    *,
    by: AbstractBaseUser,
    version: int,
    key_activity: KeyActivity,
    date: dt.date,
    duration_minutes: int,
    delivery_mode: DeliveryMode,
    start_time: dt.time | None = None,
    intervention_type: InterventionType | None = None,
    place: str = "",
    topics: Iterable[Topic] = (),
    institutions: Iterable[Institution] = (),
    record: str = "",
    clients: Sequence[Client] = (),
    coworkers: Iterable[AbstractBaseUser] = (),
    is_group: bool = False,
    anonymous_count: int = 0,
    plan_goal: PlanGoal | None = None,
    is_one_off: bool = False,
) -> Intervention:
    """Change a logged intervention; the caller has checked ``can_edit_intervention``.

    Refuses with ``STALE_VERSION`` when the row's version is no longer ``version`` (someone
    saved in between), otherwise saves the fields, replaces the workers (the author and the
    co-workers; the project stays), participants, topics and institutions, and increments the
    version.
    Raises ``ValidationError`` for the rules of ``validate_intervention``.
    """
    locked = lock_at_version(Intervention, intervention.pk, version, STALE_VERSION)
    clients = _unique(clients)
    workers = _unique([locked.created_by, *coworkers])
    # Someone who has since left the project stays on the record of work they did.
    already = set(locked.workers.values_list("pk", flat=True))
    is_group = is_group or delivery_mode.is_group
    institutions = _unique(institutions)
    # An institution already on the record stays, like a worker who has left.
    on_record = set(locked.institutions.values_list("pk", flat=True))
    _check_institutions(locked.project, [i for i in institutions if i.pk not in on_record])
    validate_intervention(
        project=locked.project,
        key_activity=key_activity,
        date=date,
        delivery_mode=delivery_mode,
        intervention_type=intervention_type,
        clients=clients,
        workers=[w for w in workers if w.pk not in already],
        plan_goal=plan_goal,
        is_one_off=is_one_off,
        is_group=is_group,
        anonymous_count=anonymous_count,
    )
    changes = {
        "key_activity": key_activity,
        "date": date,
        "start_time": start_time,
        "duration_minutes": duration_minutes,
        "delivery_mode": delivery_mode,
        "intervention_type": intervention_type,
        "place": place,
        "record": record,
        "is_group": is_group,
        "anonymous_count": anonymous_count,
        "plan_goal": plan_goal,
        "is_one_off": is_one_off and plan_goal is None,
    }
    for name, value in changes.items():
        setattr(locked, name, value)
    locked.version += 1
    locked.full_clean(validate_unique=False)
    locked.save(update_fields=[*changes, "version", "updated_at"])
    _set_people(locked, workers=workers, clients=clients)
    locked.topics.set(topics)
    locked.institutions.set(institutions)
    return locked


# --- Anonymous outreach (DOMAIN.md §2: head counts, never participants) --------------------


@transaction.atomic
def log_outreach(
    *,
    by: AbstractBaseUser,
    project: Project,
    key_activity: KeyActivity,
    date: dt.date,
    head_count: int,
    duration_minutes: int = 0,
    locality: Locality | None = None,
    note: str = "",
) -> OutreachContact:
    """Record anonymous outreach contacts of ``by`` as one head-count row and return it.

    Raises ``ValidationError`` when the key activity or locality is not the project's or the
    date is in the future or outside the project.
    """
    errors: dict[str, list] = {}
    if key_activity.project_id != project.pk:
        errors["key_activity"] = [KEY_ACTIVITY_NOT_IN_PROJECT]
    if locality is not None and not project.localities.filter(pk=locality.pk).exists():
        errors["locality"] = [LOCALITY_NOT_IN_PROJECT]
    _check_date_in_project(errors, project, date)
    if errors:
        raise ValidationError(errors)
    contact = OutreachContact(
        project=project,
        key_activity=key_activity,
        locality=locality,
        date=date,
        head_count=head_count,
        duration_minutes=duration_minutes,
        worker=by,
        note=note,
    )
    contact.full_clean()
    contact.save()
    return contact


@transaction.atomic
def link_outreach_contact(
    contact: OutreachContact, *, by: AbstractBaseUser, client: Client
) -> OutreachContact:
    """Note that one person from an anonymous contact has since identified and consented.

    Sets ``identified_client`` and nothing else: the row stays a head count and no support is
    created for the client, so the earlier anonymous contact is never counted twice
    (DOMAIN.md §2). The caller has checked that ``by`` may see both the contact and the client.
    """
    locked = OutreachContact.objects.select_for_update().get(pk=contact.pk)
    locked.identified_client = client
    locked.save(update_fields=["identified_client"])
    return locked
