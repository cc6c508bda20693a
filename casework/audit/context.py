"""Who is acting, announced to the database for the change-recording triggers.

The triggers read the session setting ``casework.user_id``. A wrapper around the connection's
statements sets it, through the raw driver cursor, just before each INSERT, UPDATE or DELETE of
a request (or of a ``with acting_user(...)`` block in a command): read-only requests cost
nothing, and a write costs one extra round trip on the same connection. Setting it for every
write, rather than once per request, keeps it right after a rolled-back savepoint (which
reverts the setting). It is cleared when the request or block ends, so a pooled connection
never carries a stale user into work that announces none.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Callable

from django.db import connection

_acting_user: contextvars.ContextVar[Callable[[], int | None] | None] = contextvars.ContextVar(
    "casework_acting_user", default=None
)

_WRITES = ("INSERT", "UPDATE", "DELETE")
_ANNOUNCED = "_casework_audit_announced"
_OWN_INSERT = 'INSERT INTO "audit_'


def _announce(cursor, user_id: int | None) -> None:
    value = "" if user_id is None else str(user_id)
    cursor.execute("SELECT set_config('casework.user_id', %s, false)", [value])


def _wrapper(execute, sql, params, many, context):
    resolve = _acting_user.get()
    statement = sql.lstrip()
    if (
        resolve is not None
        and statement[:6].upper() in _WRITES
        # Access events carry their user in the row: no trigger reads the setting.
        and not statement.startswith(_OWN_INSERT)
    ):
        user_id = resolve()
        if user_id is not None:
            # The driver's cursor under Django's wrapper: bookkeeping, not one of the
            # application's queries (query-count tests do not see it).
            _announce(getattr(context["cursor"], "cursor", context["cursor"]), user_id)
            setattr(context["connection"], _ANNOUNCED, True)
    return execute(sql, params, many, context)


def _forget() -> None:
    if not getattr(connection, _ANNOUNCED, False):
        return
    setattr(connection, _ANNOUNCED, False)
    if connection.connection is None:
        return
    # A failed transaction refuses every statement until it is rolled back, and the rollback
    # reverts the setting anyway.
    with contextlib.suppress(Exception), connection.connection.cursor() as cursor:
        _announce(cursor, None)


@contextlib.contextmanager
def _acting(resolve: Callable[[], int | None]):
    token = _acting_user.set(resolve)
    try:
        with connection.execute_wrapper(_wrapper):
            yield
    finally:
        _acting_user.reset(token)
        _forget()


def acting_user(user):
    """Record changes made inside the block as made by ``user`` (commands, background work)."""
    user_id = getattr(user, "pk", None)
    return _acting(lambda: user_id)


class AuditContextMiddleware:
    """Announce the signed-in user to the audit triggers for the request's writes.

    The user is looked up only when the request writes, so this adds no query to reads.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        def resolve() -> int | None:
            user = getattr(request, "user", None)
            return user.pk if user is not None and user.is_authenticated else None

        with _acting(resolve):
            return self.get_response(request)
