"""Two-step verification, password change, signing out everywhere, and unlocking accounts."""

from __future__ import annotations

import datetime as dt
from base64 import b32encode
from binascii import unhexlify

import qrcode
import qrcode.image.svg
from axes.models import AccessAttempt
from axes.utils import reset as reset_lockout
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from casework.accounts import notifications, sessions
from casework.accounts.forms import SetupForm, TokenForm
from casework.accounts.reauth import ReauthForm
from casework.roles import Role, admin_organisation_ids, has_role

RECOVERY_CODE_COUNT = 10


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return settings.LOGIN_REDIRECT_URL


def _state(request) -> str:
    return request.session.get(sessions.MFA_STATE, sessions.MFA_OK)


def _verified(request, device) -> None:
    otp_login(request, device)
    request.session[sessions.MFA_STATE] = sessions.MFA_OK
    request.session.cycle_key()


@transaction.atomic
def _new_recovery_codes(user) -> list[str]:
    device, _created = StaticDevice.objects.get_or_create(user=user, name="recovery")
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@transaction.atomic
def _remove_devices(user) -> None:
    """Delete the person's authenticator app and recovery codes."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()


@login_required
def mfa_verify(request):
    """Ask for a code after the password (for everyone who has set up the app)."""
    if _state(request) != sessions.MFA_VERIFY:
        return redirect(_next_url(request))
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(request.user, form.cleaned_data["token"])
        if device is not None:
            _verified(request, device)
            if isinstance(device, StaticDevice):
                left = device.token_set.count()
                messages.warning(
                    request,
                    ngettext(
                        "You signed in with a recovery code; %(count)d code is left.",
                        "You signed in with a recovery code; %(count)d codes are left.",
                        left,
                    )
                    % {"count": left},
                )
            return redirect(_next_url(request))
        form.add_error(
            "token",
            _(
                "This code is not valid. Check the time on your phone, wait for a new code, or "
                "use one of your recovery codes."
            ),
        )
    return render(request, "accounts/mfa_verify.html", {"form": form, "next": _next_url(request)})


def _qr_svg(device: TOTPDevice) -> str:
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage)
    return image.to_string(encoding="unicode")


@login_required
def mfa_setup(request):
    """Enrol an authenticator app: a QR code, one code to confirm, then recovery codes."""
    state = _state(request)
    if state == sessions.MFA_VERIFY:
        return redirect("accounts:mfa_verify")
    if sessions.has_confirmed_device(request.user):
        return redirect("accounts:security")
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).order_by(
        "pk"
    ).first() or TOTPDevice.objects.create(user=request.user, name="app", confirmed=False)
    form = SetupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            with transaction.atomic():
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                TOTPDevice.objects.filter(user=request.user, confirmed=False).delete()
                codes = _new_recovery_codes(request.user)
            _verified(request, device)
            notifications.notify(request.user, notifications.MFA_ON)
            return render(
                request,
                "accounts/recovery_codes.html",
                {"codes": codes, "next": _next_url(request), "first_time": True},
            )
        form.add_error(
            "token",
            _("This code does not match. Check the time on your phone and try the next code."),
        )
    secret = b32encode(unhexlify(device.key)).decode()
    context = {
        "form": form,
        "qr_svg": mark_safe(_qr_svg(device)),  # noqa: S308 - generated SVG, no user input
        "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        "required": state == sessions.MFA_SETUP,
        "next": _next_url(request),
    }
    return render(request, "accounts/mfa_setup.html", context)


CODES_PREFIX, OFF_PREFIX = "codes", "off"


def _security_page(request, *, codes_form=None, off_form=None, status=200):
    user = request.user
    static = StaticDevice.objects.filter(user=user).first()
    context = {
        "has_device": sessions.has_confirmed_device(user),
        "required": sessions.mfa_required(user),
        "codes_left": static.token_set.count() if static else 0,
        "idle_minutes": settings.ACCOUNTS_IDLE_TIMEOUT // 60,
        "max_hours": settings.ACCOUNTS_SESSION_MAX_AGE // 3600,
        "codes_form": codes_form or ReauthForm(request=request, prefix=CODES_PREFIX),
        "off_form": off_form or ReauthForm(request=request, prefix=OFF_PREFIX),
    }
    return render(request, "accounts/security.html", context, status=status)


@login_required
def security(request):
    """The person's own sign-in security: two-step verification and their sessions."""
    return _security_page(request)


