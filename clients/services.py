"""Writes of the clients app with side effects beyond one row; each atomic and documented."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, IntegerField, Max
from django.db.models.functions import Cast, Substr
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from casework.conflicts import lock_at_version
from casework.models import Membership, Organisation, Project
from casework.roles import Role
from clients.models import (
    CaseAssignment,
    Client,
    ClientStatus,
    Consent,
    Document,
    Enrolment,
    Household,
    HouseholdMember,
    IndividualPlan,
    MonitoringCode,
    PlanGoal,
    Relationship,
    Task,
)
from clients.queries import similar_clients

# --- Messages of the rules that need other rows; the tests import them ----------------------

CLIENT_CHANGED_MEANWHILE = _(
    "Someone else saved changes to this client at %(time)s, while you were editing. Your "
    "changes were not saved, but they are still in the form below: open the client in a new "
    "tab to see the current details, then open this form again and enter your changes there."
)
ENROLMENT_CHANGED_MEANWHILE = _(
    "Someone else saved changes to this cooperation while you were editing. Your changes were "
    "not saved, but they are still in the form below: open the form again in a new tab to see "
    "the current version and enter your changes there."
)
POSSIBLE_DUPLICATE = _(
    "This person may already be registered. Check the similar people below; if this is "
    "someone else, tick the box and save again."
)
NOT_A_WORKER_OF_PROJECT = _("%(worker)s is not a field worker of this project.")
MEMBER_OF_ANOTHER_ORGANISATION = _("%(client)s is a client of another organisation.")

# The client fields the registration and edit forms change (in form order).
CLIENT_FIELDS = [
    "title_before",
    "first_name",
    "last_name",
    "title_after",
    "birth_date",
    "birth_year",
    "gender",
    "birth_number",
    "phone",
    "email",
    "street",
    "house_number",
    "orientation_number",
    "municipality",
    "municipality_part",
    "postcode",
    "locality",
    "notes",
]
# A change of any of these may make the client someone already registered.
IDENTITY_FIELDS = ["first_name", "last_name", "birth_date", "birth_year", "birth_number"]


@dataclass(frozen=True)
class DuplicateCandidates:
    """Similar people: those the user may see, and how many more are in other caseloads."""

    visible: list[Client]
    hidden_count: int


class PossibleDuplicate(ValidationError):
    """Raised instead of saving when similar people exist; ``candidates`` lists them."""

    def __init__(self, candidates: DuplicateCandidates):
        super().__init__(POSSIBLE_DUPLICATE, code="possible_duplicate")
        self.candidates = candidates


def _refuse_duplicates(client: Client, *, by: AbstractBaseUser) -> None:
    candidates = list(similar_clients(client).values_list("pk", flat=True))
    if not candidates:
        return
    visible = list(
        Client.objects.visible_to(by).filter(pk__in=candidates).select_related("locality")
    )
    raise PossibleDuplicate(
        DuplicateCandidates(visible=visible, hidden_count=len(candidates) - len(visible))
    )


def _next_code(organisation: Organisation, prefix: str) -> str:
    """The next free client code of the prefix in the organisation: RAL-0151 after RAL-0150.

    The caller holds the organisation's row lock, so two registrations never take one number.
    """
    highest = Client.objects.filter(
        organisation=organisation, code__regex=rf"^{re.escape(prefix)}-[0-9]{{1,9}}$"
    ).aggregate(number=Max(Cast(Substr("code", len(prefix) + 2), IntegerField())))["number"]
    return f"{prefix}-{(highest or 0) + 1:04d}"


def _check_worker(project: Project, worker: AbstractBaseUser) -> None:
    if not Membership.objects.filter(project=project, user=worker, role=Role.WORKER).exists():
        name = worker.get_full_name() or worker.get_username()
        raise ValidationError(NOT_A_WORKER_OF_PROJECT, params={"worker": name})


def _save_household(client: Client, household: Household | None) -> None:
    """Save a new household in the client's organisation and locality, and link it."""
    if household is not None and household.pk is None:
        household.organisation_id = client.organisation_id
        household.locality = client.locality
        household.full_clean()
        household.save()
    client.household = household


