"""Data-protection operations on a client: subject export, anonymisation, retention.

All three walk the data inventory (``casework.audit.inventory``): every model with a path to
the client is exported and anonymised field by field as the inventory says, so a new model or
field is covered as soon as it is classified there (and a test fails until it is).

Anonymisation is irreversible and keeps the statistics: codes, dates, durations and amounts the
indicators are computed from stay, names, contacts, addresses, identifiers and free texts go,
and the date of birth is replaced by one giving the same age at every entry into a project.
The audit trail of the client is redacted in the same transaction through the database
function ``audit_redact_client``, the one path the audit tables' append-only trigger lets
through: it replaces recorded values, never who did what and when.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.db.models import Count, Q
from django.db.models.functions import Cast
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext

from casework.audit.events import record_access
from casework.audit.inventory import ANONYMISED, INVENTORY, Action
from casework.audit.models import AccessAction, AccessEvent
from casework.models import Draft, Intervention, Project
from casework.pdf import STATIC_BASE, html_to_pdf
from clients.models import Client, Household, HouseholdMember

# --- Subject export ---------------------------------------------------------------------------


def _rows_of(label: str, client: Client) -> models.QuerySet | None:
    from django.apps import apps

    entry = INVENTORY[label]
    if not entry.client_path:
        return None
    model = apps.get_model(label)
    return model.objects.filter(**{entry.client_path: client.pk}).distinct().order_by("pk")


OTHER_PERSON = "…"


def _related(value: models.Model, client: Client) -> str:
    # Other clients (a group session, a household) are not named in this client's export.
    if isinstance(value, Client) and value.pk != client.pk:
        return OTHER_PERSON
    return str(value)


def _value(obj, name: str, client: Client):
    field_ = obj._meta.get_field(name)
    if field_.many_to_many:
        return [_related(related, client) for related in getattr(obj, name).all()]
    value = getattr(obj, name)
    if isinstance(value, models.Model):
        return _related(value, client)
    if hasattr(value, "name") and isinstance(field_, models.FileField):
        return value.name or ""
    if isinstance(value, bytes | memoryview):
        return f"<{len(value)} bytes>"
    return value


def client_data(client: Client) -> dict:
    """Everything held about the client (GDPR art. 15), grouped by record type.

    Each group has the record type's purpose, legal basis and retention from the inventory,
    and its rows with every field (sensitive ones included: this is the person's own copy).
    Also lists who read the case file and when.
    """
    records = []
    for label, entry in INVENTORY.items():
        rows = _rows_of(label, client)
        if rows is None:
            continue
        names = [*entry.sensitive, *entry.personal, *entry.not_personal]
        items = [
            {name: _value(obj, name, client) for name in names if hasattr(obj, name)}
            for obj in rows
        ]
        if items:
            records.append(
                {
                    "type": label,
                    "name": str(rows.model._meta.verbose_name_plural),
                    "purpose": str(entry.purpose),
                    "legal_basis": str(entry.basis),
                    "retention": str(entry.retention),
                    "rows": items,
                }
            )
    records.sort(key=lambda group: group["type"] != "clients.Client")  # the person first
    accesses = [
        {
            "time": event.occurred_at,
            "user": str(event.user or ""),
            "action": event.action,
            "action_name": str(event.get_action_display()),
        }
        for event in AccessEvent.objects.filter(client_id=client.pk).select_related("user")
    ]
    return {
        "client": client.code,
        "exported_at": timezone.now(),
        "records": records,
        "accesses": accesses,
    }


def export_json(client: Client, *, by) -> bytes:
    """The subject export as JSON; records the export in the access trail."""
    data = client_data(client)
    record_access(by, AccessAction.EXPORT_CLIENT, client=client, obj=client)
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2).encode()


def _readable(value) -> str:
    if isinstance(value, list):
        return ", ".join(value)
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if isinstance(value, dt.datetime):
        return date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
    if isinstance(value, dt.date):
        return date_format(value, "SHORT_DATE_FORMAT")
    return str(value)


def export_pdf(client: Client, *, by) -> bytes:
    """The subject export as a readable PDF; records the export in the access trail."""
    from django.apps import apps

    data = client_data(client)
    for group in data["records"]:
        field = apps.get_model(group["type"])._meta.get_field
        group["rows"] = [
            [
                (field(name).verbose_name, _readable(value))
                for name, value in row.items()
                if value not in ("", None, []) and name not in ("id", "version")
            ]
            for row in group["rows"]
        ]
    html = render_to_string(
        "audit/client_export_pdf.html",
        {
            "client": client,
            "data": data,
            "static_base": STATIC_BASE,
            "LANGUAGE_CODE": translation.get_language(),
        },
    )
    record_access(by, AccessAction.EXPORT_CLIENT, client=client, obj=client)
    return html_to_pdf(html)


# --- Anonymisation ----------------------------------------------------------------------------


@dataclass
class Anonymised:
    client_id: int
    rows_changed: int = 0
    audit_rows_redacted: int = 0


def identifying_terms(client: Client) -> list[str]:
    """Words that identify the client in texts shared with others (three letters or more)."""
    terms = [
        client.full_name,
        client.first_name,
        client.last_name,
        client.birth_number,
        client.phone,
        client.email,
        f"{client.street} {client.house_number}".strip(),
        client.street,
    ]
    return sorted({t.strip() for t in terms if t and len(t.strip()) >= 3}, key=len, reverse=True)


def _redact(text: str, terms: list[str]) -> str:
    for term in terms:
        text = re.sub(re.escape(term), ANONYMISED, text, flags=re.IGNORECASE)
    return text


def _cleared(model, name: str):
    field_ = model._meta.get_field(name)
    if field_.null:
        return None
    return ""


def _placeholder(model, name: str) -> str:
    return ANONYMISED[: model._meta.get_field(name).max_length or None]


def _generalised_birth_date(client: Client) -> dt.date | None:
    """A date of birth giving the same whole years at every entry date as the real one.

    For each entry the real date lies in (entry − (age + 1) years, entry − age years]; the
    earliest of those upper bounds lies in all of them, so every age band stays.
    """
    if client.birth_date is None:
        return None
    bounds = []
    for entry_date in client.enrolments.values_list("entry_date", flat=True):
        born = client.birth_date
        age = (
            entry_date.year
            - born.year
            - ((entry_date.month, entry_date.day) < (born.month, born.day))
        )
        try:
            bounds.append(entry_date.replace(year=entry_date.year - age))
        except ValueError:  # 29 February
            bounds.append(entry_date.replace(year=entry_date.year - age, day=28))
    return min(bounds) if bounds else None


def _anonymise_rows(model, rows, entry, terms: list[str], *, shared: bool) -> list[str]:
    """Apply the inventory's actions to ``rows``; shared rows only lose identifying words.

    Returns the changed rows as ``table#id`` (their audit history is redacted in full, unless
    shared).
    """
    updates, texts = {}, []
    for name in [*entry.personal, *entry.sensitive]:
        action = entry.action_of(name)
        field_ = model._meta.get_field(name)
        if field_.many_to_many or action in (Action.KEEP, Action.GENERALISE):
            continue
        if shared:
            if isinstance(field_, models.CharField | models.TextField):
                texts.append(name)
        elif action == Action.PLACEHOLDER:
            updates[name] = _placeholder(model, name)
        else:
            updates[name] = _cleared(model, name)
    table = model._meta.db_table
    if updates:
        ids = list(rows.values_list("pk", flat=True))
        model.objects.filter(pk__in=ids).update(**updates)
        return [f"{table}#{pk}" for pk in ids]
    for obj in rows.only("pk", *texts) if texts else ():
        changed = {name: _redact(getattr(obj, name) or "", terms) for name in texts}
        if any(changed[name] != (getattr(obj, name) or "") for name in texts):
            model.objects.filter(pk=obj.pk).update(**changed)
    return []


@transaction.atomic
def anonymise_client(client: Client, *, by) -> Anonymised:
    """Irreversibly remove what identifies the client, keeping every statistic.

    Side effects: every record reached from the client through the inventory is anonymised as
    the inventory says; records shared with other clients (group sessions, a household of
    several clients) only lose the client's identifying words; documents' files are deleted
    after the commit; the client's audit trail and admin log entries are redacted; an
    ``anonymise`` access event is recorded.
    """
    from django.apps import apps

    client = Client.objects.select_for_update().get(pk=client.pk)
    terms = identifying_terms(client)
    result = Anonymised(client.pk)
    changed: list[str] = []
    documents = list(client.documents.values_list("file", flat=True))

    # The household first, while the client still belongs to it.
    households = Household.objects.filter(clients=client).annotate(
        others=Count("clients", filter=~Q(clients=client))
    )
    for household in households:
        shared = household.others > 0
        members = HouseholdMember.objects.filter(household=household)
        changed += _anonymise_rows(
            Household,
            Household.objects.filter(pk=household.pk),
            INVENTORY["clients.Household"],
            terms,
            shared=shared,
        )
        changed += _anonymise_rows(
            HouseholdMember,
            members.filter(client=client) if shared else members,
            INVENTORY["clients.HouseholdMember"],
            terms,
            shared=False,
        )

    for label, entry in INVENTORY.items():
        if not entry.client_path or label in {
            "clients.Household",
            "clients.HouseholdMember",
            "clients.Client",
        }:
            continue
        model = apps.get_model(label)
        rows = model.objects.filter(
            pk__in=model.objects.filter(**{entry.client_path: client.pk}).values("pk")
        )
        if model is Intervention:
            # A visit to the client alone is the client's record; a group session is not.
            alone = rows.annotate(people=Count("clients")).filter(people=1).values("pk")
            changed += _anonymise_rows(model, rows.filter(pk__in=alone), entry, terms, shared=False)
            _anonymise_rows(model, rows.exclude(pk__in=alone), entry, terms, shared=True)
        else:
            changed += _anonymise_rows(model, rows, entry, terms, shared=False)

    birth_date = _generalised_birth_date(client)
    _anonymise_rows(
        Client,
        Client.objects.filter(pk=client.pk),
        INVENTORY["clients.Client"],
        terms,
        shared=False,
    )
    Client.objects.filter(pk=client.pk).update(
        birth_date=birth_date,
        birth_year=None if birth_date else client.year_of_birth,
        version=models.F("version") + 1,
    )
    result.rows_changed = len(changed) + 1

    # Forms typed and not sent yet may name the client; they are kept 72 hours at most anyway.
    typed = Draft.objects.annotate(text=Cast("data", models.TextField()))
    for term in terms:
        typed.filter(text__icontains=term).delete()
    LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Client), object_id=str(client.pk)
    ).update(object_repr=ANONYMISED, change_message="")
    with connection.cursor() as cursor:
        cursor.execute("SELECT audit_redact_client(%s, %s, %s)", [client.pk, terms, changed])
        result.audit_rows_redacted = cursor.fetchone()[0]
    record_access(by, AccessAction.ANONYMISE, client=client, obj=client)
    transaction.on_commit(lambda: _delete_files(documents))
    return result


def _delete_files(names: list[str]) -> None:
    from django.core.files.storage import default_storage

    for name in names:
        if name:
            default_storage.delete(name)


# --- Retention --------------------------------------------------------------------------------


def clients_past_retention(today: dt.date) -> models.QuerySet:
    """Clients whose every project's retention date has passed and none of them is on hold.

    A client in two projects is kept until the later retention date; a project without a
    retention date keeps its clients. Already anonymised clients are not listed again.
    """
    expired = Project.objects.filter(retention_until__lt=today, legal_hold=False)
    keeps = Project.objects.exclude(pk__in=expired.values("pk"))
    in_projects = Q(enrolments__project__in=expired) | Q(assignments__project__in=expired)
    kept = Q(enrolments__project__in=keeps) | Q(assignments__project__in=keeps)
    return (
        Client.objects.filter(in_projects)
        .exclude(pk__in=Client.objects.filter(kept).values("pk"))
        .exclude(first_name=_placeholder(Client, "first_name"))
        .distinct()
        .order_by("pk")
    )


def run_retention(today: dt.date, *, by=None, dry_run: bool = True) -> list[Client]:
    """Anonymise every client past retention (``dry_run`` only lists them)."""
    due = list(clients_past_retention(today))
    if not dry_run:
        for client in due:
            anonymise_client(client, by=by)
    return due
