"""Which reports exist, in which formats, and the function that builds each.

A builder is ``build(report, progress) -> bytes``: ``report`` is the ``GeneratedReport`` being
made (project, period, file format, parameters, language already activated), ``progress`` a
callable taking a percentage 0–100. Builders live in ``reports/builders/`` and register
themselves with ``@register``; every module there is imported by ``load_builders``.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass

Progress = Callable[[int], None]


@dataclass(frozen=True)
class ReportSpec:
    kind: str
    formats: tuple[str, ...]
    build: Callable
    # Workers may generate this report about their own work (timesheets); others are managers'.
    for_workers: bool = False


REGISTRY: dict[str, ReportSpec] = {}


def register(kind: str, *, formats: tuple[str, ...], for_workers: bool = False):
    def decorator(build):
        REGISTRY[kind] = ReportSpec(kind, formats, build, for_workers)
        return build

    return decorator


def load_builders() -> dict[str, ReportSpec]:
    from reports import builders

    for module in pkgutil.iter_modules(builders.__path__):
        importlib.import_module(f"{builders.__name__}.{module.name}")
    return REGISTRY


def worker_kinds() -> list[str]:
    """The kinds a field worker may generate about their own work."""
    return sorted(kind for kind, spec in load_builders().items() if spec.for_workers)


class ReportError(Exception):
    """A builder's reason the report cannot be made, in words the user understands.

    The message is shown on the report's page; other exceptions show a general message.
    """