def _save_members(
    client: Client,
    *,
    relationship: str,
    members: Sequence[HouseholdMember],
    removed_members: Iterable[HouseholdMember],
) -> None:
    """The client's own member row, then the other members of their household.

    A member linked to another client moves that client into this household (their previous
    membership ends, their record's household follows and its version moves on).
    """
    if client.household_id is None:
        HouseholdMember.objects.filter(client=client).delete()
    else:
        HouseholdMember.objects.update_or_create(
            client=client,
            defaults={
                "household_id": client.household_id,
                "relationship": relationship or Relationship.OTHER,
            },
        )
    for member in removed_members:
        member.delete()
    for member in members:
        if member.pk is None:
            member.household_id = client.household_id
        if member.client_id:
            linked = member.client
            if linked.organisation_id != client.organisation_id:
                raise ValidationError(MEMBER_OF_ANOTHER_ORGANISATION, params={"client": linked})
            HouseholdMember.objects.filter(client=linked).exclude(pk=member.pk).delete()
            Client.objects.filter(pk=linked.pk).exclude(household=member.household_id).update(
                household=member.household_id, version=F("version") + 1
            )
            member.name = member.name or linked.full_name
        member.full_clean()
        member.save()


def _save_consents(client: Client, consents: Sequence[Consent], *, by: AbstractBaseUser) -> None:
    for consent in consents:
        if consent.pk is None:
            consent.client = client
            consent.recorded_by = by
        elif consent.client_id != client.pk:
            continue
        consent.full_clean()
        consent.save()


@transaction.atomic
def create_client(
    client: Client,
    *,
    by: AbstractBaseUser,
    project: Project,
    worker: AbstractBaseUser,
    entry_date: dt.date,
    household: Household | None = None,
    relationship: str = "",
    members: Sequence[HouseholdMember] = (),
    consents: Sequence[Consent] = (),
    different_person: bool = False,
) -> Client:
    """Register a new client in ``project`` and return them.

    In one transaction: locks the organisation's row and gives the client the next code of the
    project's prefix (RAL-0151); unless ``different_person``, refuses with
    ``PossibleDuplicate`` when similar people are registered (``similar_clients``); saves the
    client, the household (a new one is created in the client's locality), the client's own
    member row and the other ``members``; records ``consents`` as given to ``by``; enrols the
    client in ``project`` from ``entry_date``; and makes ``worker`` their key worker there
    (``assigned_by=by``). Raises ``ValidationError`` when ``worker`` is no field worker of
    the project.
    """
    _check_worker(project, worker)
    organisation = Organisation.objects.select_for_update().get(pk=project.organisation_id)
    client.organisation = organisation
    if not different_person:
        _refuse_duplicates(client, by=by)
    client.code = _next_code(organisation, project.code)
    client.status = ClientStatus.ACTIVE
    _save_household(client, household)
    client.full_clean()
    client.save()
    _save_members(client, relationship=relationship, members=members, removed_members=())
    _save_consents(client, consents, by=by)
    enrolment = Enrolment(client=client, project=project, entry_date=entry_date)
    enrolment.full_clean()
    enrolment.save()
    assignment = CaseAssignment(
        client=client,
        project=project,
        worker=worker,
        kind=CaseAssignment.Kind.PRIMARY,
        started_on=entry_date,
        assigned_by=by,
    )
    assignment.full_clean()
    assignment.save()
    return client


