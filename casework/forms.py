"""Forms of the intervention log."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework.models import (
    DeliveryMode,
    Institution,
    Intervention,
    InterventionType,
    KeyActivity,
    Locality,
    Project,
    Topic,
)
from casework.roles import Role, worker_project_ids
from clients.models import (
    CaseAssignment,
    Client,
    ClientStatus,
    GoalStatus,
    Household,
    IndividualPlan,
    PlanGoal,
    PlanStatus,
)

# --- Messages of the input checks; the tests import them ------------------------------------

DURATION_RANGE = _("Enter the duration in whole minutes, from 1 to 1440 (24 hours).")
DURATION_MISSING = _("Choose how long it took, or type the minutes.")
UNKNOWN_CLIENT_CODES = _("No client you can see has the code %(codes)s.")
FOLLOW_UP_NEEDS_DUE = _("Enter when the follow-up task is due.")
FOLLOW_UP_NEEDS_TITLE = _("Describe the follow-up task.")
FOLLOW_UP_IN_PAST = _("A follow-up task cannot be due in the past.")
HEAD_COUNT_RANGE = _("Enter the number of people, from 1 to 1000.")
UNKNOWN_INSTITUTION = _("Choose institutions of your organisation from the list.")

DURATION_PRESETS = (15, 30, 45, 60, 90)
ONE_OFF = "one_off"
MAX_MINUTES = 24 * 60


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%H:%M")


class ProjectScopedSelect(forms.Select):
    """A select whose options carry ``data-project``, so the page script can show only the
    chosen project's options (without JavaScript the server checks the pair)."""

    def __init__(self, *args, project_of: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.project_of = project_of or {}

    def create_option(self, name, value, *args, **kwargs):
        option = super().create_option(name, value, *args, **kwargs)
        key = getattr(value, "value", value)
        if key in self.project_of:
            option["attrs"]["data-project"] = self.project_of[key]
        return option


def _minutes_field(**kwargs) -> forms.IntegerField:
    messages = {"invalid": DURATION_RANGE, "min_value": DURATION_RANGE, "max_value": DURATION_RANGE}
    return forms.IntegerField(
        min_value=1,
        max_value=MAX_MINUTES,
        error_messages=messages,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "step": 1}),
        **kwargs,
    )


def _worker_name(user) -> str:
    return user.get_full_name() or user.get_username()


class WorkerChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return _worker_name(obj)


@dataclass
class ClientChoice:
    client: Client
    checked: bool
    own: bool


@dataclass
class ClientGroup:
    """Clients shown together: one household (with a "whole household" box) or one person."""

    household: Household | None
    household_checked: bool = False
    members: list[ClientChoice] = field(default_factory=list)


