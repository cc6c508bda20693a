"""Forms of the clients app: input validation with Czech messages, layouts for crispy."""

from __future__ import annotations

import datetime as dt
import os
import unicodedata

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import Q
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from stdnum.cz import rc

from casework import czech, uploads
from casework.audit.sensitive import may_see_special_categories
from casework.models import Locality, Membership, Project
from casework.roles import Role, managed_project_ids, worker_project_ids
from casework.validators import normalise_birth_number, validate_birth_number, validate_postcode
from clients.models import (
    CaseAssignment,
    Client,
    Consent,
    DisadvantageAnswer,
    DocumentKind,
    Enrolment,
    GoalStatus,
    Household,
    HouseholdMember,
    IndividualPlan,
    MonitoringCode,
    PlanGoal,
    Relationship,
    Task,
    project_record_scope,
)
from clients.services import CLIENT_FIELDS

# --- Messages of the input checks; the tests import them ------------------------------------

BIRTH_DATE_IN_FUTURE = _("The date of birth cannot be in the future.")
BIRTH_YEAR_MISMATCH = _(
    "The year of birth does not match the date of birth. Fill in the date, or only the year "
    "when the date is not known."
)
BIRTH_NUMBER_DATE_MISMATCH = _(
    "This birth number belongs to someone born on %(date)s. Check the birth number and the "
    "date of birth."
)
BIRTH_NUMBER_YEAR_MISMATCH = _(
    "This birth number belongs to someone born in %(year)s. Check the birth number and the "
    "year of birth."
)
BIRTH_NUMBER_NOT_A_WOMAN = _(
    "This is a man's birth number (in a woman's, 50 is added to the month). Check the birth "
    "number and the gender."
)
BIRTH_NUMBER_NOT_A_MAN = _(
    "This is a woman's birth number (50 is added to the month). Check the birth number and "
    "the gender."
)
LOCALITY_OF_ANOTHER_ORGANISATION = _("Choose a locality of the project's organisation.")
HOUSEHOLD_NOT_CHOSEN = _("Choose the household from the list.")
HOUSEHOLD_OF_ANOTHER_ORGANISATION = _("Choose a household of the project's organisation.")
HOUSEHOLD_NAME_MISSING = _("Name the new household, e.g. Novákovi, Husova 12.")
HOUSEHOLD_NEEDED_FOR_MEMBERS = _(
    "Choose or create a household above before adding people who live with the client."
)
MEMBER_NAME_OR_CLIENT = _("Enter the person's name, or the code of a client.")
MEMBER_CLIENT_UNKNOWN = _("No client you can see has the code %(code)s.")
MEMBER_IS_THE_CLIENT = _("This is the client themselves; list only the other members.")
CONSENT_WITHDRAWN_BEFORE_GIVEN = _("A consent cannot be withdrawn before it was given (%(given)s).")
EXIT_BEFORE_ENTRY = _("Support cannot end before it started (%(entry)s).")
EXIT_REASON_MISSING = _("Choose why the support ended.")
EXIT_DATE_MISSING = _("Enter when the support ended, or leave the reason empty.")
DISADVANTAGE_CODES_MISSING = _(
    "Tick at least one disadvantage, or choose “No disadvantage” or “Declined to answer”."
)
DISADVANTAGE_CODES_NOT_EXPECTED = _(
    "Disadvantages are ticked only with “Answered”. Clear the ticks or change the answer."
)
SPECIAL_CODES_HIDDEN = _(
    "Special-category codes (disability, national minority, after imprisonment, addiction) "
    "are shown only to the client's worker and the administrators; any recorded are kept."
)
SPECIAL_CODES_KEEP_ANSWER = _(
    "The answer includes special-category codes that only the client's worker or an "
    "administrator can see, so only they can change it to this."
)

# Gender codes of the funder's list (DOMAIN.md §3) that a birth number can confirm.
WOMAN_CODE = "POHZENY"
MAN_CODE = "POHMUZI"

NO_HOUSEHOLD = "none"
EXISTING_HOUSEHOLD = "existing"
NEW_HOUSEHOLD = "new"


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


def _short(day: dt.date) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


def _person_name(user) -> str:
    return user.get_full_name() or user.get_username()


class WorkerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return _person_name(obj)


class HouseholdChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name}, {obj.address}" if obj.address else obj.name


class CodeChoiceField(forms.ModelChoiceField):
    """A monitoring code by its name; the funder's code itself means nothing to the worker."""

    def label_from_instance(self, obj):
        return obj.name


class CodesChoiceField(forms.ModelMultipleChoiceField):
    """Codes by name, with a note on the special categories (GDPR art. 9/10)."""

    def label_from_instance(self, obj):
        if obj.is_special_category:
            return _("%(name)s (special category: the person may decline to answer)") % {
                "name": obj.name
            }
        return obj.name