@transaction.atomic
def update_client(
    client: Client,
    *,
    by: AbstractBaseUser,
    version: int,
    household: Household | None = None,
    relationship: str = "",
    members: Sequence[HouseholdMember] = (),
    removed_members: Iterable[HouseholdMember] = (),
    consents: Sequence[Consent] = (),
    different_person: bool = False,
) -> Client:
    """Save an edited client (``client`` holds the new values of ``CLIENT_FIELDS``).

    Refuses with ``CLIENT_CHANGED_MEANWHILE`` when the row's version is no longer ``version``.
    When a name, the date or year of birth or the birth number changed, refuses with
    ``PossibleDuplicate`` unless ``different_person``. Then saves the fields with the version
    incremented, the household and its members (as ``create_client``; ``removed_members`` are
    deleted) and the new or changed ``consents``.
    """
    current = lock_at_version(
        Client,
        client.pk,
        version,
        CLIENT_CHANGED_MEANWHILE,
        params=lambda row: {
            "time": date_format(timezone.localtime(row.updated_at), "SHORT_DATETIME_FORMAT")
        },
    )
    identity_changed = any(
        getattr(current, name) != getattr(client, name) for name in IDENTITY_FIELDS
    )
    if identity_changed and not different_person:
        _refuse_duplicates(client, by=by)
    _save_household(client, household)
    client.version = current.version + 1
    client.full_clean()
    client.save(update_fields=[*CLIENT_FIELDS, "household", "version", "updated_at"])
    _save_members(
        client, relationship=relationship, members=members, removed_members=removed_members
    )
    _save_consents(client, consents, by=by)
    return client


@transaction.atomic
def set_enrolment(
    enrolment: Enrolment,
    *,
    by: AbstractBaseUser,
    version: int,
    disadvantages: Iterable[MonitoringCode] = (),
    exit_situations: Iterable[MonitoringCode] = (),
) -> Enrolment:
    """Save the cooperation dates and monitoring data of an edited ``enrolment``.

    Refuses with ``ENROLMENT_CHANGED_MEANWHILE`` when the row's version is no longer
    ``version``; otherwise saves the fields with the version incremented, replaces the
    disadvantage and exit-situation codes, and sets the client's status: cooperation ended
    when every enrolment of the client has an exit date, active otherwise.
    """
    current = lock_at_version(Enrolment, enrolment.pk, version, ENROLMENT_CHANGED_MEANWHILE)
    enrolment.version = current.version + 1
    enrolment.full_clean()
    fields = [
        "entry_date",
        "exit_date",
        "exit_reason",
        "labour_status",
        "education",
        "disadvantage_answer",
        "exit_labour_status",
        "version",
    ]
    enrolment.save(update_fields=fields)
    enrolment.disadvantages.set(disadvantages)
    enrolment.exit_situations.set(exit_situations)
    still_open = Enrolment.objects.filter(client=enrolment.client_id, exit_date=None).exists()
    status = ClientStatus.ACTIVE if still_open else ClientStatus.CLOSED
    Client.objects.filter(pk=enrolment.client_id).exclude(status=status).update(status=status)
    return enrolment


# --- Individual plans (quality standard 5), tasks and documents -----------------------------

PLAN_CHANGED_MEANWHILE = _(
    "Someone else saved changes to this plan while you were editing. Your changes were not "
    "saved, but they are still in the form below: open the plan in a new tab to see the "
    "current version, then enter your changes there."
)
PLAN_CHANGED_BEFORE_SIGNING = _(
    "The plan was changed after you opened it. Read the current version below before you "
    "sign it off."
)
CLIENT_NOT_IN_PROJECT = _("%(client)s does not take part in this project.")
GOAL_HAS_INTERVENTIONS = _(
    "The goal “%(goal)s” has logged interventions, so it cannot be removed. Change its "
    "status to “Dropped” instead."
)
TASK_CHANGED_MEANWHILE = _(
    "Someone else saved changes to this task while you were editing. Your changes were not "
    "saved, but they are still in the form below: open the task in a new tab to see the "
    "current version, then enter your changes there."
)

PLAN_FIELDS = [
    "status",
    "created_on",
    "review_due",
    "next_meeting_on",
    "next_meeting_note",
    "evaluation",
]
TASK_FIELDS = ["title", "kind", "due_date", "owner", "client", "project", "note"]


def _check_client_in_project(client: Client, project: Project) -> None:
    enrolled = Enrolment.objects.filter(client=client, project=project).exists()
    if not enrolled and not CaseAssignment.objects.filter(client=client, project=project).exists():
        raise ValidationError(CLIENT_NOT_IN_PROJECT, params={"client": client.full_name})


