"""Compiled SQL of the indicator aggregates, kept per process: built once, bound per request.

Building an indicator aggregate with the ORM (some forty annotations over the enrolments, with
their link-table subqueries) costs Django more milliseconds than PostgreSQL needs to run it.
Its SQL text depends only on a few settings (the project, the locality, how many period ends
and in which order) while the dates themselves are parameters. So ``bound_sql`` compiles the
statement once per such shape with stand-in dates and binds each request's dates to it.

A builder is checked before its shape is kept: it is compiled with two sets of stand-in
dates, and every parameter must either be the same in both (a constant) or be the stand-in of
one of the dates. A builder that computes a new date from one of them (a day before, say)
fails that check and is then simply compiled on every call. Builders may order or compare the
dates among themselves (the stand-ins keep their order and ties), but must not compare them
with anything else, such as a project's start date: do that before calling ``bound_sql``.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Hashable, Sequence

Builder = Callable[..., tuple[str, Sequence]]

_FIRST_STAND_IN = dt.date(1001, 1, 1)
_SECOND_STAND_IN = dt.date(1002, 1, 1)


def bound_sql(build: Builder, args: tuple[Hashable, ...], dates: Sequence[dt.date]):
    """``build(*args, dates)`` as ``(sql, params)``, compiled once per shape.

    ``args`` must hold everything the SQL text depends on besides the dates, as plain
    hashable values (ids, flags, numbers), never model instances, whose fields can change
    under the same primary key.
    """
    distinct = sorted(set(dates))
    ranks = tuple(distinct.index(date) for date in dates)
    shape = _shape(build, args, ranks)
    if shape is None:
        return build(*args, list(dates))
    sql, slots = shape
    return sql, [value if rank is None else distinct[rank] for rank, value in slots]


def _stand_ins(start: dt.date, ranks: tuple[int, ...]) -> list[dt.date]:
    return [start + dt.timedelta(days=rank) for rank in ranks]


@functools.lru_cache(maxsize=256)
def _shape(build: Builder, args: tuple, ranks: tuple[int, ...]):
    """The SQL and, per parameter, ``(rank of its date, None)`` or ``(None, constant)``;
    None when the builder's parameters cannot be told apart from its dates."""
    sql, params = build(*args, _stand_ins(_FIRST_STAND_IN, ranks))
    other_sql, other_params = build(*args, _stand_ins(_SECOND_STAND_IN, ranks))
    if sql != other_sql or len(params) != len(other_params):
        return None
    known = set(ranks)
    slots = []
    for value, other in zip(params, other_params, strict=True):
        if value == other:
            slots.append((None, value))
            continue
        if not (isinstance(value, dt.date) and isinstance(other, dt.date)):
            return None
        rank = (value - _FIRST_STAND_IN).days
        if rank not in known or other != _SECOND_STAND_IN + dt.timedelta(days=rank):
            return None  # a date computed from a stand-in, not one of them
        slots.append((rank, None))
    return sql, tuple(slots)