def _codes(kind: str):
    return MonitoringCode.objects.filter(kind=kind, is_active=True)


class ClientForm(forms.ModelForm):
    """A client's personal details, contact and household; on creation also the project,
    the key worker and the start of support.

    Checks what the form alone can know: the birth number's checksum and its agreement with the
    date (or year) of birth and the gender, the postcode, the household choice. Rules that need
    other rows (duplicates, the worker's membership) are the services' (``clients.services``).
    """

    household_choice = forms.ChoiceField(
        label=_("Household"),
        choices=[
            (NO_HOUSEHOLD, _("Not recorded")),
            (EXISTING_HOUSEHOLD, _("An existing household")),
            (NEW_HOUSEHOLD, _("A new household")),
        ],
        initial=NO_HOUSEHOLD,
        widget=forms.RadioSelect,
    )
    household = HouseholdChoiceField(
        label=_("Existing household"), queryset=Household.objects.none(), required=False
    )
    new_household_name = forms.CharField(
        label=_("Name of the new household"),
        max_length=200,
        required=False,
        help_text=_("e.g. Novákovi, Husova 12"),
    )
    new_household_address = forms.CharField(
        label=_("Address of the new household"), max_length=300, required=False
    )
    relationship = forms.ChoiceField(
        label=_("The client in the household"),
        choices=Relationship.choices,
        initial=Relationship.HEAD,
    )
    different_person = forms.BooleanField(
        label=_("I have checked: this is a different person. Save the new record."),
        required=False,
    )
    # Typed with or without the slash (11 characters); stored as 9 or 10 digits.
    birth_number = forms.CharField(
        label=_("birth number"),
        max_length=11,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        help_text=_(
            "Only with a legal basis, e.g. for an insolvency petition. With or without the slash."
        ),
    )

    class Meta:
        model = Client
        fields = CLIENT_FIELDS
        widgets = {
            "birth_date": DateInput(),
            "birth_year": forms.NumberInput(attrs={"inputmode": "numeric"}),
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
            "email": forms.EmailInput(attrs={"autocomplete": "off"}),
            "postcode": forms.TextInput(attrs={"inputmode": "numeric"}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        field_classes = {"gender": CodeChoiceField}
        help_texts = {
            "birth_year": _("Only when the full date of birth is not known."),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.creating = self.instance.pk is None
        visible = Client.objects.visible_to(user)
        visible_projects = Project.objects.visible_to(user)
        # The client's current values stay choosable even when they are no longer offered.
        self.fields["gender"].queryset = MonitoringCode.objects.filter(
            Q(pk__in=_codes("gender")) | Q(pk=self.instance.gender_id)
        )
        self.fields["birth_year"].widget.attrs.update(min=1900, max=timezone.localdate().year)
        self.fields["locality"].queryset = Locality.objects.filter(
            Q(pk__in=Locality.objects.filter(projects__in=visible_projects).values("pk"))
            | Q(pk=self.instance.locality_id)
        )
        households = Q(pk__in=visible.exclude(household=None).values("household"))
        if self.instance.household_id:
            households |= Q(pk=self.instance.household_id)
        self.fields["household"].queryset = Household.objects.filter(households)
        if self.creating:
            self._add_assignment_fields(user)
        else:
            self.fields["version"] = forms.IntegerField(
                widget=forms.HiddenInput, initial=self.instance.version
            )
            membership = HouseholdMember.objects.filter(client=self.instance).first()
            if self.instance.household_id:
                self.initial.setdefault("household_choice", EXISTING_HOUSEHOLD)
            if membership is not None:
                self.initial.setdefault("relationship", membership.relationship)

    def _add_assignment_fields(self, user) -> None:
        """Project, key worker and start of support, offered for the user's own projects.

        A worker takes the client on in a project where they work; a guarantor or admin
        chooses the project and the worker among the field workers of their projects.
        """
        projects = Project.objects.filter(
            Q(pk__in=worker_project_ids(user)) | Q(pk__in=managed_project_ids(user))
        )
        self.fields["project"] = forms.ModelChoiceField(label=_("Project"), queryset=projects)
        self.fields["entry_date"] = forms.DateField(
            label=_("Support started"), initial=timezone.localdate, widget=DateInput()
        )
        workers = (
            get_user_model()
            .objects.filter(
                memberships__project__in=managed_project_ids(user),
                memberships__role=Role.WORKER,
                is_active=True,
            )
            .distinct()
            .order_by("last_name", "first_name")
        )
        if not workers.exists():
            return
        is_worker = Project.objects.filter(pk__in=worker_project_ids(user)).exists()
        self.fields["worker"] = WorkerChoiceField(
            label=_("Key worker"),
            queryset=workers,
            required=not is_worker,
            help_text=_("Leave empty to take the client on yourself.") if is_worker else "",
        )

    @property
    def project_count(self) -> int:
        return len(self.fields["project"].queryset) if "project" in self.fields else 0

    def clean_birth_number(self) -> str:
        value = self.cleaned_data["birth_number"].strip()
        if not value:
            return ""
        value = normalise_birth_number(value)
        validate_birth_number(value)
        return value

    def clean_postcode(self) -> str:
        value = self.cleaned_data["postcode"].strip()
        if not value:
            return ""
        validate_postcode(value)
        digits = value.replace(" ", "")
        return f"{digits[:3]} {digits[3:]}"

    def clean_birth_date(self):
        value = self.cleaned_data["birth_date"]
        if value and value > timezone.localdate():
            raise forms.ValidationError(BIRTH_DATE_IN_FUTURE, code="future")
        return value

    def clean(self):
        data = super().clean()
        birth_date, birth_year = data.get("birth_date"), data.get("birth_year")
        if birth_date and birth_year and birth_year != birth_date.year:
            self.add_error("birth_year", forms.ValidationError(BIRTH_YEAR_MISMATCH, code="year"))
        elif birth_date:
            data["birth_year"] = None
        if data.get("birth_number"):
            self._check_birth_number(data["birth_number"], data)
        self._clean_organisation_choices(data)
        self._clean_household(data)
        return data

    def _check_birth_number(self, number: str, data: dict) -> None:
        """The birth number encodes the date of birth and, by +50 in the month, a woman."""
        born = rc.get_birth_date(number)
        if data.get("birth_date") and data["birth_date"] != born:
            error = forms.ValidationError(
                BIRTH_NUMBER_DATE_MISMATCH, code="date", params={"date": _short(born)}
            )
            self.add_error("birth_number", error)
        elif data.get("birth_year") and data["birth_year"] != born.year:
            error = forms.ValidationError(
                BIRTH_NUMBER_YEAR_MISMATCH, code="year", params={"year": born.year}
            )
            self.add_error("birth_number", error)
        gender = data.get("gender")
        is_woman = int(number[2:4]) > 50
        if gender and gender.code == WOMAN_CODE and not is_woman:
            self.add_error("birth_number", forms.ValidationError(BIRTH_NUMBER_NOT_A_WOMAN))
        elif gender and gender.code == MAN_CODE and is_woman:
            self.add_error("birth_number", forms.ValidationError(BIRTH_NUMBER_NOT_A_MAN))

    @property
    def organisation_id(self) -> int | None:
        if not self.creating:
            return self.instance.organisation_id
        project = self.cleaned_data.get("project")
        return project.organisation_id if project else None

    def _clean_organisation_choices(self, data: dict) -> None:
        organisation = self.organisation_id
        locality = data.get("locality")
        if organisation and locality and locality.organisation_id != organisation:
            self.add_error("locality", forms.ValidationError(LOCALITY_OF_ANOTHER_ORGANISATION))

    def _clean_household(self, data: dict) -> None:
        choice = data.get("household_choice")
        household = data.get("household")
        if choice == EXISTING_HOUSEHOLD and household is None:
            self.add_error("household", forms.ValidationError(HOUSEHOLD_NOT_CHOSEN))
        elif choice == EXISTING_HOUSEHOLD and household.organisation_id != self.organisation_id:
            if self.organisation_id is not None:
                self.add_error("household", HOUSEHOLD_OF_ANOTHER_ORGANISATION)
        elif choice == NEW_HOUSEHOLD and not data.get("new_household_name", "").strip():
            self.add_error("new_household_name", forms.ValidationError(HOUSEHOLD_NAME_MISSING))

    def chosen_household(self) -> Household | None:
        """The household the client will belong to; a new one is returned unsaved."""
        choice = self.cleaned_data["household_choice"]
        if choice == EXISTING_HOUSEHOLD:
            return self.cleaned_data["household"]
        if choice == NEW_HOUSEHOLD:
            return Household(
                name=self.cleaned_data["new_household_name"].strip(),
                address=self.cleaned_data["new_household_address"].strip(),
            )
        return None


class HouseholdMemberForm(forms.ModelForm):
    """Someone living with the client: a person by name, or another client by code."""

    client_code = forms.CharField(
        label=_("Client code"),
        max_length=20,
        required=False,
        help_text=_("If this person is a client too, e.g. RAL-0042."),
    )

    class Meta:
        model = HouseholdMember
        fields = ["name", "birth_year", "relationship", "is_dependent"]
        widgets = {"birth_year": forms.NumberInput(attrs={"inputmode": "numeric"})}

    def __init__(self, *args, user, client: Client, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.client = client
        self.fields["birth_year"].validators.append(MinValueValidator(1900))
        self.fields["birth_year"].validators.append(MaxValueValidator(timezone.localdate().year))
        if self.instance.client_id:
            self.initial.setdefault("client_code", self.instance.client.code)

    def clean_client_code(self) -> Client | None:
        code = self.cleaned_data["client_code"].strip()
        if not code:
            return None
        linked = Client.objects.visible_to(self.user).filter(code__iexact=code).first()
        if linked is None:
            raise forms.ValidationError(MEMBER_CLIENT_UNKNOWN, params={"code": code})
        if self.client.pk and linked.pk == self.client.pk:
            raise forms.ValidationError(MEMBER_IS_THE_CLIENT)
        return linked

    def clean(self):
        data = super().clean()
        linked = data.get("client_code")
        if "client_code" in data and linked is None and not data.get("name", "").strip():
            self.add_error("name", forms.ValidationError(MEMBER_NAME_OR_CLIENT))
        self.instance.client = linked
        return data


class BaseHouseholdMemberFormSet(forms.BaseModelFormSet):
    """The other members of the household chosen in ``client_form``."""

    def __init__(self, *args, client_form: ClientForm, **kwargs):
        super().__init__(*args, **kwargs)
        self.client_form = client_form

    def clean(self):
        super().clean()
        adding = any(
            form.has_changed() and not self._should_delete_form(form) for form in self.forms
        )
        choice = getattr(self.client_form, "cleaned_data", {}).get("household_choice")
        if adding and choice not in {EXISTING_HOUSEHOLD, NEW_HOUSEHOLD}:
            raise forms.ValidationError(HOUSEHOLD_NEEDED_FOR_MEMBERS)


HouseholdMemberFormSet = forms.modelformset_factory(
    HouseholdMember,
    form=HouseholdMemberForm,
    formset=BaseHouseholdMemberFormSet,
    extra=2,
    can_delete=True,
)


def household_members_for_edit(client: Client, user):
    """The other members of the client's household that this form may show and change.

    Members who are clients the user cannot see stay out: their names are not shown here.
    """
    if not client.pk or not client.household_id:
        return HouseholdMember.objects.none()
    visible = Client.objects.visible_to(user)
    return (
        HouseholdMember.objects.filter(household=client.household_id)
        .exclude(client=client)
        .filter(Q(client=None) | Q(client__in=visible))
        .select_related("client")
        .order_by("pk")
    )


class ConsentForm(forms.ModelForm):
    class Meta:
        model = Consent
        fields = ["scope", "given_on", "withdrawn_on", "note"]
        widgets = {"given_on": DateInput(), "withdrawn_on": DateInput()}

    def clean(self):
        data = super().clean()
        given, withdrawn = data.get("given_on"), data.get("withdrawn_on")
        if given and withdrawn and withdrawn < given:
            error = forms.ValidationError(
                CONSENT_WITHDRAWN_BEFORE_GIVEN, code="order", params={"given": _short(given)}
            )
            self.add_error("withdrawn_on", error)
        return data


ConsentFormSet = forms.modelformset_factory(Consent, form=ConsentForm, extra=1, can_delete=False)


class EnrolmentForm(forms.ModelForm):
    """The cooperation in one project: start, end and reason, and the monitoring data."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    disadvantages = CodesChoiceField(
        label=_("Disadvantages at entry"),
        queryset=MonitoringCode.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    exit_situations = CodesChoiceField(
        label=_("Situation after exit"),
        queryset=MonitoringCode.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Enrolment
        field_classes = {
            "labour_status": CodeChoiceField,
            "exit_labour_status": CodeChoiceField,
            "education": CodeChoiceField,
        }
        fields = [
            "entry_date",
            "exit_date",
            "exit_reason",
            "labour_status",
            "education",
            "disadvantage_answer",
            "disadvantages",
            "exit_labour_status",
            "exit_situations",
        ]
        widgets = {
            "entry_date": DateInput(),
            "exit_date": DateInput(),
            "disadvantage_answer": forms.RadioSelect,
        }
        help_texts = {
            "disadvantage_answer": _(
                "Codes marked as a special category (disability, a national minority such as "
                "the Roma, after imprisonment, addiction) are sensitive data: ask, and when "
                "the person does not want to answer, choose “Declined to answer”. That records "
                "that you asked. Never fill in your own estimate."
            ),
        }

    # Code lists that may hold special categories (``MonitoringCode.is_special_category``).
    CODE_LISTS = {"disadvantages": "disadvantage", "exit_situations": "exit_situation"}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("version", self.instance.version)
        self.fields["labour_status"].queryset = _codes("labour_status")
        self.fields["exit_labour_status"].queryset = _codes("labour_status")
        self.fields["education"].queryset = _codes("education")
        for name, kind in self.CODE_LISTS.items():
            self.fields[name].queryset = _codes(kind)
        self.fields["disadvantage_answer"].choices = DisadvantageAnswer.choices
        self.fields["disadvantage_answer"].required = False
        # Who may not see the person's special categories neither sees nor changes them: the
        # choices leave them out and the recorded ones are kept on save (``hidden_codes``).
        self.may_see_special = may_see_special_categories(user, self.instance.client)
        self.hidden_codes: dict[str, list[MonitoringCode]] = {}
        if not self.may_see_special:
            for name in self.CODE_LISTS:
                field = self.fields[name]
                field.queryset = field.queryset.filter(is_special_category=False)
                recorded = getattr(self.instance, name) if self.instance.pk else None
                self.hidden_codes[name] = (
                    list(recorded.filter(is_special_category=True)) if recorded else []
                )
            self.fields["disadvantages"].help_text = SPECIAL_CODES_HIDDEN

    def clean(self):
        data = super().clean()
        entry, exit_date = data.get("entry_date"), data.get("exit_date")
        if entry and exit_date and exit_date < entry:
            error = forms.ValidationError(
                EXIT_BEFORE_ENTRY, code="order", params={"entry": _short(entry)}
            )
            self.add_error("exit_date", error)
        if exit_date and not data.get("exit_reason"):
            self.add_error("exit_reason", forms.ValidationError(EXIT_REASON_MISSING))
        if data.get("exit_reason") and "exit_date" in data and not exit_date:
            self.add_error("exit_date", forms.ValidationError(EXIT_DATE_MISSING))
        answer, codes = data.get("disadvantage_answer"), data.get("disadvantages")
        hidden = self.hidden_codes.get("disadvantages", [])
        if answer == DisadvantageAnswer.ANSWERED and codes is not None and not codes and not hidden:
            self.add_error("disadvantages", forms.ValidationError(DISADVANTAGE_CODES_MISSING))
        if answer != DisadvantageAnswer.ANSWERED and codes:
            self.add_error("disadvantages", forms.ValidationError(DISADVANTAGE_CODES_NOT_EXPECTED))
        if answer != DisadvantageAnswer.ANSWERED and hidden:
            self.add_error("disadvantage_answer", forms.ValidationError(SPECIAL_CODES_KEEP_ANSWER))
        for name, kept in self.hidden_codes.items():
            if data.get(name) is not None:
                data[name] = [*data[name], *kept]
        return data


# --- Individual plans, tasks and documents ---------------------------------------------------

REVIEW_BEFORE_AGREED = _("The review cannot be before the plan was agreed (%(date)s).")
GOALS_MISSING = _("Write down at least one goal, in the client's own words.")
GOAL_ACHIEVED_ON_MISSING = _("Enter when the goal was achieved.")
GOAL_ACHIEVED_ON_NOT_EXPECTED = _(
    "A date of achievement goes only with “Achieved” or “Partly achieved”. Clear the date or "
    "change the status."
)
GOAL_ACHIEVED_IN_FUTURE = _("The goal cannot have been achieved in the future.")
DUE_DATE_MISSING = _("Enter the due date.")
DELIVERED_ON_MISSING = _("Enter the day the letter or decision was delivered.")
LENGTH_MISSING = _("Enter how many days or months the deadline has.")
OWNER_NEEDS_PROJECT = _("Choose the project in which %(worker)s should do this.")
OWNER_NOT_IN_PROJECT = _("%(worker)s is not a field worker of a project you manage.")
OWNER_NOT_WITH_CLIENT = _("%(worker)s does not work with this client in this project.")
TASK_CLIENT_NOT_IN_PROJECT = _(
    "This client does not take part in the chosen project, or you do not work with them there."
)
FILE_TOO_BIG = _("The file is too big (%(size)s). The largest allowed size is %(limit)s.")
FILE_TYPE_NOT_ALLOWED = _(
    "This kind of file cannot be uploaded. Allowed are: %(types)s. The type is checked by "
    "the content of the file, not by its name."
)
DEADLINE_MOVED = _(
    "%(days)s is not a working day, so the deadline moves to the next working day, %(due)s."
)


def record_projects(user, client: Client):
    """Projects in which the user may keep records of ``client`` (plans, tasks, documents).

    The projects the client takes part in (enrolled or assigned) where ``project_record_scope``
    lets the user see that client's records: the user manages the project, or the client is
    currently assigned to them there.
    """
    scope = project_record_scope(user)
    return Project.objects.filter(
        Q(pk__in=Enrolment.objects.filter(client=client).filter(scope).values("project"))
        | Q(pk__in=CaseAssignment.objects.filter(client=client).filter(scope).values("project"))
    ).order_by("name")


class ProjectChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class ClientChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.last_name} {obj.first_name} ({obj.code})"


class PlanForm(forms.ModelForm):
    """The plan itself: when it was agreed, its status, review and the next meeting.

    A new plan also chooses its project among ``record_projects``; an edit carries the
    version it loaded.
    """

    class Meta:
        model = IndividualPlan
        fields = [
            "created_on",
            "status",
            "review_due",
            "next_meeting_on",
            "next_meeting_note",
            "evaluation",
        ]
        labels = {"created_on": _("Agreed on")}
        widgets = {
            "created_on": DateInput(),
            "review_due": DateInput(),
            "next_meeting_on": DateInput(),
            "evaluation": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "evaluation": _("For the team only: it is not printed for the client."),
            "review_due": _("When you will look at the plan together again."),
        }

    def __init__(self, *args, user, client: Client, **kwargs):
        super().__init__(*args, **kwargs)
        self.creating = self.instance.pk is None
        if self.creating:
            self.instance.client = client
            projects = record_projects(user, client)
            self.fields["project"] = ProjectChoiceField(label=_("Project"), queryset=projects)
            if self.initial.get("created_on") is None:
                self.initial["created_on"] = timezone.localdate()
            if len(projects) == 1:
                self.initial.setdefault("project", projects[0].pk)
        else:
            self.fields["version"] = forms.IntegerField(
                widget=forms.HiddenInput, initial=self.instance.version
            )

    @property
    def project_count(self) -> int:
        return len(self.fields["project"].queryset) if "project" in self.fields else 1

    def clean(self):
        data = super().clean()
        agreed, review = data.get("created_on"), data.get("review_due")
        if agreed and review and review < agreed:
            error = forms.ValidationError(
                REVIEW_BEFORE_AGREED, code="order", params={"date": _short(agreed)}
            )
            self.add_error("review_due", error)
        if self.creating and data.get("project"):
            self.instance.project = data["project"]
        return data


class PlanGoalForm(forms.ModelForm):
    class Meta:
        model = PlanGoal
        fields = ["goal", "steps", "responsible", "target_date", "status", "achieved_on"]
        widgets = {
            "goal": forms.Textarea(attrs={"rows": 2}),
            "steps": forms.Textarea(attrs={"rows": 2}),
            "target_date": DateInput(),
            "achieved_on": DateInput(),
        }
        help_texts = {
            "goal": _("As the client said it, e.g. “I want to keep my flat.”"),
            "responsible": _("e.g. “Client: brings the letters. Worker: calls the landlord.”"),
        }

    def clean(self):
        data = super().clean()
        status, achieved_on = data.get("status"), data.get("achieved_on")
        if status == GoalStatus.ACHIEVED and "achieved_on" in data and not achieved_on:
            self.add_error("achieved_on", forms.ValidationError(GOAL_ACHIEVED_ON_MISSING))
        elif achieved_on and status not in {GoalStatus.ACHIEVED, GoalStatus.PARTLY}:
            self.add_error("achieved_on", forms.ValidationError(GOAL_ACHIEVED_ON_NOT_EXPECTED))
        elif achieved_on and achieved_on > timezone.localdate():
            self.add_error("achieved_on", forms.ValidationError(GOAL_ACHIEVED_IN_FUTURE))
        return data


class BasePlanGoalFormSet(forms.BaseInlineFormSet):
    default_error_messages = {"too_few_forms": GOALS_MISSING}

    def kept_goals(self) -> list[PlanGoal]:
        """The goals to save, in form order: existing ones not deleted, and new filled ones."""
        deleted = set(self.deleted_forms) if self.can_delete else set()
        return [
            form.instance
            for form in self.forms
            if form not in deleted and (form.instance.pk or form.has_changed())
        ]

    def removed_goals(self) -> list[PlanGoal]:
        return [form.instance for form in self.deleted_forms if form.instance.pk]


PlanGoalFormSet = forms.inlineformset_factory(
    IndividualPlan,
    PlanGoal,
    form=PlanGoalForm,
    formset=BasePlanGoalFormSet,
    extra=2,
    min_num=1,
    validate_min=True,
    can_delete=True,
)


class SignPlanForm(forms.Form):
    """The guarantor's sign-off: the version of the plan they read."""

    version = forms.IntegerField(widget=forms.HiddenInput)


DUE_ON_DATE = "date"
DUE_IN_DAYS = "days"
DUE_IN_MONTHS = "months"


class TaskForm(forms.ModelForm):
    """A task or deadline: a plain due date, or a legal deadline counted from delivery.

    A legal deadline (DOMAIN.md §7) is computed by ``casework.czech`` and makes the task a
    deadline. Guarantors and admins may give the task to a field worker of a project they
    manage; everyone else creates tasks for themselves.
    """

    due_by = forms.ChoiceField(
        label=_("How is the due date set?"),
        choices=[
            (DUE_ON_DATE, _("On a date")),
            (DUE_IN_DAYS, _("A legal deadline in days from delivery (e.g. 15 days to appeal)")),
            (
                DUE_IN_MONTHS,
                _("A legal deadline in months from delivery (e.g. 2 months after a lease notice)"),
            ),
        ],
        initial=DUE_ON_DATE,
        widget=forms.RadioSelect,
    )
    delivered_on = forms.DateField(
        label=_("Delivered on"),
        required=False,
        widget=DateInput(),
        help_text=_("The day the letter was handed over or picked up at the post office."),
    )
    length = forms.IntegerField(
        label=_("Number of days or months"),
        required=False,
        min_value=1,
        max_value=366,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )

    class Meta:
        model = Task
        fields = ["title", "kind", "due_date", "owner", "client", "project", "note"]
        field_classes = {
            "owner": WorkerChoiceField,
            "client": ClientChoiceField,
            "project": ProjectChoiceField,
        }
        widgets = {
            "kind": forms.RadioSelect,
            "due_date": DateInput(),
            "note": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {"due_date": _("Due date"), "owner": _("Who does it"), "client": _("Client")}

    def __init__(self, *args, user, initial_client: Client | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.creating = self.instance.pk is None
        self.deadline_note = ""
        self.fields["due_date"].required = False
        if self.creating:
            self.instance.owner = user
        else:
            self.fields["version"] = forms.IntegerField(
                widget=forms.HiddenInput, initial=self.instance.version
            )
        self._limit_owner(user)
        clients = Client.objects.visible_to(user).active()
        if self.instance.client_id:
            clients = Client.objects.filter(Q(pk__in=clients) | Q(pk=self.instance.client_id))
        self.fields["client"].queryset = clients.order_by("last_name", "first_name", "pk")
        self.fields["client"].empty_label = _("No client")
        self.fields["project"].empty_label = _("No project")
        self.fields["project"].queryset = Project.objects.visible_to(user).order_by("name")
        if initial_client is not None:
            self.initial.setdefault("client", initial_client.pk)
            projects = list(record_projects(user, initial_client)[:2])
            if len(projects) == 1:
                self.initial.setdefault("project", projects[0].pk)

    def _limit_owner(self, user) -> None:
        """The user and, for guarantors and admins, the field workers of their projects."""
        workers = Q(
            memberships__project__in=managed_project_ids(user), memberships__role=Role.WORKER
        )
        owners = (
            get_user_model()
            .objects.filter(Q(pk=user.pk) | Q(pk=self.instance.owner_id) | workers)
            .filter(is_active=True)
            .distinct()
            .order_by("last_name", "first_name")
        )
        if not Project.objects.managed_by(user).exists():
            del self.fields["owner"]
            return
        self.fields["owner"].queryset = owners
        self.initial.setdefault("owner", self.instance.owner_id)

    def clean(self):
        data = super().clean()
        self._clean_due_date(data)
        owner = data.get("owner", self.instance.owner)
        project, client = data.get("project"), data.get("client")
        if client and project and not record_projects(self.user, client).filter(pk=project.pk):
            self.add_error("project", forms.ValidationError(TASK_CLIENT_NOT_IN_PROJECT))
        # Someone else's task stays theirs when edited; a new owner must fit the project.
        changed_owner = owner and owner.pk not in {self.user.pk, self.instance.owner_id}
        if "owner" in self.fields and changed_owner:
            self._clean_other_owner(owner, project, client)
        return data

    def _clean_due_date(self, data: dict) -> None:
        due_by = data.get("due_by")
        if due_by == DUE_ON_DATE:
            if not data.get("due_date") and "due_date" not in self.errors:
                self.add_error("due_date", forms.ValidationError(DUE_DATE_MISSING))
            return
        delivered_on, length = data.get("delivered_on"), data.get("length")
        if not delivered_on and "delivered_on" not in self.errors:
            self.add_error("delivered_on", forms.ValidationError(DELIVERED_ON_MISSING))
        if not length and "length" not in self.errors:
            self.add_error("length", forms.ValidationError(LENGTH_MISSING))
        if not (delivered_on and length):
            return
        if due_by == DUE_IN_DAYS:
            last_day = delivered_on + dt.timedelta(days=length)
            due = czech.procedural_deadline(delivered_on, length)
        else:
            last_day = czech.add_months(delivered_on, length)
            due = czech.procedural_deadline_months(delivered_on, length)
        data["due_date"] = due
        data["kind"] = Task.Kind.DEADLINE
        self.instance.due_date = due
        self.instance.kind = Task.Kind.DEADLINE
        if due != last_day:
            self.deadline_note = DEADLINE_MOVED % {
                "days": _long(last_day),
                "due": _long(due),
            }

    def _clean_other_owner(self, owner, project, client) -> None:
        name = _person_name(owner)
        if project is None:
            self.add_error("project", OWNER_NEEDS_PROJECT % {"worker": name})
            return
        works_there = Membership.objects.filter(
            user=owner,
            project=project,
            role=Role.WORKER,
            project__in=managed_project_ids(self.user),
        ).exists()
        if not works_there:
            self.add_error("owner", OWNER_NOT_IN_PROJECT % {"worker": name})
            return
        with_client = CaseAssignment.objects.current().filter(
            worker=owner, client=client, project=project
        )
        if client and not with_client.exists():
            self.add_error("owner", OWNER_NOT_WITH_CLIENT % {"worker": name})


def _long(day: dt.date) -> str:
    """The weekday and date, "Tuesday 22. 4. 2025": the weekday says why a deadline moved."""
    return f"{date_format(day, 'l')} {_short(day)}"


class DocumentForm(forms.Form):
    """An uploaded document: its type is read from the content (``casework.uploads``)."""

    file = forms.FileField(
        label=_("File"),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".pdf,.jpg,.jpeg,.png,.heic,.docx,.xlsx,.odt,.ods,.txt,"
                "application/pdf,image/jpeg,image/png,image/heic,text/plain"
            }
        ),
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=300,
        required=False,
        help_text=_(
            "e.g. “Payment order of the District Court, 3 March”. If you leave it empty, the "
            "file name is used."
        ),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=DocumentKind.choices)
    project = ProjectChoiceField(
        label=_("Project"),
        queryset=Project.objects.none(),
        required=False,
        empty_label=_("No project"),
        help_text=_(
            "Without a project, everyone who works with the client can open the document; "
            "under a project, only that project's team."
        ),
    )

    def __init__(self, *args, user, client: Client, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = record_projects(user, client)
        limit = filesizeformat(settings.DOCUMENT_MAX_BYTES)
        self.fields["file"].help_text = _(
            "PDF, a photo (JPEG, PNG, HEIC), Word or Excel (DOCX, XLSX), OpenDocument (ODT, ODS) "
            "or plain text, up to %(limit)s."
        ) % {"limit": limit}
        self.content_type = ""

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.DOCUMENT_MAX_BYTES:
            raise forms.ValidationError(
                FILE_TOO_BIG,
                code="too_big",
                params={
                    "size": filesizeformat(upload.size),
                    "limit": filesizeformat(settings.DOCUMENT_MAX_BYTES),
                },
            )
        content_type = uploads.detect_content_type(upload)
        if content_type is None:
            raise forms.ValidationError(
                FILE_TYPE_NOT_ALLOWED,
                code="type",
                params={"types": uploads.allowed_type_names()},
            )
        self.content_type = content_type
        return upload

    @property
    def original_name(self) -> str:
        return clean_file_name(self.cleaned_data["file"].name)

    @property
    def document_title(self) -> str:
        return self.cleaned_data["title"].strip() or os.path.splitext(self.original_name)[0]


def clean_file_name(name: str) -> str:
    """The file's own name as sent, without a path or control characters, at most 255 long."""
    name = os.path.basename(name.replace("\\", "/"))
    name = "".join(char for char in name if unicodedata.category(char)[0] != "C").strip()
    stem, extension = os.path.splitext(name or "document")
    return stem[: 255 - len(extension)] + extension


REASSIGN_NOT_A_WORKER = _("%(worker)s is not a field worker of the chosen project.")


class ReassignForm(forms.Form):
    """Move a client to another key worker in one of the projects the viewer manages."""

    project = forms.ModelChoiceField(label=_("Project"), queryset=Project.objects.none())
    to_worker = forms.ModelChoiceField(
        label=_("New key worker"), queryset=get_user_model().objects.none()
    )
    on = forms.DateField(label=_("From"), widget=DateInput())

    def __init__(self, data=None, *, user, client: Client):
        super().__init__(data, initial={"on": timezone.localdate()})
        projects = Project.objects.managed_by(user).filter(
            Q(pk__in=Enrolment.objects.filter(client=client).values("project"))
            | Q(pk__in=CaseAssignment.objects.filter(client=client).values("project"))
        )
        self.fields["project"].queryset = projects
        self.fields["to_worker"].queryset = (
            get_user_model()
            .objects.filter(
                pk__in=Membership.objects.filter(project__in=projects, role=Role.WORKER).values(
                    "user"
                )
            )
            .order_by("last_name", "first_name", "pk")
        )
        self.fields["to_worker"].label_from_instance = lambda u: u.get_full_name() or u.username

    def clean(self):
        data = super().clean()
        project, worker = data.get("project"), data.get("to_worker")
        if project and worker:
            is_worker = Membership.objects.filter(
                project=project, user=worker, role=Role.WORKER
            ).exists()
            if not is_worker:
                name = worker.get_full_name() or worker.get_username()
                self.add_error(
                    "to_worker",
                    forms.ValidationError(REASSIGN_NOT_A_WORKER, params={"worker": name}),
                )
        return data
