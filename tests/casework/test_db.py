"""The database switch: DATABASE_URL when set, else the embedded server with clear advice."""

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
