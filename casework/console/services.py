"""Writes of the administrator's console: invitations, roles, deactivation, project settings."""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext_lazy as _

from casework.models import Membership, Organisation, Project

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser
    from django.db.models import QuerySet
    from django.forms import BaseModelFormSet, ModelForm

CHANGED_MEANWHILE = _(
    "Another administrator saved these settings while you were editing them. Nothing of yours "
    "was saved; your input is still in the form. Reload the page to see their changes, then "
    "enter yours again."
)
ROWS_CONFLICT = _(
    "The rows could not be saved: a code, number or date range clashes with another row of "
    "the project. Check the values and save again."
)
CANNOT_DEACTIVATE_SELF = _("You cannot deactivate your own account.")
WORKS_ELSEWHERE = _(
    "This person also works for another organisation; only that organisation's administrator "
    "together with yours (or a superuser) can deactivate the account."
)
CANNOT_DROP_OWN_ADMIN = _(
    "You cannot remove your own administrator role; ask another administrator to do it."
)


def fingerprint(*parts) -> str:
    """A short digest of stored values, for detecting a concurrent save (see forms)."""
    payload = json.dumps(parts, default=str, sort_keys=True)
    return hashlib.sha256(payload.encode()).hexdigest()[:32]


def project_fingerprint(project: Project) -> str:
    row = Project.objects.filter(pk=project.pk).values().get()
    localities = sorted(project.localities.values_list("pk", flat=True))
    return fingerprint(row, localities)


def rows_fingerprint(queryset: QuerySet) -> str:
    return fingerprint(list(queryset.order_by("pk").values()))


def organisation_fingerprint(organisation: Organisation) -> str:
    row = Organisation.objects.filter(pk=organisation.pk).values().get()
    return fingerprint(row, list(organisation.localities.order_by("pk").values()))


def _send_invitation(user, *, project: Project, role: str, by) -> None:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    path = reverse("console:password_set", args=[uid, token])
    context = {
        "user": user,
        "project": project,
        "role": dict(Membership._meta.get_field("role").choices)[role],
        "invited_by": by,
        "link": settings.SITE_URL.rstrip("/") + path,
    }
    subject = render_to_string("console/email/invitation_subject.txt", context).strip()
    body = render_to_string("console/email/invitation_body.txt", context)
    send_mail(subject, body, None, [user.email])


@transaction.atomic
def invite_user(
    *,
    by: AbstractBaseUser,
    email: str,
    first_name: str,
    last_name: str,
    project: Project,
    role: str,
):
    """Create an account with no usable password, give it ``role`` in ``project``, and e-mail
    a link (Django's password-reset token) where the person sets their own password.

    The mail leaves after the transaction commits, so a failed save sends nothing.
    """
    user = get_user_model()(username=email, email=email, first_name=first_name, last_name=last_name)
    user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    Membership.objects.create(user=user, project=project, role=role)
    transaction.on_commit(lambda: _send_invitation(user, project=project, role=role, by=by))
    return user


@transaction.atomic
def set_membership(person, *, by: AbstractBaseUser, project: Project, role: str) -> Membership:
    """Give ``person`` ``role`` in ``project``, replacing the role they had there."""
    membership, created = Membership.objects.select_for_update().get_or_create(
        user=person, project=project, defaults={"role": role}
    )
    if not created and membership.role != role:
        if person.pk == by.pk and membership.role == "admin" and not by.is_superuser:
            raise ValidationError(CANNOT_DROP_OWN_ADMIN, code="own_admin")
        membership.role = role
        membership.save(update_fields=["role"])
    return membership


@transaction.atomic
def remove_membership(membership: Membership, *, by: AbstractBaseUser) -> None:
    """End a person's role in a project; their logged work and history stay as they are."""
    if membership.user_id == by.pk and membership.role == "admin" and not by.is_superuser:
        raise ValidationError(CANNOT_DROP_OWN_ADMIN, code="own_admin")
    membership.delete()


@transaction.atomic
def set_user_active(person, *, by: AbstractBaseUser, active: bool, may_manage_all: bool):
    """Deactivate (or reactivate) an account. A deactivated person cannot sign in and sees
    nothing (``casework.roles``); their records, memberships and history are kept.
    """
    if person.pk == by.pk:
        raise ValidationError(CANNOT_DEACTIVATE_SELF, code="self")
    if not may_manage_all:
        raise ValidationError(WORKS_ELSEWHERE, code="elsewhere")
    locked = get_user_model().objects.select_for_update().get(pk=person.pk)
    if locked.is_active != active:
        locked.is_active = active
        locked.save(update_fields=["is_active"])
    return locked


def _check_fingerprint(current: str, submitted: str) -> None:
    if current != submitted:
        raise ValidationError(CHANGED_MEANWHILE, code="stale")


@transaction.atomic
def save_project_settings(form: ModelForm, *, by: AbstractBaseUser) -> Project:
    """Save the settings form of a project unless someone saved the project meanwhile.

    The project row is locked, its current fingerprint compared with the one the form was
    built from; on a mismatch nothing is written (``ValidationError`` code ``stale``).
    """
    project = Project.objects.select_for_update().get(pk=form.instance.pk)
    _check_fingerprint(project_fingerprint(project), form.cleaned_data["fingerprint"])
    return form.save()


@transaction.atomic
def save_project_rows(
    project: Project, formset: BaseModelFormSet, *, by: AbstractBaseUser, rows: QuerySet
) -> None:
    """Save a project's rows (key activities, indicators, periods) from ``formset``.

    Locks the project, refuses when the rows changed since the page was loaded, and turns a
    database constraint the form could not see (e.g. overlapping periods) into a message.
    """
    Project.objects.select_for_update().get(pk=project.pk)
    _check_fingerprint(rows_fingerprint(rows), formset.fingerprint)
    try:
        with transaction.atomic():
            formset.save()
    except IntegrityError as error:
        raise ValidationError(ROWS_CONFLICT, code="conflict") from error


@transaction.atomic
def save_organisation(
    form: ModelForm, localities: BaseModelFormSet, *, by: AbstractBaseUser
) -> Organisation:
    """Save an organisation's details and localities unless someone saved them meanwhile."""
    organisation = Organisation.objects.select_for_update().get(pk=form.instance.pk)
    _check_fingerprint(organisation_fingerprint(organisation), form.cleaned_data["fingerprint"])
    try:
        with transaction.atomic():
            form.save()
            localities.save()
    except IntegrityError as error:
        raise ValidationError(ROWS_CONFLICT, code="conflict") from error
    return organisation


@transaction.atomic
def save_code_list(formset: BaseModelFormSet, *, by: AbstractBaseUser, rows: QuerySet) -> None:
    """Save a shared code list unless its rows changed since the page was loaded."""
    list(rows.select_for_update())
    _check_fingerprint(rows_fingerprint(rows), formset.fingerprint)
    try:
        with transaction.atomic():
            formset.save()
    except IntegrityError as error:
        raise ValidationError(ROWS_CONFLICT, code="conflict") from error


@transaction.atomic
def create_project(form: ModelForm, *, by: AbstractBaseUser) -> Project:
    """Create a project from ``form``; the creating administrator keeps access through the
    organisation (``admin_organisation_ids``), so no membership is added.
    """
    return form.save()
