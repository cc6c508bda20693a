"""The deploy/ folder: units and the container run commands that exist, logs stay clean."""

import configparser
import re
from pathlib import Path

import pytest
from django.core.management import get_commands

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
UNITS = DEPLOY / "systemd"


def _unit(name):
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str
    parser.read(UNITS / name)
    return parser


def _manage_commands(text):
    return set(re.findall(r"manage\.py\"?,? \"?([a-z_]+)", text))


def test_every_service_has_a_user_and_the_environment_file():
    services = sorted(UNITS.glob("*.service"))
    assert {path.name for path in services} >= {
        "casework-web.service",
        "casework-worker.service",
        "casework-backup.service",
    }
    for path in services:
        service = _unit(path.name)["Service"]
        assert service["User"] == "casework"
        assert service["EnvironmentFile"] == "/etc/casework/casework.env"
        assert service["NoNewPrivileges"] == "yes"


@pytest.mark.parametrize("timer", sorted(path.name for path in UNITS.glob("*.timer")))
def test_every_timer_has_its_service(timer):
    assert (UNITS / timer.replace(".timer", ".service")).exists()
    assert _unit(timer)["Timer"]["OnCalendar"]


def test_web_runs_gunicorn_and_the_worker_runs_the_task_queue():
    assert (
        "gunicorn -c deploy/gunicorn.conf.py casework.wsgi:application"
        in (_unit("casework-web.service")["Service"]["ExecStart"])
    )
    assert _unit("casework-worker.service")["Service"]["ExecStart"].endswith("manage.py db_worker")
    assert "manage.py backup --dir" in _unit("casework-backup.service")["Service"]["ExecStart"]


def test_referenced_management_commands_exist():
    texts = [path.read_text() for path in UNITS.glob("*.service")]
    texts += [(DEPLOY / "compose.yaml").read_text(), (DEPLOY / "Containerfile").read_text()]
    referenced = set().union(*map(_manage_commands, texts))
    assert {
        "db_worker",
        "backup",
        "raise_housing_warnings",
        "clearsessions",
        "migrate",
    } <= referenced
    assert referenced <= set(get_commands())


def test_access_log_has_no_query_strings():
    namespace = {}
    exec((DEPLOY / "gunicorn.conf.py").read_text(), namespace)  # noqa: S102 - our own file
    assert "%(U)s" in namespace["access_log_format"]
    for leaky in ("%(r)s", "%(q)s", "%({raw_uri}"):
        assert leaky not in namespace["access_log_format"]


def test_container_checks_health_and_runs_as_a_user():
    containerfile = (DEPLOY / "Containerfile").read_text()
    assert "USER casework" in containerfile
    assert "/health/" in containerfile
    assert "CompressedManifestStaticFilesStorage" not in containerfile  # comes from settings
