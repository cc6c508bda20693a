"""Roles and the access scopes every model's ``visible_to`` is built from.

A person holds a role per project through a ``Membership``:

- **worker** sees the clients assigned to them in the projects where they are a worker
  (a guarantor may share a client with them by a second assignment);
- **guarantor** sees everything in the projects where they are guarantor;
- **admin** sees everything in the organisation that runs the project where they are admin.

Access is decided here and in the ``visible_to`` QuerySet methods that use these helpers;
views never filter by role on their own. A deactivated user (``is_active=False``) sees nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

    AnyUser = AbstractBaseUser | AnonymousUser


class Role(models.TextChoices):
    WORKER = "worker", _("Field social worker")
    GUARANTOR = "guarantor", _("Project guarantor")
    ADMIN = "admin", _("Administrator")


def is_active_user(user: AnyUser) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


@dataclass(frozen=True)
class Access:
    """What one user's memberships open, read in one query (``access_of``)."""

    roles: frozenset[str]
    admin_organisations: tuple[int, ...]
    managed_projects: tuple[int, ...]
    worker_projects: tuple[int, ...]


NO_ACCESS = Access(frozenset(), (), (), ())

# Bumped whenever a membership or a project changes in this process (``casework.apps``): an
# ``Access`` cached on a user object is recomputed after that, so code that changes roles and
# then checks access in the same request (or test) never sees the old roles.
_generation = 0


def memberships_changed(**kwargs) -> None:
    global _generation
    _generation += 1


def access_of(user: AnyUser) -> Access:
    """The user's roles and the ids every access scope is built from, as plain lists.

    Cached on the user object, which lives for one request: the scopes of a page then carry
    literal ids instead of rebuilding the same membership subqueries a dozen times (building
    such a scope cost Django 1–4 ms each). One query: the projects where the user has a
    membership or administers the organisation, with the user's role there.
    """
    if not is_active_user(user):
        return NO_ACCESS
    cached = getattr(user, "_casework_access", None)
    if cached is not None and cached[0] == _generation:
        return cached[1]
    from django.db import connections, router

    from casework.compiled import bound_sql
    from casework.models import Project

    generation = _generation
    with connections[router.db_for_read(Project)].cursor() as cursor:
        cursor.execute(*bound_sql(_access_statement, (), (), ids=[user.pk]))
        rows = cursor.fetchall()
    roles, admin_orgs, guaranteed, worked, organisation_of = set(), set(), set(), set(), {}
    for project, organisation, role in rows:
        organisation_of[project] = organisation
        if role:
            roles.add(role)
        if role == Role.ADMIN:
            admin_orgs.add(organisation)
        elif role == Role.GUARANTOR:
            guaranteed.add(project)
        elif role == Role.WORKER:
            worked.add(project)
    if user.is_superuser:
        roles.add(Role.ADMIN)
    managed = guaranteed | {p for p, org in organisation_of.items() if org in admin_orgs}
    access = Access(
        roles=frozenset(roles),
        admin_organisations=tuple(sorted(admin_orgs)),
        managed_projects=tuple(sorted(managed)),
        worker_projects=tuple(sorted(worked)),
    )
    user._casework_access = (generation, access)
    return access


@dataclass(frozen=True)
class ScopeOwner:
    """A user as the access scopes read them: equal for two users exactly when every
    ``visible_to`` builds the same SQL for both (same key, flags and ``Access``).

    A ``casework.compiled`` statement built from a scope is kept under this key, so a change
    of roles, a deactivation or a new project gives a new key and a new statement. ``user``
    is the object the scopes are built from; it takes no part in the comparison.
    """

    pk: int
    is_active: bool
    is_superuser: bool
    access: Access
    user: AnyUser = field(compare=False, hash=False, repr=False)


def scope_owner(user: AnyUser) -> ScopeOwner:
    return ScopeOwner(
        pk=user.pk,
        is_active=is_active_user(user),
        is_superuser=bool(user.is_superuser),
        access=access_of(user),
        user=user,
    )


def _access_statement(dates, ids) -> tuple[str, list]:
    """``access_of``'s one query for the user ``ids[0]`` (a ``casework.compiled`` builder):
    the projects where the user has a membership or administers the organisation, with the
    user's role there (none for the organisation's other projects)."""
    from casework.compiled import queryset_sql
    from casework.models import Membership, Project

    (user,) = ids
    admin_organisations = Membership.objects.filter(user=user, role=Role.ADMIN).values(
        "project__organisation"
    )
    return queryset_sql(
        Project.objects.alias(
            mine=models.FilteredRelation("memberships", condition=models.Q(memberships__user=user))
        )
        .filter(models.Q(mine__isnull=False) | models.Q(organisation__in=admin_organisations))
        .order_by()
        .values_list("pk", "organisation_id", "mine__role")
    )


def admin_organisation_ids(user: AnyUser) -> list[int]:
    """Organisations in which the user administers at least one project."""
    return list(access_of(user).admin_organisations)


def managed_project_ids(user: AnyUser) -> list[int]:
    """Projects whose whole record the user may see: as guarantor, or as the org's admin."""
    return list(access_of(user).managed_projects)


def manages_project(user: AnyUser, project_id: int) -> bool:
    """Whether the user oversees the project as guarantor or admin: ``managed_by`` for one
    project, from the user's cached access (no query)."""
    if not is_active_user(user):
        return False
    return user.is_superuser or project_id in access_of(user).managed_projects


def worker_project_ids(user: AnyUser) -> list[int]:
    """Projects in which the user is a field worker."""
    return list(access_of(user).worker_projects)


def roles_of(user: AnyUser) -> set[str]:
    """All roles the user holds in any project (for navigation and home pages)."""
    return set(access_of(user).roles)


def has_role(user: AnyUser, *roles: str) -> bool:
    return bool(roles_of(user) & set(roles))


def can_edit_intervention(user: AnyUser, intervention) -> bool:
    """Whether the user may change a logged intervention (reading is ``visible_to``'s job).

    Workers who took part in it may edit it, and so may the guarantor and the administrator of
    its project. A worker who only sees it because the client is now on their caseload may not:
    the record is the other worker's account of their work.
    """
    if not is_active_user(user):
        return False
    if user.is_superuser:
        return True
    from casework.models import Intervention, InterventionWorker

    took_part = InterventionWorker.objects.filter(intervention=models.OuterRef("pk"), worker=user)
    return (
        Intervention.objects.filter(pk=intervention.pk)
        .filter(models.Q(project__in=managed_project_ids(user)) | models.Exists(took_part))
        .exists()
    )


def can_sign_plan(user: AnyUser, plan) -> bool:
    """Whether the user may sign off an individual plan: its project's guarantor or admin.

    Reading and editing the plan is ``visible_to``'s job; a field worker edits plans but the
    sign-off is the guarantor's professional check (SPEC.md roles table).
    """
    if not is_active_user(user):
        return False
    if user.is_superuser:
        return True
    from casework.models import Project

    return Project.objects.filter(pk=plan.project_id, pk__in=managed_project_ids(user)).exists()


def manages_any_project(user: AnyUser) -> bool:
    """Whether the user is a guarantor or administrator somewhere (the board's audience)."""
    if not is_active_user(user):
        return False
    return user.is_superuser or has_role(user, Role.GUARANTOR, Role.ADMIN)


def manager_required(view):
    """Refuse (403) a view to users who manage no project: field workers only see their own.

    Put it below ``@login_required``, so a logged-out visitor is sent to log in instead.
    """
    from functools import wraps

    from django.core.exceptions import PermissionDenied

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not manages_any_project(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped
