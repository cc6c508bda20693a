"""Statements compiled once per process and bound to each call's dates.

The heaviest aggregates of the board and the indicator screens are built with the ORM from the
shared definitions (participant status, valid support, contact, acute housing), some forty
annotations with their subqueries. Building and compiling them costs Django more milliseconds
than PostgreSQL needs to run them, yet their SQL text depends only on a few settings (the
projects, the locality, a project's rules, how many dates): the dates themselves are
parameters. So ``bound_sql`` compiles such a statement once per shape with stand-in dates and
binds each call's dates to it.

A builder is checked before its statement is kept: it is compiled with three sets of stand-in
dates, and every parameter must either be the same in all three (a constant) or be the
stand-in of one of the dates moved by the same number of days in each (``date + 30 days``).
Anything else, such as the first day of a date's month, fails the check, and that builder is
then compiled on every call. The stand-ins keep the dates' order and ties, so a builder may
order the dates among themselves (``max``), but it must not compare them with anything else
in Python (a project's start date, say) nor decide by them which conditions to add: do that
before calling ``bound_sql`` and pass the outcome in ``args``.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass

# ``build(*args, dates)`` returns ``(sql, params)``.
Builder = Callable[..., tuple[str, Sequence]]

# Three sets of stand-ins: the date of rank r (0 the earliest) is ``start + r * gap`` days.
# The sets differ in start and gap, so a parameter that follows a stand-in by the same shift
# in all three is that date moved; a shift stays under half the smallest gap, so it names one
# date only.
_STAND_INS = (
    (dt.date(2101, 3, 10), 7400),
    (dt.date(2203, 8, 21), 7700),
    (dt.date(2307, 12, 31), 8100),
)
_MAX_SHIFT = dt.timedelta(days=3660)
_MAX_DATES = 200  # distinct dates a statement may bind (the stand-ins must stay in the calendar)


@dataclass(frozen=True)
class Statement:
    """The SQL and, per parameter, ``(rank, shift)`` for a date or ``(None, value)``."""

    sql: str
    slots: tuple[tuple[int | None, object], ...]

    def bind(self, dates: Sequence[dt.date]) -> tuple[str, list]:
        distinct = sorted(set(dates))
        return self.sql, [
            value if rank is None else distinct[rank] + value for rank, value in self.slots
        ]


def bound_sql(
    build: Builder, args: tuple[Hashable, ...], dates: Sequence[dt.date]
) -> tuple[str, list]:
    """``build(*args, dates)``, compiled once per shape and bound to ``dates``.

    ``args`` must hold everything the SQL text depends on besides the dates, as plain hashable
    values (ids, flags, numbers), never model instances, whose fields can change under the
    same primary key.
    """
    statement = compiled(build, args, dates)
    if statement is None:
        sql, params = build(*args, list(dates))
        return sql, list(params)
    return statement.bind(dates)


def compiled(
    build: Builder, args: tuple[Hashable, ...], dates: Sequence[dt.date]
) -> Statement | None:
    """The statement of ``build`` for ``args`` and dates in the order of ``dates``; None when
    the builder is compiled on every call (its parameters do not follow the stand-ins)."""
    distinct = sorted(set(dates))
    if len(distinct) > _MAX_DATES:
        return None
    return _statement(build, args, tuple(distinct.index(date) for date in dates))


def _stand_ins(start: dt.date, gap: int, ranks: tuple[int, ...]) -> list[dt.date]:
    return [start + dt.timedelta(days=gap * rank) for rank in ranks]


@functools.lru_cache(maxsize=256)
def _statement(build: Builder, args: tuple, ranks: tuple[int, ...]) -> Statement | None:
    compilations = [build(*args, _stand_ins(start, gap, ranks)) for start, gap in _STAND_INS]
    (sql, params), others = compilations[0], compilations[1:]
    if any(other_sql != sql or len(other) != len(params) for other_sql, other in others):
        return None
    slots = []
    for position, value in enumerate(params):
        values = [value, *(other[position] for _, other in others)]
        if all(each == value for each in values):
            slots.append((None, value))
            continue
        slot = _date_slot(values, set(ranks))
        if slot is None:
            return None
        slots.append(slot)
    return Statement(sql, tuple(slots))


def _date_slot(values: list, ranks: set[int]) -> tuple[int, dt.timedelta] | None:
    """The rank and shift that give each of ``values`` from its set of stand-ins, if any."""
    if not all(type(value) is dt.date for value in values):
        return None
    (first_start, first_gap), *_ = _STAND_INS
    for rank in ranks:
        shift = values[0] - (first_start + dt.timedelta(days=first_gap * rank))
        if abs(shift) <= _MAX_SHIFT and all(
            value == start + dt.timedelta(days=gap * rank) + shift
            for value, (start, gap) in zip(values, _STAND_INS, strict=True)
        ):
            return rank, shift
    return None