def _removable_goals(plan: IndividualPlan, removed: Iterable[PlanGoal]) -> list[PlanGoal]:
    """The goals of ``plan`` among ``removed``; refused when logged support links to one."""
    goals = [goal for goal in removed if goal.pk is not None and goal.plan_id == plan.pk]
    for goal in goals:
        if goal.interventions.exists():
            raise ValidationError(GOAL_HAS_INTERVENTIONS, params={"goal": str(goal)})
    return goals


def _save_goals(
    plan: IndividualPlan, goals: Sequence[PlanGoal], removed: Iterable[PlanGoal]
) -> None:
    """Delete the ``removed`` goals and save ``goals`` in the given order."""
    for goal in removed:
        goal.delete()
    for order, goal in enumerate(goals):
        if goal.pk is not None and goal.plan_id != plan.pk:
            continue
        goal.plan = plan
        goal.order = order
        goal.full_clean()
        goal.save()


@transaction.atomic
def create_plan(
    plan: IndividualPlan, *, by: AbstractBaseUser, goals: Sequence[PlanGoal]
) -> IndividualPlan:
    """Save a new individual plan of ``plan.client`` in ``plan.project`` with its goals.

    Refuses with ``CLIENT_NOT_IN_PROJECT`` when the client is neither enrolled nor assigned in
    the project. Records ``by`` as the author; the plan starts unsigned, and the goals are
    saved in the given order.
    """
    _check_client_in_project(plan.client, plan.project)
    plan.created_by = by
    plan.signed_by = None
    plan.signed_at = None
    plan.full_clean()
    plan.save()
    _save_goals(plan, goals, removed=())
    return plan


@transaction.atomic
def update_plan(
    plan: IndividualPlan,
    *,
    by: AbstractBaseUser,
    version: int,
    goals: Sequence[PlanGoal],
    removed_goals: Iterable[PlanGoal] = (),
) -> IndividualPlan:
    """Save an edited plan (``plan`` holds the new values of ``PLAN_FIELDS``) and its goals.

    Refuses with ``PLAN_CHANGED_MEANWHILE`` when the row's version is no longer ``version``.
    Any change clears the guarantor's signature (what was signed is no longer the plan), so
    a signed plan must be signed off again. Deletes ``removed_goals`` (refused with
    ``GOAL_HAS_INTERVENTIONS`` for a goal that logged support links to), saves ``goals`` in
    order, and increments the version.
    """
    current = lock_at_version(IndividualPlan, plan.pk, version, PLAN_CHANGED_MEANWHILE)
    removed = _removable_goals(plan, removed_goals)
    plan.signed_by = None
    plan.signed_at = None
    plan.version = current.version + 1
    plan.full_clean()
    plan.save(update_fields=[*PLAN_FIELDS, "signed_by", "signed_at", "version"])
    _save_goals(plan, goals, removed)
    return plan


@transaction.atomic
def sign_plan(plan: IndividualPlan, *, by: AbstractBaseUser, version: int) -> IndividualPlan:
    """Record ``by`` as the guarantor who signed off the plan, now.

    The caller has checked ``can_sign_plan``. Refuses with ``PLAN_CHANGED_BEFORE_SIGNING``
    when the plan changed since the guarantor opened it (``version``), so nobody signs a text
    they have not read. Increments the version, so an edit begun before the signature is
    refused rather than silently clearing it.
    """
    current = IndividualPlan.objects.select_for_update().get(pk=plan.pk)
    if current.version != version:
        raise ValidationError(PLAN_CHANGED_BEFORE_SIGNING, code="stale")
    current.signed_by = by
    current.signed_at = timezone.now()
    current.version += 1
    current.save(update_fields=["signed_by", "signed_at", "version"])
    return current


@transaction.atomic
def update_task(task: Task, *, by: AbstractBaseUser, version: int) -> Task:
    """Save an edited task (``task`` holds the new values of ``TASK_FIELDS``).

    Refuses with ``TASK_CHANGED_MEANWHILE`` when the row's version is no longer ``version``;
    otherwise saves the fields and increments the version.
    """
    current = lock_at_version(Task, task.pk, version, TASK_CHANGED_MEANWHILE)
    task.version = current.version + 1
    task.full_clean()
    task.save(update_fields=[*TASK_FIELDS, "version"])
    return task


@transaction.atomic
def set_task_done(task: Task, *, by: AbstractBaseUser, done: bool = True) -> Task:
    """Mark a task done now (or open again with ``done=False``) and increment its version.

    Marking a done task done again keeps the first time it was done.
    """
    current = Task.objects.select_for_update().get(pk=task.pk)
    if done and current.done_at is None:
        current.done_at = timezone.now()
    elif not done:
        current.done_at = None
    current.version += 1
    current.save(update_fields=["done_at", "version"])
    task.done_at, task.version = current.done_at, current.version
    return task


def _sha256(file) -> str:
    digest = hashlib.sha256()
    for chunk in file.chunks():
        digest.update(chunk)
    return digest.hexdigest()


@transaction.atomic
def store_document(
    client: Client,
    *,
    by: AbstractBaseUser,
    file,
    content_type: str,
    kind: str,
    title: str,
    original_name: str,
    project: Project | None = None,
) -> Document:
    """Store an uploaded ``file`` (already checked by ``casework.uploads``) for ``client``.

    Writes the file under MEDIA_ROOT with the random name of ``document_upload_path``
    (nothing about the client or the original name in it), then records the original name,
    ``content_type``, size and SHA-256 of the content. If the database write fails the
    stored file is removed again, so no orphan stays on disk (call it outside any enclosing
    transaction: a later rollback of the caller's transaction would leave the file). With
    ``project``, refuses with ``CLIENT_NOT_IN_PROJECT`` when the client does not take part
    in it.
    """
    if project is not None:
        _check_client_in_project(client, project)
    document = Document(
        client=client,
        project=project,
        kind=kind,
        title=title,
        original_name=original_name,
        content_type=content_type,
        size=file.size,
        sha256=_sha256(file),
        uploaded_by=by,
    )
    document.file.save(original_name, file, save=False)
    try:
        document.full_clean()
        document.save()
    except BaseException:
        document.file.delete(save=False)
        raise
    return document


# --- Reassigning a client ---------------------------------------------------------------------

REASSIGN_IN_FUTURE = _("A client can be reassigned from today or an earlier day, not later.")
REASSIGN_BEFORE_START = _(
    "The client's current assignment in this project started after that day; choose a later day."
)


@transaction.atomic
def reassign_client(
    client: Client,
    *,
    project: Project,
    to_worker: AbstractBaseUser,
    by: AbstractBaseUser,
    on: dt.date,
) -> CaseAssignment:
    """Make ``to_worker`` the client's key worker in ``project`` from ``on``.

    Ends the current primary assignment(s) in the project on the day before ``on`` (on ``on``
    itself when it started that day), and a shared assignment ``to_worker`` already had there,
    then creates the new primary assignment with ``assigned_by``. Ended rows stay as the
    history the case file shows. The client's assignments in the project are locked first, so
    two guarantors reassigning at once cannot leave two key workers. Raises
    ``ValidationError`` when ``to_worker`` is not a field worker of the project.
    """
    _check_worker(project, to_worker)
    if on > timezone.localdate():
        # Ending an assignment takes effect at once (``current()`` is "no end date").
        raise ValidationError(REASSIGN_IN_FUTURE)
    current = list(
        CaseAssignment.objects.select_for_update()
        .filter(client=client, project=project, ended_on__isnull=True)
        .order_by("pk")
    )
    if any(a.started_on > on for a in current):
        raise ValidationError(REASSIGN_BEFORE_START)
    for assignment in current:
        if assignment.kind == CaseAssignment.Kind.PRIMARY or assignment.worker_id == to_worker.pk:
            assignment.ended_on = max(on - dt.timedelta(days=1), assignment.started_on)
            assignment.save(update_fields=["ended_on"])
    return CaseAssignment.objects.create(
        client=client,
        project=project,
        worker=to_worker,
        kind=CaseAssignment.Kind.PRIMARY,
        started_on=on,
        assigned_by=by,
    )
