"""Who the administrator's console is for, and what each administrator may manage.

An administrator manages the organisations in which they administer a project
(``casework.roles.admin_organisation_ids``): those organisations, their projects, and the people
holding a role in them. A superuser manages everything. Everyone else gets 403.
"""

from __future__ import annotations

from functools import wraps

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from casework.models import Membership, Organisation, Project
from casework.roles import Role, admin_organisation_ids, has_role, is_active_user


def is_console_user(user) -> bool:
    if not is_active_user(user):
        return False
    return user.is_superuser or has_role(user, Role.ADMIN)


def admin_required(view):
    """Refuse (403) the console to anyone who administers nothing; put it below login."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not is_console_user(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def superuser_required(view):
    """Shared reference data (code lists used by every organisation): superusers only."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not (is_active_user(request.user) and request.user.is_superuser):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def managed_organisations(user) -> QuerySet[Organisation]:
    if user.is_superuser:
        return Organisation.objects.all()
    return Organisation.objects.filter(pk__in=admin_organisation_ids(user))


def managed_projects(user) -> QuerySet[Project]:
    if user.is_superuser:
        return Project.objects.all()
    return Project.objects.filter(organisation__in=admin_organisation_ids(user))


def managed_users(user) -> QuerySet:
    """People holding a role in a project of the organisations the user administers."""
    users = get_user_model().objects.all()
    if user.is_superuser:
        return users
    return users.filter(pk__in=managed_memberships(user).values("user"))


def managed_memberships(user) -> QuerySet[Membership]:
    return Membership.objects.filter(project__in=managed_projects(user))


def get_managed_user(user, pk: int):
    return get_object_or_404(managed_users(user), pk=pk)


def get_managed_project(user, pk: int) -> Project:
    return get_object_or_404(managed_projects(user).select_related("organisation"), pk=pk)


def get_managed_organisation(user, pk: int) -> Organisation:
    return get_object_or_404(managed_organisations(user), pk=pk)


def manages_all_memberships_of(user, person) -> bool:
    """Whether every role ``person`` holds is in an organisation ``user`` administers.

    Deactivating locks a person out everywhere, so an administrator may do it only to people
    who work for their organisations alone.
    """
    if user.is_superuser:
        return True
    if person.is_superuser:
        return False
    return not person.memberships.exclude(project__in=managed_projects(user)).exists()
