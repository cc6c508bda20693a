"""Recording reads of personal data: one INSERT per event, ids only.

Any view that shows or hands out personal data calls ``record_access`` after its access check::

    record_access(request, AccessAction.DOWNLOAD_DOCUMENT, client=document.client_id, obj=document)
"""

from __future__ import annotations

from django.http import HttpRequest

from casework.audit.models import AccessAction, AccessEvent


def _client_ip(request: HttpRequest) -> str | None:
    # REMOTE_ADDR is the TLS proxy's view of the caller (the proxy sets it; headers can be forged).
    return request.META.get("REMOTE_ADDR") or None


def _id(value) -> int | None:
    if value is None:
        return None
    return value if isinstance(value, int) else value.pk


def record_access(
    request_or_user,
    action: AccessAction | str,
    *,
    client=None,
    obj=None,
    project=None,
) -> AccessEvent:
    """Append one access event: user, action, client id, object type and id, time and IP.

    ``request_or_user`` is the request (user and IP taken from it) or a user (commands,
    background work). ``client`` and ``project`` take an object or an id; without ``project``
    the object's own ``project_id`` is used when it has one, so the event appears in that
    project's trail. Costs exactly one INSERT.
    """
    if isinstance(request_or_user, HttpRequest):
        user, ip = request_or_user.user, _client_ip(request_or_user)
    else:
        user, ip = request_or_user, None
    if project is None and obj is not None:
        project = getattr(obj, "project_id", None)
    return AccessEvent.objects.create(
        user_id=user.pk if user is not None and user.is_authenticated else None,
        action=action,
        client_id=_id(client),
        project_id=_id(project),
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        ip=ip,
    )
