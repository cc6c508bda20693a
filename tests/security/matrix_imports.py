"""Access matrix rows of the import screen: administrators only, their organisation's projects."""

import hashlib

from django.urls import reverse

from casework.imports.models import ImportRun
from tests.security.matrix import (
    FORBIDDEN,
    LOGIN,
    NOT_FOUND,
    OK,
    REDIRECT,
    Row,
    expect,
    url,
)


def admins_only(ok=OK):
    """Organisation administrators; workers and guarantors get 403, other organisations 404."""
    return expect(
        LOGIN,
        FORBIDDEN,
        FORBIDDEN,
        FORBIDDEN,
        (ok, ok, NOT_FOUND),
        (NOT_FOUND, NOT_FOUND, ok),
    )


def extend(side, project, client, worker):
    # An empty file: confirming it fails on the missing columns and writes nothing.
    side["import_run"] = ImportRun.objects.create(
        project=project,
        kind="clients",
        file_name="klienti.csv",
        sha256=hashlib.sha256(b"").hexdigest(),
        content=b"",
    )


def _export(world, side):
    return reverse("imports:export", args=[world[side]["project"].pk, "clients"])


ROWS = {
    "imports:index": Row(
        url("imports:index"), expect(LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, OK)
    ),
    "imports:upload": Row(url("imports:upload", "project"), admins_only()),
    "imports:export": Row(_export, admins_only()),
    "imports:run": Row(url("imports:run", "import_run"), admins_only()),
    "imports:confirm": Row(
        url("imports:confirm", "import_run"), admins_only(REDIRECT), method="post"
    ),
}
