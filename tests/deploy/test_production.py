"""Production settings, checked in fresh processes with a production-like environment."""

import os
import secrets
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from casework import db

ROOT = Path(__file__).resolve().parents[2]


def _server_url(name: str) -> str:
    """A URL of the server the tests use, with another database name."""
    params = connection.settings_dict
    host = quote(params["HOST"] or "localhost", safe="")
    password = f":{quote(params['PASSWORD'], safe='')}" if params["PASSWORD"] else ""
    user = quote(params["USER"], safe="")
    return f"postgres://{user}{password}@{host}:{params['PORT'] or 5432}/{name}"


def _production_env(**extra) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PYTEST", "DJANGO_", "DEBUG", "SECURE_"))
    }
    env.update(
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="casework.example.cz",
        CSRF_TRUSTED_ORIGINS="https://casework.example.cz",
        SECURE_PROXY_SSL_HEADER="1",
        DATABASE_URL=_server_url(connection.settings_dict["NAME"]),
    )
    env.update(extra)
    return env


@pytest.mark.django_db
def test_check_deploy_passes_with_production_settings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=_production_env(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.django_db
def test_check_deploy_catches_a_debug_production():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=_production_env(DEBUG="1"),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode != 0
    assert "security.W018" in result.stderr


def test_production_never_starts_the_embedded_database(monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("PYTEST_VERSION", raising=False)
    monkeypatch.delenv("EMBEDDED_DATABASE", raising=False)
    monkeypatch.setattr(db, "_embedded_database_url", lambda: pytest.fail("embedded started"))
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL must be set"):
        db.database_url(debug=False)


def test_the_embedded_database_is_for_development_tests_or_on_request(monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("PYTEST_VERSION", raising=False)
    monkeypatch.setattr(db, "_embedded_database_url", lambda: "embedded")
    assert db.database_url(debug=True) == "embedded"
    monkeypatch.setenv("EMBEDDED_DATABASE", "1")
    assert db.database_url(debug=False) == "embedded"


@pytest.mark.django_db
def test_settings_refuse_an_unknown_pooler():
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=_production_env(DATABASE_POOLER="pgpool"),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode != 0
    assert "DATABASE_POOLER" in result.stderr


SMOKE_MODULES = [
    "tests/deploy/test_live_options.py",
    "tests/deploy/test_health.py",
    "tests/accounts/test_sessions.py",
    "tests/clients/test_search.py",
]


@pytest.mark.django_db
def test_smoke_suite_behind_pgbouncer_options_with_a_replica_on_the_same_server():
    """PgBouncer's transaction mode options and a replica alias that points at the primary."""
    url = _server_url(connection.settings_dict["NAME"].removeprefix("test_") + "_smoke")
    env = _production_env(DATABASE_URL=url, DATABASE_REPLICA_URL=url, DATABASE_POOLER="pgbouncer")
    env.pop("SECURE_PROXY_SSL_HEADER")
    result = subprocess.run(  # noqa: S603 - our own interpreter and test modules
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "--create-db",
            *SMOKE_MODULES,
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert " passed" in result.stdout
    assert "skipped" not in result.stdout