class InterventionForm(forms.Form):
    """Logging (or editing) one intervention, built for a phone.

    The fields a typical visit needs come first and have defaults: the project when the worker
    has one, the key activity and form of the worker's last entry, today's date, the client
    from ``?client=``. Duration is a tap on a preset or minutes typed in. Clients: the worker's
    own caseload (with "whole household" boxes) plus codes of other clients they may see.
    The rules that need other rows are checked by ``services.validate_intervention``.
    """

    submission_id = forms.UUIDField(widget=forms.HiddenInput, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    project = forms.ModelChoiceField(label=_("Project"), queryset=Project.objects.none())
    key_activity = forms.ModelChoiceField(
        label=_("Key activity"), queryset=KeyActivity.objects.none()
    )
    date = forms.DateField(label=_("Date"), widget=DateInput)
    start_time = forms.TimeField(label=_("Start time"), required=False, widget=TimeInput)
    duration_preset = forms.TypedChoiceField(
        label=_("Duration"),
        # "min" reads the same in Czech and English; the no-break space keeps it on one line.
        choices=[(m, f"{m}\xa0min") for m in DURATION_PRESETS],
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )
    duration_other = _minutes_field(label=_("Other duration (minutes)"), required=False)
    delivery_mode = forms.ModelChoiceField(
        label=_("Form"), queryset=DeliveryMode.objects.filter(is_active=True), empty_label=None
    )
    intervention_type = forms.ModelChoiceField(
        label=_("Type"),
        queryset=InterventionType.objects.filter(is_active=True),
        required=False,
        empty_label=_("— not specified —"),
    )
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    topics = forms.ModelMultipleChoiceField(
        label=_("Topics"),
        queryset=Topic.objects.filter(is_active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    record = forms.CharField(
        label=_("Record"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    clients = forms.ModelMultipleChoiceField(
        label=_("Clients"), queryset=Client.objects.none(), required=False
    )
    households = forms.ModelMultipleChoiceField(
        label=_("Whole household"), queryset=Household.objects.none(), required=False
    )
    client_codes = forms.CharField(
        label=_("Other clients (codes)"),
        required=False,
        max_length=500,
        help_text=_("Client codes separated by commas or spaces, e.g. RAL-0042."),
    )
    is_group = forms.BooleanField(label=_("Group session"), required=False)
    anonymous_count = forms.IntegerField(
        label=_("Anonymous participants"),
        min_value=0,
        max_value=1000,
        required=False,
        help_text=_("People at a group session who did not give their name."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    plan_goal = forms.ChoiceField(label=_("Plan goal"), required=False)
    coworkers = WorkerChoiceField(
        label=_("Co-workers"),
        queryset=get_user_model().objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    follow_up_title = forms.CharField(label=_("Follow-up task"), max_length=300, required=False)
    follow_up_due = forms.DateField(label=_("Due"), required=False, widget=DateInput)
    institutions = forms.ModelMultipleChoiceField(
        label=_("Institutions involved"),
        queryset=Institution.objects.none(),
        required=False,
        help_text=_("Landlords and offices that took part (housing fund, Labour Office, ...)."),
        error_messages={"invalid_choice": UNKNOWN_INSTITUTION},
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(
        self,
        data=None,
        *,
        user,
        instance: Intervention | None = None,
        initial_client: Client | None = None,
    ):
        self.user = user
        self.instance = instance
        self.initial_client = initial_client
        super().__init__(data, initial=self._initial())
        if instance is None:
            projects = Project.objects.filter(pk__in=worker_project_ids(user)).order_by("name")
            del self.fields["version"]
        else:
            projects = Project.objects.filter(pk=instance.project_id)
            for name in ("submission_id", "follow_up_title", "follow_up_due"):
                del self.fields[name]
            self.fields["project"].disabled = True
        self.projects = list(projects)
        self.fields["project"].queryset = projects
        if len(self.projects) == 1:
            self.fields["project"].widget = forms.HiddenInput()
            self.initial["project"] = self.projects[0].pk
        if instance is None and data is None:
            self._clamp_default_date()
        self._scope_key_activities()
        self._scope_people()
        self._scope_goals()
        self._scope_institutions()

    def _clamp_default_date(self) -> None:
        """Default to today, or to the nearest day of the project when today is outside it.

        A project that has ended (or not begun) would otherwise greet every new entry with
        an error about the date.
        """
        chosen = self.initial.get("project")
        project = next((p for p in self.projects if p.pk == chosen), None)
        if project is None:
            return
        today = self.initial["date"]
        self.initial["date"] = min(max(today, project.start_date), project.effective_end_date)

    # --- Defaults ------------------------------------------------------------------------------

    def _initial(self) -> dict:
        today = timezone.localdate()
        if self.instance is not None:
            return self._initial_from_instance(self.instance)
        initial = {"date": today, "submission_id": uuid.uuid4(), "anonymous_count": 0}
        # The worker's last entry is the best guess for the next one.
        last = (
            Intervention.objects.filter(
                created_by=self.user, project__in=worker_project_ids(self.user)
            )
            .order_by("-created_at", "-pk")
            .only("project_id", "key_activity_id", "delivery_mode_id")
            .first()
        )
        if last is not None:
            initial.update(
                project=last.project_id,
                key_activity=last.key_activity_id,
                delivery_mode=last.delivery_mode_id,
            )
        else:
            first_mode = DeliveryMode.objects.filter(is_active=True).first()
            initial["delivery_mode"] = first_mode.pk if first_mode else None
        if self.initial_client is not None:
            initial["clients"] = [self.initial_client.pk]
        return initial

    def _initial_from_instance(self, intervention: Intervention) -> dict:
        minutes = intervention.duration_minutes
        preset = minutes in DURATION_PRESETS
        return {
            "version": intervention.version,
            "project": intervention.project_id,
            "key_activity": intervention.key_activity_id,
            "date": intervention.date,
            "start_time": intervention.start_time,
            "duration_preset": minutes if preset else None,
            "duration_other": None if preset else minutes,
            "delivery_mode": intervention.delivery_mode_id,
            "intervention_type": intervention.intervention_type_id,
            "place": intervention.place,
            "topics": [t.pk for t in intervention.topics.all()],
            "institutions": [i.pk for i in intervention.institutions.all()],
            "record": intervention.record,
            "clients": [p.client_id for p in intervention.participants.all()],
            "is_group": intervention.is_group,
            "anonymous_count": intervention.anonymous_count,
            "plan_goal": (
                str(intervention.plan_goal_id)
                if intervention.plan_goal_id
                else (ONE_OFF if intervention.is_one_off else "")
            ),
            "coworkers": [
                w.pk for w in intervention.workers.all() if w.pk != intervention.created_by_id
            ],
        }

    # --- Choices scoped to the user ------------------------------------------------------------

    def _scope_key_activities(self) -> None:
        activities = KeyActivity.objects.filter(project__in=[p.pk for p in self.projects])
        field = self.fields["key_activity"]
        field.queryset = activities.select_related("project").order_by("project__name", "code")
        if len(self.projects) > 1:
            field.label_from_instance = lambda a: f"{a.project.code}: {a}"
            field.widget = ProjectScopedSelect(
                project_of={a.pk: a.project_id for a in field.queryset}
            )
            field.widget.choices = field.choices

    def _selected_ids(self, name: str) -> set[int]:
        """Ids ticked in the submitted data, or in the initial values on an unbound form."""
        if self.is_bound:
            raw = self.data
            key = self.add_prefix(name)
            values = raw.getlist(key) if hasattr(raw, "getlist") else raw.get(key) or []
        else:
            values = self.initial.get(name) or []
        return {int(v) for v in values if str(v).isdigit()}

    def _scope_people(self) -> None:
        user = self.user
        visible = Client.objects.visible_to(user)
        current = [p.client_id for p in self.instance.participants.all()] if self.instance else []
        # Editing keeps the people already on the record, even if the editor cannot see them.
        allowed = Client.objects.filter(Q(pk__in=visible.values("pk")) | Q(pk__in=current))
        self.fields["clients"].queryset = allowed
        self.allowed_clients = allowed

        own_ids = set(
            CaseAssignment.objects.current()
            .filter(worker=user, project__in=[p.pk for p in self.projects])
            .values_list("client", flat=True)
        )
        selected = self._selected_ids("clients")
        shown = Client.objects.filter(
            Q(pk__in=allowed.filter(pk__in=own_ids | selected).values("pk"))
        )
        # Household mates of the people shown, as far as the user may see them.
        with_mates = allowed.filter(
            Q(pk__in=shown.values("pk"))
            | Q(household__in=shown.filter(household__isnull=False).values("household"))
        ).select_related("household")
        people = sorted(
            with_mates.filter(Q(status=ClientStatus.ACTIVE) | Q(pk__in=selected)),
            key=lambda c: (c.pk not in own_ids, c.last_name, c.first_name, c.pk),
        )
        self.client_groups = self._group(people, own_ids, selected)
        households = [g.household.pk for g in self.client_groups if g.household]
        self.fields["households"].queryset = Household.objects.filter(pk__in=households)

        User = get_user_model()
        coworkers = User.objects.filter(
            is_active=True,
            memberships__project__in=[p.pk for p in self.projects],
            memberships__role=Role.WORKER,
        ).exclude(pk=self.instance.created_by_id if self.instance else user.pk)
        if self.instance:
            coworkers = User.objects.filter(
                Q(pk__in=coworkers.values("pk"))
                | Q(pk__in=[w.pk for w in self.instance.workers.all()])
            ).exclude(pk=self.instance.created_by_id)
        self.fields["coworkers"].queryset = coworkers.distinct().order_by("last_name", "first_name")

    def _group(self, people: list[Client], own_ids: set, selected: set) -> list[ClientGroup]:
        ticked_households = self._selected_ids("households")
        groups: list[ClientGroup] = []
        by_household: dict[int, ClientGroup] = {}
        for person in people:
            choice = ClientChoice(person, person.pk in selected, person.pk in own_ids)
            key = person.household_id
            if key is None:
                groups.append(ClientGroup(household=None, members=[choice]))
            elif key in by_household:
                by_household[key].members.append(choice)
            else:
                group = ClientGroup(
                    household=person.household, household_checked=key in ticked_households
                )
                group.members.append(choice)
                by_household[key] = group
                groups.append(group)
        # A household of one is just a person.
        for group in groups:
            if group.household and len(group.members) == 1:
                group.household = None
        # The client the form was opened for comes first.
        if self.initial_client is not None:
            groups.sort(key=lambda g: all(m.client.pk != self.initial_client.pk for m in g.members))
        return groups

    def _scope_goals(self) -> None:
        current = self.instance.plan_goal_id if self.instance else None
        # Goals of the ticked clients; of everyone shown while nobody is ticked yet.
        ticked = [
            m.client.pk
            for g in self.client_groups
            for m in g.members
            if m.checked or g.household_checked
        ]
        shown = ticked or [m.client.pk for g in self.client_groups for m in g.members]
        plans = IndividualPlan.objects.visible_to(self.user).filter(
            project__in=[p.pk for p in self.projects],
            client__in=shown,
            status__in=[PlanStatus.DRAFT, PlanStatus.ACTIVE],
        )
        goals = (
            PlanGoal.objects.filter(
                Q(plan__in=plans, status__in=[GoalStatus.OPEN, GoalStatus.PARTLY]) | Q(pk=current)
            )
            .select_related("plan__client")
            .order_by("plan__client__last_name", "plan__client__first_name", "plan", "order")
        )
        self.goals = {g.pk: g for g in goals}
        grouped: dict[Client, list] = {}
        for goal in self.goals.values():
            grouped.setdefault(goal.plan.client, []).append((str(goal.pk), str(goal)))
        self.fields["plan_goal"].choices = [
            ("", _("— no goal —")),
            (ONE_OFF, _("One-off request (not in the plan)")),
            *[(client.full_name, choices) for client, choices in grouped.items()],
        ]
        self.goal_client_of = {str(g.pk): g.plan.client_id for g in self.goals.values()}

    def _scope_institutions(self) -> None:
        """Institutions of the organisations running the form's projects (in use, or already
        on the record being edited)."""
        current = [i.pk for i in self.instance.institutions.all()] if self.instance else []
        self.fields["institutions"].queryset = Institution.objects.filter(
            Q(organisation__in={p.organisation_id for p in self.projects}, is_active=True)
            | Q(pk__in=current)
        ).order_by("name")

    # --- Cleaning ------------------------------------------------------------------------------

    def clean_plan_goal(self):
        value = self.cleaned_data["plan_goal"]
        if value in ("", ONE_OFF):
            return value
        return self.goals[int(value)]

    def clean_anonymous_count(self):
        return self.cleaned_data["anonymous_count"] or 0

    def clean_client_codes(self) -> list[Client]:
        codes = [c for c in re.split(r"[\s,;]+", self.cleaned_data["client_codes"].upper()) if c]
        if not codes:
            return []
        found = {c.code.upper(): c for c in self.allowed_clients.filter(code__in=codes)}
        missing = [code for code in codes if code not in found]
        if missing:
            raise forms.ValidationError(UNKNOWN_CLIENT_CODES, params={"codes": ", ".join(missing)})
        return [found[code] for code in codes]

    def clean(self):
        data = super().clean()
        other, preset = data.get("duration_other"), data.get("duration_preset")
        if "duration_other" not in self.errors:
            # Typed minutes win over a tapped preset: typing is the more deliberate act.
            data["duration_minutes"] = other or preset
            if not data["duration_minutes"]:
                self.add_error("duration_preset", DURATION_MISSING)
        if "follow_up_title" in self.fields:
            title, due = data.get("follow_up_title"), data.get("follow_up_due")
            if title and not due and "follow_up_due" not in self.errors:
                self.add_error("follow_up_due", FOLLOW_UP_NEEDS_DUE)
            elif due and not title:
                self.add_error("follow_up_title", FOLLOW_UP_NEEDS_TITLE)
            elif due and due < timezone.localdate():
                self.add_error("follow_up_due", FOLLOW_UP_IN_PAST)
        return data

    def chosen_clients(self) -> list[Client]:
        """Ticked clients, members of ticked households and clients typed by code, in the
        order shown (the client the form was opened for first); each once."""
        data = self.cleaned_data
        ticked = {c.pk: c for c in data.get("clients", [])}
        households = {h.pk for h in data.get("households") or []}
        # "Whole household" adds the members the form showed under it.
        mates = [
            member.client
            for group in self.client_groups
            if group.household and group.household.pk in households
            for member in group.members
        ]
        order = [m.client.pk for g in self.client_groups for m in g.members]
        first = sorted(ticked.values(), key=lambda c: order.index(c.pk) if c.pk in order else 0)
        result, seen = [], set()
        for person in [*first, *mates, *data.get("client_codes", [])]:
            if person.pk not in seen:
                seen.add(person.pk)
                result.append(person)
        return result

    def service_kwargs(self) -> dict:
        """The cleaned input as keyword arguments of ``log_intervention`` /
        ``update_intervention``."""
        data = self.cleaned_data
        goal = data.get("plan_goal")
        kwargs = {
            "key_activity": data["key_activity"],
            "date": data["date"],
            "start_time": data.get("start_time"),
            "duration_minutes": data["duration_minutes"],
            "delivery_mode": data["delivery_mode"],
            "intervention_type": data.get("intervention_type"),
            "place": data.get("place", ""),
            "topics": list(data.get("topics", [])),
            "institutions": list(data.get("institutions", [])),
            "record": data.get("record", ""),
            "clients": self.chosen_clients(),
            "coworkers": list(data.get("coworkers", [])),
            "is_group": data.get("is_group", False),
            "anonymous_count": data.get("anonymous_count", 0),
            "plan_goal": goal if isinstance(goal, PlanGoal) else None,
            "is_one_off": goal == ONE_OFF,
        }
        if self.instance is None:
            kwargs.update(
                project=data["project"],
                submission_id=data.get("submission_id"),
                follow_up_title=data.get("follow_up_title", ""),
                follow_up_due=data.get("follow_up_due"),
            )
        else:
            kwargs["version"] = data["version"]
        return kwargs

    # --- Template helpers ----------------------------------------------------------------------

    @property
    def single_project(self) -> Project | None:
        return self.projects[0] if len(self.projects) == 1 else None

    @property
    def has_households(self) -> bool:
        return any(g.household for g in self.client_groups)

    @property
    def selected_groups(self) -> list[ClientGroup]:
        """Groups with a ticked client: shown open at the top of the form."""
        return [g for g in self.client_groups if self._group_ticked(g)]

    @property
    def other_groups(self) -> list[ClientGroup]:
        return [g for g in self.client_groups if not self._group_ticked(g)]

    @staticmethod
    def _group_ticked(group: ClientGroup) -> bool:
        return group.household_checked or any(m.checked for m in group.members)

    @property
    def details_have_errors(self) -> bool:
        """Open the "more details" section when one of its fields needs attention."""
        tucked = {
            "start_time",
            "intervention_type",
            "place",
            "is_group",
            "anonymous_count",
            "coworkers",
            "institutions",
            "follow_up_title",
            "follow_up_due",
            "client_codes",
        }
        return bool(tucked & set(self.errors))


# --- Anonymous outreach -----------------------------------------------------------------------


class OutreachForm(forms.Form):
    """Anonymous outreach contacts as a head count (DOMAIN.md §2: never participants)."""

    project = forms.ModelChoiceField(label=_("Project"), queryset=Project.objects.none())
    key_activity = forms.ModelChoiceField(
        label=_("Key activity"), queryset=KeyActivity.objects.none()
    )
    date = forms.DateField(label=_("Date"), widget=DateInput)
    locality = forms.ModelChoiceField(
        label=_("Locality"),
        queryset=Locality.objects.none(),
        required=False,
        empty_label=_("— not specified —"),
    )
    head_count = forms.IntegerField(
        label=_("Number of people"),
        min_value=1,
        max_value=1000,
        error_messages={
            "invalid": HEAD_COUNT_RANGE,
            "min_value": HEAD_COUNT_RANGE,
            "max_value": HEAD_COUNT_RANGE,
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"),
        min_value=0,
        max_value=MAX_MINUTES,
        required=False,
        error_messages={
            "invalid": DURATION_RANGE,
            "min_value": DURATION_RANGE,
            "max_value": DURATION_RANGE,
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, data=None, *, user):
        super().__init__(data, initial={"date": timezone.localdate()})
        projects = Project.objects.filter(pk__in=worker_project_ids(user)).order_by("name")
        self.projects = list(projects)
        self.fields["project"].queryset = projects
        if len(self.projects) == 1:
            self.fields["project"].widget = forms.HiddenInput()
            self.initial["project"] = self.projects[0].pk
        ids = [p.pk for p in self.projects]
        activities = (
            KeyActivity.objects.filter(project__in=ids)
            .select_related("project")
            .order_by("project__name", "code")
        )
        self.fields["key_activity"].queryset = activities
        localities = Locality.objects.filter(projects__in=ids).distinct().order_by("name")
        self.fields["locality"].queryset = localities
        if len(self.projects) > 1:
            widget = ProjectScopedSelect(project_of={a.pk: a.project_id for a in activities})
            widget.choices = self.fields["key_activity"].choices
            self.fields["key_activity"].widget = widget

    def clean_duration_minutes(self):
        return self.cleaned_data["duration_minutes"] or 0

    @property
    def single_project(self) -> Project | None:
        return self.projects[0] if len(self.projects) == 1 else None


class OutreachLinkForm(forms.Form):
    """The client one person from an anonymous contact turned out to be."""

    client = forms.ModelChoiceField(label=_("Client"), queryset=Client.objects.none())

    def __init__(self, data=None, *, user, contact):
        super().__init__(data, initial={"client": contact.identified_client_id})
        self.fields["client"].queryset = (
            Client.objects.visible_to(user)
            .in_project(contact.project)
            .order_by("last_name", "first_name", "pk")
        )


class MonthInput(forms.DateInput):
    input_type = "month"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m")


class BoardFilterForm(forms.Form):
    """The caseload board's filters: one of the viewer's managed projects, a locality, a month.

    Unbound or invalid values fall back to all managed projects, every locality and the
    current month (``filters()``), so the board always shows something.
    """

    project = forms.ModelChoiceField(
        label=_("Project"), queryset=Project.objects.none(), required=False
    )
    locality = forms.ModelChoiceField(
        label=_("Locality"),
        queryset=Locality.objects.none(),
        required=False,
        empty_label=_("All localities"),
    )
    month = forms.DateField(
        label=_("Month"), required=False, input_formats=["%Y-%m"], widget=MonthInput()
    )

    def __init__(self, data=None, *, projects: list[Project]):
        super().__init__(data)
        self.projects = projects
        ids = [p.pk for p in projects]
        self.fields["project"].queryset = Project.objects.filter(pk__in=ids)
        self.fields["project"].choices = [("", _("All my projects"))] + [
            (p.pk, str(p)) for p in projects
        ]
        locality = self.fields["locality"]
        locality.queryset = Locality.objects.filter(projects__in=ids).distinct().order_by("name")
        # Read once, as plain pairs: the select then renders them without the per-option
        # wrappers of the queryset's choices (which still validates a chosen locality).
        locality.choices = [("", locality.empty_label)] + [
            (place.pk, str(place)) for place in locality.queryset
        ]

    def filters(self) -> dict:
        """``project_ids``, ``locality`` and ``month`` for ``caseload_board``."""
        data = self.cleaned_data if self.is_valid() else {}
        project = data.get("project")
        return {
            "project_ids": [project.pk] if project else [p.pk for p in self.projects],
            "locality": data.get("locality"),
            "month": data.get("month") or timezone.localdate(),
        }
