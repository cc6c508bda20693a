"""Database routing: reports may read from a replica, everything else uses the primary.

With ``DATABASE_REPLICA_URL`` set, settings add a ``replica`` alias. Code that only reads and
tolerates replication lag (the report builders) opts in with ``with reading_replica():``; every
other read, every write and the audit trail stay on ``default``. Without a replica the
context manager changes nothing.
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings

REPLICA = "replica"
_use_replica: ContextVar[bool] = ContextVar("casework_use_replica", default=False)


@contextmanager
def reading_replica():
    """Send the reads inside the block to the replica (when one is configured)."""
    token = _use_replica.set(True)
    try:
        yield
    finally:
        _use_replica.reset(token)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if _use_replica.get() and replica_configured():
            return REPLICA
        return "default"

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        # The replica holds the same data as the primary.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"
