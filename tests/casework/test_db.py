"""The database switch: DATABASE_URL when set, else the embedded server with clear advice."""

import json
import os
import subprocess
import sys

import pytest

from casework import db


def test_database_url_wins_when_set(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://casework:secret@db.internal:5432/casework")

    assert db.database_url() == "postgres://casework:secret@db.internal:5432/casework"


def test_embedded_start_failure_says_what_to_do(monkeypatch, tmp_path):
    # A data directory whose parent is a file cannot be created: the start must fail.
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("")
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setattr(db, "EMBEDDED_DATA_DIR", blocker / "pgdata")

    with pytest.raises(db.EmbeddedDatabaseError) as failure:
        db.database_url()

    message = str(failure.value)
    assert str(blocker / "pgdata") in message
    assert "DATABASE_URL" in message
    assert "remove var/pgdata" in message


def test_dead_processes_are_dropped_from_the_embedded_servers_users(monkeypatch, tmp_path):
    # A process that was killed outright never unregisters; left on the list it would keep
    # the embedded server from ever stopping.
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    (tmp_path / ".handle_pids.json").write_text(json.dumps([dead.pid, os.getpid()]))
    monkeypatch.setattr(db, "EMBEDDED_DATA_DIR", tmp_path)

    db._forget_dead_handles()

    assert json.loads((tmp_path / ".handle_pids.json").read_text()) == [os.getpid()]
