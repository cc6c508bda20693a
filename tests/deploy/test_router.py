import pytest

from casework import routers
from casework.models import Organisation
from reports.models import GeneratedReport

ROUTER = routers.ReplicaRouter()


@pytest.fixture
def with_replica(monkeypatch):
    monkeypatch.setattr(routers, "replica_configured", lambda: True)


def test_without_a_replica_everything_uses_the_primary():
    with routers.reading_replica():
        assert ROUTER.db_for_read(Organisation) == "default"
    assert ROUTER.db_for_write(Organisation) == "default"


@pytest.mark.usefixtures("with_replica")
def test_reports_read_the_replica_only_inside_the_block():
    assert ROUTER.db_for_read(Organisation) == "default"
    with routers.reading_replica():
        assert ROUTER.db_for_read(Organisation) == "replica"
        assert ROUTER.db_for_read(GeneratedReport) == "replica"
    assert ROUTER.db_for_read(Organisation) == "default"


@pytest.mark.usefixtures("with_replica")
def test_writes_and_the_audit_trail_stay_on_the_primary():
    with routers.reading_replica():
        assert ROUTER.db_for_write(GeneratedReport) == "default"
        assert ROUTER.db_for_write(Organisation) == "default"


def test_only_the_primary_is_migrated():
    assert ROUTER.allow_migrate("default", "casework")
    assert not ROUTER.allow_migrate("replica", "casework")
    assert ROUTER.allow_relation(object(), object())


@pytest.mark.usefixtures("with_replica")
def test_the_block_is_reentrant():
    with routers.reading_replica():
        with routers.reading_replica():
            pass
        assert ROUTER.db_for_read(Organisation) == "replica"
    assert ROUTER.db_for_read(Organisation) == "default"
