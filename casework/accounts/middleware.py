"""Security middleware: the Permissions-Policy header and the session limits with the
two-step verification gate."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect

from casework.accounts import sessions


class PermissionsPolicyMiddleware:
    """Send ``Permissions-Policy`` from ``settings.PERMISSIONS_POLICY`` (feature → origins)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = ", ".join(
            f"{feature}=({' '.join(origins)})"
            for feature, origins in settings.PERMISSIONS_POLICY.items()
        )

    def __call__(self, request):
        response = self.get_response(request)
        if self.header:
            response.headers.setdefault("Permissions-Policy", self.header)
        return response


class PrivatePagesMiddleware:
    """Pages served to a signed-in user are personal: no browser or proxy may keep a copy.

    A shared office computer's back button or disk cache must not show a client's case file
    to the next person. Responses that chose their own caching keep it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and "Cache-Control" not in response:
            response["Cache-Control"] = "private, no-store"
        return response


class SessionSecurityMiddleware:
    """End idle and too old sessions; keep unverified sessions on the verification pages.

    A session is signed out after ``ACCOUNTS_IDLE_TIMEOUT`` seconds without a request and
    ``ACCOUNTS_SESSION_MAX_AGE`` seconds after sign-in. A signed-in person whose session still
    waits for a code (or for enrolment, when their role requires it) reaches only the
    verification pages, sign-out and the language switch.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    @cached_property
    def open_paths(self) -> tuple[str, ...]:
        return (
            reverse("accounts:mfa_verify"),
            reverse("accounts:mfa_setup"),
            reverse("logout"),
            reverse("login"),
            reverse("set_language"),
            reverse("health"),
            "/" + settings.STATIC_URL.lstrip("/"),
        )

    def __call__(self, request):
        session = request.session
        if session.get("_auth_user_id") is None:
            return self.get_response(request)
        if sessions.LOGIN_AT not in session:
            # A session from before these checks existed: stamp it as if it had just begun.
            sessions.start(None, request, request.user)
        stamp = sessions.now()
        if stamp - session[sessions.LOGIN_AT] > settings.ACCOUNTS_SESSION_MAX_AGE:
            return self._signed_out(
                request, _("Your session has ended after the maximum time. Please sign in again.")
            )
        if stamp - session[sessions.SEEN_AT] > settings.ACCOUNTS_IDLE_TIMEOUT:
            return self._signed_out(
                request,
                _("You were signed out after a period of inactivity. Please sign in again."),
            )
        if stamp - session[sessions.SEEN_AT] >= sessions.SEEN_RESOLUTION:
            session[sessions.SEEN_AT] = stamp

        state = session.get(sessions.MFA_STATE, sessions.MFA_OK)
        if state != sessions.MFA_OK and not request.path_info.startswith(self.open_paths):
            target = "accounts:mfa_verify" if state == sessions.MFA_VERIFY else "accounts:mfa_setup"
            location = reverse(target)
            htmx = request.headers.get("HX-Request") == "true"
            if request.method == "GET" and not htmx:
                location += "?" + urlencode({"next": request.path_info})
            if htmx:
                return HttpResponseClientRedirect(location)
            return HttpResponseRedirect(location)
        return self.get_response(request)

    def _signed_out(self, request, message):
        logout(request)
        messages.info(request, message)
        return self.get_response(request)
