"""Drafts of the intervention form: nothing typed is lost over a flaky connection.

While a person types, the browser (``static/js/drafts.js``) sends the whole form here every few
seconds (``draft_save``); the latest copy is one ``Draft`` row per person and form. When the
connection is gone, the browser keeps the copy itself, encrypted (AES-GCM) with a key that
lives only in the person's session (``session_key``), so signing out makes it unreadable; it
sends the copy once the connection returns. Drafts older than ``MAX_AGE`` are dropped on both
sides. A successful save of the form deletes the draft (``discard``).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import re
import secrets
import uuid

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from casework.models import Draft, Intervention
from casework.roles import can_edit_intervention, worker_project_ids

MAX_AGE = dt.timedelta(hours=72)
SESSION_KEY = "draft_key"
# A whole intervention form is a few kilobytes; this bounds what one autosave may store.
MAX_FIELDS = 500
MAX_BYTES = 200_000
NOT_STORED = frozenset({"csrfmiddlewaretoken"})
NEW_INTERVENTION = "intervention-new"
# What the service worker keeps for offline use: static assets only (and the offline page).
PRECACHE = (
    "vendor/bootstrap/bootstrap.min.css",
    "vendor/bootstrap/bootstrap.bundle.min.js",
    "vendor/htmx/htmx.min.js",
    "css/app.css",
    "css/print.css",
    "js/app.js",
    "js/sw_register.js",
    "js/intervention_form.js",
    "js/drafts.js",
    "favicon.svg",
)
_EDIT_KEY = re.compile(r"^intervention-(\d{1,12})$")


def session_key(request) -> str:
    """The browser-side encryption key of this session (base64, 256 bits), made on first use.

    It is stored in the session only, so it dies with it: after signing out the drafts kept in
    the browser can no longer be read and are thrown away.
    """
    key = request.session.get(SESSION_KEY)
    if not key:
        key = base64.b64encode(secrets.token_bytes(32)).decode()
        request.session[SESSION_KEY] = key
    return key


def edit_key(pk: int) -> str:
    """The draft key of the form that edits intervention ``pk`` (read back by ``_EDIT_KEY``)."""
    return f"intervention-{pk}"


def check_form_key(user, key: str) -> None:
    """404 unless ``key`` names a form ``user`` may fill in (the same rules as the form)."""
    if key == NEW_INTERVENTION:
        if not worker_project_ids(user):
            raise PermissionDenied
        return
    match = _EDIT_KEY.match(key)
    if match is None:
        raise Http404
    intervention = get_object_or_404(Intervention.objects.visible_to(user), pk=int(match[1]))
    if not can_edit_intervention(user, intervention):
        raise PermissionDenied


def load(user, key: str) -> Draft | None:
    """The person's draft of a form, unless expired or already sent (then it is deleted)."""
    draft = Draft.objects.filter(user=user, form_key=key).first()
    if draft is None:
        return None
    sent = (
        draft.submission_id is not None
        and Intervention.objects.filter(submission_id=draft.submission_id).exists()
    )
    if sent or draft.updated_at < timezone.now() - MAX_AGE:
        draft.delete()
        return None
    return draft


def discard(user, key: str) -> None:
    Draft.objects.filter(user=user, form_key=key).delete()


def purge_expired() -> int:
    """Delete every draft older than ``MAX_AGE``; returns how many."""
    deleted, _ = Draft.objects.filter(updated_at__lt=timezone.now() - MAX_AGE).delete()
    return deleted


def context(request, key: str) -> dict:
    """What the form template needs: the save URL, the key, and a stored draft to restore.

    Also deletes everybody's expired drafts, so none outlives ``MAX_AGE`` by much even when
    its author never comes back to the form.
    """
    purge_expired()
    draft = load(request.user, key)
    return {
        "draft_key": key,
        "draft_encryption_key": session_key(request),
        "draft_saved": (
            {"data": draft.data, "savedAt": int(draft.updated_at.timestamp() * 1000)}
            if draft is not None
            else None
        ),
    }


def _pairs(post) -> list[list[str]]:
    pairs = [[name, value] for name, values in post.lists() for value in values]
    return [p for p in pairs if p[0] not in NOT_STORED]


def _submission_id(pairs) -> uuid.UUID | None:
    for name, value in pairs:
        if name == "submission_id":
            try:
                return uuid.UUID(value)
            except ValueError:
                return None
    return None


@never_cache
@login_required
@require_POST
def draft_save(request, key: str):
    """Store the posted form as the person's draft of ``key``; answers 200 with the time."""
    check_form_key(request.user, key)
    pairs = _pairs(request.POST)
    if len(pairs) > MAX_FIELDS or len(json.dumps(pairs)) > MAX_BYTES:
        return HttpResponse(status=413)
    now = timezone.now()
    Draft.objects.update_or_create(
        user=request.user,
        form_key=key,
        defaults={"data": pairs, "submission_id": _submission_id(pairs), "updated_at": now},
    )
    return JsonResponse({"savedAt": int(now.timestamp() * 1000)})


@never_cache
@login_required
@require_POST
def draft_discard(request, key: str):
    """Throw the person's draft of ``key`` away (the "Discard draft" button)."""
    check_form_key(request.user, key)
    discard(request.user, key)
    return HttpResponse(status=204)


@require_safe
def service_worker(request):
    """The service worker, at the site root so that it may answer for every page.

    It caches the static assets and the offline page only; pages with personal data always
    come from the network (see ``static/js/sw.js``).
    """
    precache = [static(path) for path in PRECACHE]
    version = hashlib.sha256("\n".join(precache).encode()).hexdigest()[:12]
    context = {
        "cache_name": f"casework-static-{version}",
        "offline_url": reverse("offline"),
        "precache": precache,
        "script_url": static("js/sw.js"),
    }
    body = render_to_string("casework/sw.js", context)
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache"
    return response


@require_safe
def offline(request):
    """Shown by the service worker when a page cannot be loaded; no personal data on it."""
    return render(request, "casework/offline.html")
