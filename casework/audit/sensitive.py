"""Special categories of personal data (GDPR art. 9/10): who may see them per person.

The inventory marks them (``Entry.sensitive``): disadvantage codes such as disability,
minority or addiction, the housing risk answers about illness or violence, intervention topics.
They are collected only under the legal basis the inventory records for them
(``Entry.sensitive_basis``), reported only as counts, never in list exports, and shown per
person only to the roles that need them:

- the client's own field worker, who collects them at entry and works with them;
- the administrators of the organisation, who submit the funder's monitoring data.

A guarantor reviews casework and watches indicators: counts, not who is Roma or disabled.
"""

from __future__ import annotations

from functools import cache

from casework.audit.inventory import INVENTORY
from casework.roles import admin_organisation_ids, is_active_user

HIDDEN = "•••"


@cache
def sensitive_columns() -> frozenset[tuple[str, str]]:
    """``(table, column)`` of every sensitive field; ``(table, "*")`` for a link table."""
    from django.apps import apps

    columns = set()
    for label, entry in INVENTORY.items():
        if not entry.sensitive:
            continue
        model = apps.get_model(label)
        for name in entry.sensitive:
            field = model._meta.get_field(name)
            if field.many_to_many:
                columns.add((field.remote_field.through._meta.db_table, "*"))
            else:
                columns.add((model._meta.db_table, field.column))
    return frozenset(columns)


def may_see_special_categories(user, client) -> bool:
    """Whether ``user`` may see the client's special-category data person by person."""
    from clients.models import CaseAssignment, Client

    if not is_active_user(user):
        return False
    if user.is_superuser:
        return True
    return Client.objects.filter(
        pk=client.pk, organisation__in=admin_organisation_ids(user)
    ).exists() or (CaseAssignment.objects.current().filter(client=client, worker=user).exists())


def masked_values(event, *, may_see: bool) -> list[tuple[str, str, str]]:
    """The event's changed values, special categories replaced by a mark for other viewers."""
    values = event.changed_values
    if may_see:
        return values
    hidden = sensitive_columns()
    if (event.table, "*") in hidden:
        return [(name, HIDDEN, HIDDEN) for name, _old, _new in values]
    return [
        (name, HIDDEN, HIDDEN) if (event.table, name) in hidden else (name, old, new)
        for name, old, new in values
    ]
