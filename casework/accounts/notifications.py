"""E-mail to the owner of an account after a security event on it.

Someone who did not cause the event learns that their password or session is in other hands.
The message says what happened and when, never a password, code or client data. Accounts keep
no language preference, so the mail is in the interface's first language (Czech).
"""

from __future__ import annotations

import logging
import smtplib

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

LOCKED_OUT = "locked_out"
MFA_ON = "mfa_on"
MFA_OFF = "mfa_off"
RECOVERY_CODES = "recovery_codes"
PASSWORD_CHANGED = "password_changed"  # noqa: S105 - an event name, not a password
SIGNED_OUT_EVERYWHERE = "signed_out_everywhere"

# event: (subject, what happened)
EVENTS = {
    LOCKED_OUT: (
        _("Your account is locked"),
        _(
            "Your account was locked after too many failed sign-in attempts. It opens again "
            "after a while, or your organisation's administrator can unlock it."
        ),
    ),
    MFA_ON: (
        _("Two-step verification is on"),
        _("Two-step verification was turned on for your account."),
    ),
    MFA_OFF: (
        _("Two-step verification is off"),
        _("Two-step verification was turned off for your account."),
    ),
    RECOVERY_CODES: (
        _("New recovery codes"),
        _("New recovery codes were created for your account; the previous ones no longer work."),
    ),
    PASSWORD_CHANGED: (
        _("Your password was changed"),
        _("The password of your account was changed."),
    ),
    SIGNED_OUT_EVERYWHERE: (
        _("Signed out on all devices"),
        _("Your account was signed out on all devices."),
    ),
}


def notify(user, event: str) -> bool:
    """Send the account owner a mail about ``event`` (one of ``EVENTS``).

    Returns whether a mail went out: not when the account has no address or the mail server
    refused it (the event itself has happened either way, so that is logged, not raised).
    """
    if not user.email:
        return False
    subject, message = EVENTS[event]
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "user": user,
            "message": message,
            "when": timezone.localtime(),
            "security_url": settings.SITE_URL.rstrip("/") + reverse("accounts:security"),
            "locked_out": event == LOCKED_OUT,
        }
        subject = f"Casework: {subject}"
        body = render_to_string("accounts/email/security_event.txt", context)
    try:
        send_mail(subject, body, None, [user.email])
    except (smtplib.SMTPException, OSError):
        logger.warning("Security notification %s could not be sent.", event)
        return False
    return True


def locked_out(sender, request=None, username=None, **kwargs) -> None:
    """django-axes ``user_locked_out`` receiver: tell the owner once, when the lockout begins.

    axes sends the signal again for every attempt during a lockout; only the attempt that
    reaches the limit mails, so a guesser cannot flood the owner's inbox.
    """
    from axes.helpers import get_failure_limit

    if request is None or not username:
        return
    failures = getattr(request, "axes_failures_since_start", None)
    credentials = getattr(request, "axes_credentials", None)
    if failures != get_failure_limit(request, credentials):
        return
    user = get_user_model()._default_manager.filter(**{get_user_model().USERNAME_FIELD: username})
    for owner in user[:1]:
        notify(owner, LOCKED_OUT)
