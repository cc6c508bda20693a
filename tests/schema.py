"""Helpers for constraint tests: save a row and name the constraint PostgreSQL reports."""

from functools import partial

from django.db import connection


def single_row(factory, **fields):
    """An arrange step with nothing to arrange: the act saves one row with these fields."""
    return lambda: partial(factory, **fields)


def column_constraint_name(model, field_name: str, *, kind: str) -> str:
    """The name PostgreSQL gave the column-level ``check`` or ``unique`` constraint of a field.

    Django names these itself (``<table>_<column>_check``, ``<table>_<column>_key``, or a hashed
    form), so tests look the name up instead of guessing it.
    """
    column = model._meta.get_field(field_name).column
    declared = {constraint.name for constraint in model._meta.constraints}
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, model._meta.db_table)
    names = [
        name
        for name, info in constraints.items()
        if info["columns"] == [column]
        and info[kind]
        and not info["primary_key"]
        and name not in declared
    ]
    assert len(names) == 1, f"{model.__name__}.{field_name}: {kind} constraints {names}"
    return names[0]
