"""Building blocks of the access matrix, shared by ``test_access_matrix`` and its extensions.

An area of the application may keep its rows in a module ``tests/security/matrix_<area>.py``
defining ``ROWS: dict[str, Row]`` and, if its URLs need objects of their own, a function
``extend(side: dict, project, client, worker) -> None`` that adds them to each side.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.urls import reverse

PERSONAS = ("anonymous", "worker_a", "worker_b", "guarantor", "admin_user", "foreign_admin")
SIDES = ("own", "colleague", "foreign")

# Expected outcomes. LOGIN: 302 to the login page; REDIRECT: 302 anywhere else (a success).
OK, NOT_FOUND, FORBIDDEN, BAD_REQUEST, NOT_ALLOWED = "200", "404", "403", "400", "405"
LOGIN, REDIRECT = "login", "redirect"

# Skipped: Django admin (its own permission system) and the language switch.
SKIPPED_NAMESPACES = {"admin"}
SKIPPED_NAMES = {"set_language"}


@dataclass(frozen=True)
class Row:
    build: Callable[[dict, str], str]
    expected: dict[str, tuple[str, str, str] | str]
    method: str = "get"
    data: dict = field(default_factory=dict)
    htmx: bool = False  # the view has an htmx branch: request it with and without HX-Request
    htmx_success: str = REDIRECT  # what htmx gets where a plain request is redirected on success


def expect(anonymous, worker_a, worker_b, guarantor, admin_user, foreign_admin):
    return {
        "anonymous": anonymous,
        "worker_a": worker_a,
        "worker_b": worker_b,
        "guarantor": guarantor,
        "admin_user": admin_user,
        "foreign_admin": foreign_admin,
    }


def case_record(ok=OK, worker_ok=None):
    """A record of one client: their worker and the project's managers, nobody else."""
    worker_ok = ok if worker_ok is None else worker_ok
    return expect(
        LOGIN,
        (worker_ok, NOT_FOUND, NOT_FOUND),
        (NOT_FOUND, worker_ok, NOT_FOUND),
        (ok, ok, NOT_FOUND),
        (ok, ok, NOT_FOUND),
        (NOT_FOUND, NOT_FOUND, ok),
    )


def managers_only(ok=OK):
    """Guarantor/admin screens about the project's people: workers get 403."""
    return expect(
        LOGIN,
        FORBIDDEN,
        FORBIDDEN,
        (ok, ok, NOT_FOUND),
        (ok, ok, NOT_FOUND),
        (NOT_FOUND, NOT_FOUND, ok),
    )


def everyone(status=OK, anonymous=LOGIN):
    return expect(anonymous, status, status, status, status, status)


def url(name, attr=None, query=""):
    """A builder: reverse ``name`` with the side's ``attr`` object's pk (none if attr is None)."""

    def build(world, side):
        args = [] if attr is None else [world[side][attr].pk]
        return reverse(name, args=args) + query.format(**{k: v.pk for k, v in world[side].items()})

    return build
