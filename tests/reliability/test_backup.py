"""``manage.py backup`` and ``manage.py restore``: a seeded database and its uploads round-trip.

The test commits its data (a transactional test: ``pg_dump`` runs in another process), backs
it up, restores it into a scratch database next to the test database, and compares per-table
fingerprints (row count + MD5 of the ordered rows) and the uploaded files byte for byte.
"""

import datetime as dt
import io
import tarfile
from pathlib import Path
from urllib.parse import quote

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from casework import backups
from tests.factories import (
    ClientFactory,
    DebtFactory,
    DocumentFactory,
    EthosCategoryFactory,
    HousingSituationFactory,
    ProjectFactory,
    TaskFactory,
    UserFactory,
)


def _seed(media: Path) -> None:
    project = ProjectFactory(start_date=dt.date(2020, 9, 1), end_date=dt.date(2022, 6, 30))
    worker = UserFactory()
    for index in range(3):
        client = ClientFactory(organisation=project.organisation, code=f"BK-{index}")
        DebtFactory(case__project=project, case__client=client)
        HousingSituationFactory(client=client, ethos=EthosCategoryFactory())
        TaskFactory(owner=worker, client=client, title=f"Úkol č. {index}")
        DocumentFactory(client=client, project=project, uploaded_by=worker)
    (media / "documents" / "2021").mkdir(parents=True)
    (media / "documents" / "2021" / "smlouva.pdf").write_bytes(bytes(range(256)) * 40)
    (media / "materials").mkdir()
    (media / "materials" / "leták – Ralsko.txt").write_text("Poradna každé úterý.\n")


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


@pytest.fixture
def scratch_database():
    """An empty database next to the test database, dropped afterwards."""
    source = backups.Target.from_settings()
    name = f"{source.name}_restore"
    with source.connect("postgres") as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    target = backups.Target(name, source.user, source.password, source.host, source.port)
    yield target
    with source.connect("postgres") as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _url(target: backups.Target) -> str:
    auth = target.user + (f":{target.password}" if target.password else "")
    host = quote(target.host or "localhost", safe="")  # a socket directory is a path
    return f"postgres://{auth}@{host}:{target.port or 5432}/{target.name}"


@pytest.mark.django_db(transaction=True)
def test_backup_and_restore_round_trip(settings, tmp_path, scratch_database):
    media = tmp_path / "media"
    media.mkdir()
    settings.MEDIA_ROOT = media
    _seed(media)
    source = backups.Target.from_settings()
    before = backups.fingerprints(source)
    archive = tmp_path / "out" / "casework.tar"

    call_command("backup", output=archive, stdout=io.StringIO())

    assert archive.stat().st_mode & 0o777 == 0o600
    with tarfile.open(archive) as tar:
        names = set(tar.getnames())
    assert {"manifest.json", "database.dump", "media/documents/2021/smlouva.pdf"} <= names
    restored_media = tmp_path / "restored"
    call_command(
        "restore",
        archive,
        database_url=_url(scratch_database),
        media_root=restored_media,
        stdout=io.StringIO(),
    )

    after = backups.fingerprints(scratch_database)
    assert after == before
    assert before["clients_client"][0] >= 3
    assert _files(restored_media) == _files(media)

    # Over a database that is no longer empty: refused, unless --force.
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", archive, database_url=_url(scratch_database), media_root=tmp_path)
    with scratch_database.connect() as conn:
        conn.execute("DELETE FROM clients_task")
    call_command(
        "restore",
        archive,
        database_url=_url(scratch_database),
        media_root=restored_media,
        force=True,
        stdout=io.StringIO(),
    )
    assert backups.fingerprints(scratch_database) == before
    assert _files(restored_media) == _files(media)
    assert connection.settings_dict["NAME"] != scratch_database.name

    # A damaged dump is caught by its checksum before anything is touched.
    damaged = tmp_path / "damaged.tar"
    with tarfile.open(archive) as original, tarfile.open(damaged, "w") as copy:
        for member in original.getmembers():
            data = original.extractfile(member).read()
            if member.name == "database.dump":
                data = data[:-10] + b"0" * 10
            member.size = len(data)
            copy.addfile(member, io.BytesIO(data))
    with pytest.raises(CommandError, match="damaged"):
        call_command(
            "restore", damaged, database_url=_url(scratch_database), media_root=tmp_path, force=True
        )
    assert backups.fingerprints(scratch_database) == before


@pytest.mark.django_db
def test_pg_dump_is_never_older_than_the_server():
    server = backups.Target.from_settings().server_major()
    path, major = backups.find_tool("pg_dump", server_major=server)

    assert major >= server
    assert backups.tool_major(path) == major
    with pytest.raises(backups.BackupError, match="No pg_dump of PostgreSQL 99"):
        backups.find_tool("pg_dump", server_major=99)