@require_POST
@login_required
def recovery_codes(request):
    """Replace the recovery codes with new ones (the old ones stop working).

    The person confirms with their password and a current code first; they get a mail.
    """
    if not sessions.has_confirmed_device(request.user):
        return redirect("accounts:mfa_setup")
    form = ReauthForm(request.POST, request=request, prefix=CODES_PREFIX)
    if not form.is_valid():
        return _security_page(request, codes_form=form, status=400)
    codes = _new_recovery_codes(request.user)
    notifications.notify(request.user, notifications.RECOVERY_CODES)
    return render(
        request,
        "accounts/recovery_codes.html",
        {"codes": codes, "next": settings.LOGIN_REDIRECT_URL, "first_time": False},
    )


@require_POST
@login_required
def mfa_disable(request):
    """Turn two-step verification off, where the person's roles do not require it.

    The person confirms with their password and a current code first; they get a mail.
    """
    if sessions.mfa_required(request.user):
        raise PermissionDenied
    if not sessions.has_confirmed_device(request.user):
        return redirect("accounts:security")
    form = ReauthForm(request.POST, request=request, prefix=OFF_PREFIX)
    if not form.is_valid():
        return _security_page(request, off_form=form, status=400)
    _remove_devices(request.user)
    notifications.notify(request.user, notifications.MFA_OFF)
    messages.success(request, _("Two-step verification is turned off."))
    return redirect("accounts:security")


@require_POST
@login_required
def logout_everywhere(request):
    """Sign out on every device, this one included; the person gets a mail."""
    user = request.user
    sessions.end_all_sessions(user)
    logout(request)
    notifications.notify(user, notifications.SIGNED_OUT_EVERYWHERE)
    messages.success(request, _("You have been signed out on all devices."))
    return redirect(settings.LOGOUT_REDIRECT_URL)


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's password change, with a mail to the account owner once it is done."""

    def form_valid(self, form):
        response = super().form_valid(form)
        notifications.notify(self.request.user, notifications.PASSWORD_CHANGED)
        return response


def locked_out(request, original_response=None, credentials=None):
    """What a locked-out sign-in gets (django-axes ``AXES_LOCKOUT_CALLABLE``)."""
    minutes = round(settings.AXES_COOLOFF_TIME * 60) if settings.AXES_COOLOFF_TIME else None
    return render(
        request,
        "accounts/locked_out.html",
        {"minutes": minutes, "failure_limit": settings.AXES_FAILURE_LIMIT},
        status=429,
    )


def _organisation_users(user):
    """People with a role in a project of an organisation the user administers."""
    return (
        get_user_model()
        .objects.filter(memberships__project__organisation__in=admin_organisation_ids(user))
        .distinct()
    )


def _locked_attempts():
    attempts = AccessAttempt.objects.filter(failures_since_start__gte=settings.AXES_FAILURE_LIMIT)
    if settings.AXES_COOLOFF_TIME:
        since = timezone.now() - dt.timedelta(hours=settings.AXES_COOLOFF_TIME)
        attempts = attempts.filter(attempt_time__gte=since)
    return attempts


@login_required
def lockouts(request):
    """Accounts of the administrator's organisation locked out by failed sign-ins."""
    if not has_role(request.user, Role.ADMIN):
        raise PermissionDenied
    people = _organisation_users(request.user).order_by("last_name", "first_name", "username")
    locked = people.filter(username__in=_locked_attempts().values("username"))
    enrolled = people.filter(pk__in=TOTPDevice.objects.filter(confirmed=True).values("user"))
    return render(
        request, "accounts/lockouts.html", {"locked_users": locked, "enrolled_users": enrolled}
    )


@require_POST
@login_required
def unlock(request, pk):
    """Lift the lockout of one account of the administrator's organisation."""
    if not has_role(request.user, Role.ADMIN):
        raise PermissionDenied
    person = get_object_or_404(_organisation_users(request.user), pk=pk)
    reset_lockout(username=person.get_username())
    messages.success(
        request, _("%(name)s can sign in again.") % {"name": person.get_full_name() or person}
    )
    return redirect("accounts:lockouts")


@require_POST
@login_required
def mfa_reset(request, pk):
    """Delete the authenticator and recovery codes of a person who lost both.

    Their sessions end too; at the next sign-in they set up a new app (or, as a worker, may).
    """
    if not has_role(request.user, Role.ADMIN):
        raise PermissionDenied
    person = get_object_or_404(_organisation_users(request.user), pk=pk)
    had_device = sessions.has_confirmed_device(person)
    _remove_devices(person)
    if person != request.user:
        sessions.end_all_sessions(person)
    if had_device:
        notifications.notify(person, notifications.MFA_OFF)
    messages.success(
        request,
        _("Two-step verification of %(name)s was reset.")
        % {"name": person.get_full_name() or person},
    )
    return redirect("accounts:lockouts")
