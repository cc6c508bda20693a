"""Statements compiled once per process and bound to each call's dates and ids.

The heaviest aggregates of the board and the indicator screens are built with the ORM from the
shared definitions (participant status, valid support, contact, acute housing), some forty
annotations with their subqueries; the case file reads a dozen sections, each through its
model's access scope. Building and compiling such querysets costs Django more milliseconds
than PostgreSQL needs to run them, yet their SQL text depends only on a few settings (the
projects, the locality, a project's rules, how many dates, the user's access): the dates and
the ids of the rows asked for are parameters. So ``bound_sql`` compiles such a statement once
per shape with stand-in dates and ids and binds each call's dates and ids to it.

A builder is checked before its statement is kept: it is compiled with three sets of stand-in
dates and ids, and every parameter must either be the same in all three (a constant), be the
stand-in of one of the dates moved by the same number of days in each (``date + 30 days``) or
be the stand-in of one of the ids. Anything else, such as the first day of a date's month or
an id plus one, fails the check, and that builder is then compiled on every call. The
stand-ins keep the dates' order and ties, so a builder may order the dates among themselves
(``max``), but it must not compare them with anything else in Python (a project's start date,
say) nor decide by them or by the ids which conditions to add: do that before calling
``bound_sql`` and pass the outcome in ``args``.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass

from django.core.exceptions import EmptyResultSet
from django.db.models import F
from django.db.models import query as model_query

# ``build(*args, dates)``, or ``build(*args, dates, ids)`` when ids are bound, returns
# ``(sql, params)``.
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
# Id i of the three sets: ``base + i``, far above any real key and within a 32-bit integer.
_ID_STAND_INS = (1_700_000_000, 1_800_000_000, 1_900_000_000)
_MAX_IDS = 1000


@dataclass(frozen=True)
class Statement:
    """The SQL and, per parameter, ``("date", rank, shift)``, ``("id", index, None)`` or
    ``("constant", value, None)``."""

    sql: str
    slots: tuple[tuple[str, object, object], ...]

    def bind(self, dates: Sequence[dt.date], ids: Sequence[int] = ()) -> tuple[str, list]:
        distinct = sorted(set(dates))
        params = []
        for kind, value, shift in self.slots:
            if kind == "date":
                params.append(distinct[value] + shift)
            elif kind == "id":
                params.append(ids[value])
            else:
                params.append(value)
        return self.sql, params


def bound_sql(
    build: Builder,
    args: tuple[Hashable, ...],
    dates: Sequence[dt.date],
    *,
    ids: Sequence[int] | None = None,
) -> tuple[str, list]:
    """``build(*args, dates)`` (with ``ids``: ``build(*args, dates, ids)``), compiled once per
    shape and bound to ``dates`` and ``ids``.

    ``args`` must hold everything the SQL text depends on besides the dates and ids, as
    hashable values (ids, flags, numbers, ``casework.roles.ScopeOwner``), never bare model
    instances, whose fields can change under the same primary key.
    """
    statement = compiled(build, args, dates, ids=ids)
    if statement is None:
        sql, params = build(*args, list(dates), *(() if ids is None else (list(ids),)))
        return sql, list(params)
    return statement.bind(dates, ids or ())


def compiled(
    build: Builder,
    args: tuple[Hashable, ...],
    dates: Sequence[dt.date],
    *,
    ids: Sequence[int] | None = None,
) -> Statement | None:
    """The statement of ``build`` for ``args``, dates in the order of ``dates`` and as many
    ids as ``ids``; None when the builder is compiled on every call (its parameters do not
    follow the stand-ins)."""
    distinct = sorted(set(dates))
    if len(distinct) > _MAX_DATES or (ids is not None and len(ids) > _MAX_IDS):
        return None
    ranks = tuple(distinct.index(date) for date in dates)
    return _statement(build, args, ranks, None if ids is None else len(ids))


def _stand_ins(start: dt.date, gap: int, ranks: tuple[int, ...]) -> list[dt.date]:
    return [start + dt.timedelta(days=gap * rank) for rank in ranks]


@functools.lru_cache(maxsize=2048)
def _statement(
    build: Builder, args: tuple, ranks: tuple[int, ...], id_count: int | None
) -> Statement | None:
    compilations = []
    for (start, gap), id_base in zip(_STAND_INS, _ID_STAND_INS, strict=True):
        stand_in_ids = () if id_count is None else ([id_base + i for i in range(id_count)],)
        compilations.append(build(*args, _stand_ins(start, gap, ranks), *stand_in_ids))
    (sql, params), others = compilations[0], compilations[1:]
    if any(other_sql != sql or len(other) != len(params) for other_sql, other in others):
        return None
    slots = []
    for position, value in enumerate(params):
        values = [value, *(other[position] for _, other in others)]
        if all(each == value for each in values):
            slots.append(("constant", value, None))
            continue
        slot = _date_slot(values, set(ranks)) or _id_slot(values, id_count or 0)
        if slot is None:
            return None
        slots.append(slot)
    return Statement(sql, tuple(slots))


def _id_slot(values: list, id_count: int) -> tuple[str, int, None] | None:
    """``("id", index, None)`` when each of ``values`` is stand-in id ``index`` of its set."""
    if not all(type(value) is int for value in values):
        return None
    index = values[0] - _ID_STAND_INS[0]
    if 0 <= index < id_count and all(
        value == base + index for value, base in zip(values, _ID_STAND_INS, strict=True)
    ):
        return "id", index, None
    return None


def _date_slot(values: list, ranks: set[int]) -> tuple[str, int, dt.timedelta] | None:
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
            return "date", rank, shift
    return None


# --- Querysets as builders ----------------------------------------------------------------------


def queryset_sql(queryset) -> tuple[str, list]:
    """A queryset's statement for the database it reads from: what a builder returns.

    ``("", [])`` for a queryset that can match nothing (``none()``, ``pk__in=[]``), which
    Django runs no statement for either.
    """
    try:
        sql, params = queryset.query.get_compiler(using=queryset.db).as_sql()
    except EmptyResultSet:
        return "", []
    return sql, list(params)


def compiled_rows(model, build: Builder, args: tuple[Hashable, ...], *, ids: Sequence[int]):
    """The ``model`` instances of the statement of ``build(*args, dates, ids)`` (a builder
    that returns ``queryset_sql`` of a ``model`` queryset without ``select_related``), read
    through ``raw()``: fields the statement does not select are deferred, as with ``only()``,
    and its annotations become attributes."""
    sql, params = bound_sql(build, args, (), ids=ids)
    return list(model.objects.raw(sql, params)) if sql else []


def related_columns(relations: Mapping[str, Sequence[str]]) -> dict[str, F]:
    """The annotations that carry each relation's fields in a statement, for
    ``attach_related`` with the same ``relations``: ``{"project": ("code",)}`` gives
    ``{"project_code": F("project__code")}``."""
    return {
        f"{relation}_{name}": F(f"{relation}__{name}")
        for relation, fields in relations.items()
        for name in fields
    }


def attach_related(rows, relations: Mapping[str, Sequence[str]]) -> None:
    """Give each row each of ``relations`` as ``select_related`` with ``only(fields)`` would,
    from the row's foreign key and the ``related_columns(relations)`` of its statement; None
    where the key is empty."""
    if not rows:
        return
    fetch_mode = model_query.DEFAULT_FETCH_MODE
    for relation, fields in relations.items():
        foreign_key = rows[0]._meta.get_field(relation)
        related = foreign_key.related_model
        attnames = {related._meta.pk.attname, *(related._meta.get_field(f).attname for f in fields)}
        # ``from_db`` takes the values in the model's field order.
        ordered = [f for f in related._meta.concrete_fields if f.attname in attnames]
        for row in rows:
            key = getattr(row, foreign_key.attname)
            if key is None:
                setattr(row, relation, None)
                continue
            values = [
                key if f.primary_key else getattr(row, f"{relation}_{f.name}") for f in ordered
            ]
            instance = related.from_db(
                row._state.db, [f.attname for f in ordered], values, fetch_mode=fetch_mode
            )
            setattr(row, relation, instance)
