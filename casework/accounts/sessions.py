"""Session bookkeeping: when it started, when it was last used, how far verification got.

Everything lives in the session itself, written at sign-in, so checking it on each request
costs no database query. The last-seen time is written at most once a minute.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils import timezone

from casework.roles import Role, has_role

LOGIN_AT = "accounts_login_at"
SEEN_AT = "accounts_seen_at"
MFA_STATE = "accounts_mfa"
# MFA_STATE values: verified (or not needed), waiting for a code, waiting for enrolment.
MFA_OK, MFA_VERIFY, MFA_SETUP = "ok", "verify", "setup"
SEEN_RESOLUTION = 60


def now() -> int:
    return int(time.time())


def mfa_required(user) -> bool:
    """Guarantors, administrators and staff must use two-step verification."""
    if not settings.ACCOUNTS_MFA_REQUIRED:
        return False
    return bool(user.is_staff or user.is_superuser or has_role(user, Role.GUARANTOR, Role.ADMIN))


def has_confirmed_device(user) -> bool:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def initial_mfa_state(user) -> str:
    if has_confirmed_device(user):
        return MFA_VERIFY
    return MFA_SETUP if mfa_required(user) else MFA_OK


def start(sender, request, user, **kwargs):
    """``user_logged_in`` receiver: stamp the new session."""
    if request is None or not hasattr(request, "session"):
        return
    stamp = now()
    request.session[LOGIN_AT] = stamp
    request.session[SEEN_AT] = stamp
    request.session[MFA_STATE] = initial_mfa_state(user)


def end_all_sessions(user) -> int:
    """Delete every stored session of the user (all devices). Returns how many.

    Sessions do not record their user in a column, so the live ones are decoded one by one;
    with a twelve-hour maximum age there are only as many as people signed in today.
    """
    user_id = str(user.pk)
    doomed = [
        session.session_key
        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
        if str(session.get_decoded().get("_auth_user_id")) == user_id
    ]
    Session.objects.filter(session_key__in=doomed).delete()
    return len(doomed)
