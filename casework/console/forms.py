"""Forms of the administrator's console: people and roles, projects and their settings."""

from __future__ import annotations

import itertools

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from casework.forms import DateInput
from casework.models import KeyActivity, Locality, Organisation, Project, ProjectIndicator
from casework.models import ReportingPeriod as Period
from casework.roles import Role

EMAIL_TAKEN = _(
    "Someone with this e-mail address already has an account. Open their page in the list of "
    "people and give them a role there instead."
)
CHOOSE_PROJECT = _("Choose one of your organisation's projects.")
CHOOSE_ROLE = _("Choose the role the person will have in the project.")
DUPLICATE_CODE = _("The code %(code)s is used twice; every code must be unique in the project.")
DUPLICATE_NUMBER = _("Period number %(number)s is used twice.")
PERIODS_OVERLAP = _("Periods %(first)s and %(second)s overlap; reporting periods must not overlap.")
PERIOD_END_BEFORE_START = _("The period cannot end before it starts.")
PROJECT_END_BEFORE_START = _("The planned end cannot be earlier than the start.")
REPORT_DUE_BEFORE_END = _("The report cannot be due before the period ends.")


class FingerprintMixin:
    """A hidden ``fingerprint`` of the stored rows the page was built from.

    The service compares it with the rows as they are at save time, under a lock, and refuses
    when another administrator saved in between, so nobody's changes are silently replaced.
    """

    def add_fingerprint(self, value: str) -> None:
        self.fields["fingerprint"] = forms.CharField(widget=forms.HiddenInput, initial=value)


class InviteForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail"),
        error_messages={
            "required": _("Enter the person's e-mail address; the invitation goes there."),
            "invalid": _("Enter a valid e-mail address, e.g. jana.novakova@example.cz."),
        },
    )
    first_name = forms.CharField(
        label=_("First name"),
        max_length=150,
        error_messages={"required": _("Enter the person's first name.")},
    )
    last_name = forms.CharField(
        label=_("Surname"),
        max_length=150,
        error_messages={"required": _("Enter the person's surname.")},
    )
    project = forms.ModelChoiceField(
        label=_("Project"),
        queryset=Project.objects.none(),
        error_messages={"required": CHOOSE_PROJECT, "invalid_choice": CHOOSE_PROJECT},
    )
    role = forms.ChoiceField(
        label=_("Role"),
        choices=Role.choices,
        error_messages={"required": CHOOSE_ROLE, "invalid_choice": CHOOSE_ROLE},
    )

    def __init__(self, data=None, *, projects):
        super().__init__(data)
        self.fields["project"].queryset = projects

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        user_model = get_user_model()
        if user_model.objects.filter(email__iexact=email).exists() or (
            user_model.objects.filter(username__iexact=email).exists()
        ):
            raise forms.ValidationError(EMAIL_TAKEN, code="taken")
        return email


class MembershipForm(forms.Form):
    """Give a person a role in a project (changes the role if they already have one there)."""

    project = forms.ModelChoiceField(
        label=_("Project"),
        queryset=Project.objects.none(),
        error_messages={"required": CHOOSE_PROJECT, "invalid_choice": CHOOSE_PROJECT},
    )
    role = forms.ChoiceField(
        label=_("Role"),
        choices=Role.choices,
        error_messages={"required": CHOOSE_ROLE, "invalid_choice": CHOOSE_ROLE},
    )

    def __init__(self, data=None, *, projects):
        super().__init__(data)
        self.fields["project"].queryset = projects


class UserSearchForm(forms.Form):
    q = forms.CharField(label=_("Name or e-mail"), required=False, max_length=100)


class ProjectSettingsForm(FingerprintMixin, forms.ModelForm):
    class Meta:
        model = Project
        fields = [
            "name",
            "registration_number",
            "programme",
            "start_date",
            "end_date",
            "localities",
            "participant_threshold_minutes",
            "participants_in_service_use",
            "housing_months_as_hours",
        ]
        widgets = {
            "start_date": DateInput,
            "end_date": DateInput,
            "localities": forms.CheckboxSelectMultiple,
        }
        error_messages = {
            "name": {"required": _("Enter the project's name.")},
            "registration_number": {"required": _("Enter the registration number.")},
            "start_date": {"required": _("Enter the start of the project.")},
            "end_date": {"required": _("Enter the planned end of the project.")},
            "participant_threshold_minutes": {
                "required": _("Enter the participant threshold in minutes (40 hours = 2400).")
            },
        }

    def __init__(self, data=None, *, instance: Project, fingerprint: str):
        super().__init__(data, instance=instance)
        self.fields["localities"].queryset = Locality.objects.filter(
            organisation=instance.organisation_id
        )
        self.add_fingerprint(fingerprint)

    def clean_participant_threshold_minutes(self):
        value = self.cleaned_data["participant_threshold_minutes"]
        if value is not None and value <= 0:
            raise forms.ValidationError(_("The threshold must be more than 0 minutes."))
        return value

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", PROJECT_END_BEFORE_START)
        return data


class OrganisationForm(FingerprintMixin, forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ["name", "address"]
        error_messages = {"name": {"required": _("Enter the organisation's name.")}}

    def __init__(self, data=None, *, instance: Organisation, fingerprint: str):
        super().__init__(data, instance=instance)
        self.add_fingerprint(fingerprint)


class ProjectRowsFormSet(forms.BaseModelFormSet):
    """Rows of one project (key activities, indicators, periods) or of a code list, with a
    fingerprint of the stored rows and a check that codes are not repeated.
    """

    unique_field = "code"
    duplicate_message = DUPLICATE_CODE

    def __init__(self, data=None, *, project: Project | None = None, fingerprint: str, **kwargs):
        self.project = project
        self.fingerprint_form = forms.Form(data, prefix="rows")
        self.fingerprint_form.fields["fingerprint"] = forms.CharField(
            widget=forms.HiddenInput, initial=fingerprint
        )
        super().__init__(data, **kwargs)

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        if self.project is not None:
            form.instance.project = self.project
        return form

    def is_valid(self):
        return self.fingerprint_form.is_valid() & super().is_valid()

    @property
    def fingerprint(self) -> str:
        return self.fingerprint_form.cleaned_data["fingerprint"]

    def filled_forms(self):
        return [f for f in self.forms if f.has_changed() or f.instance.pk]

    def clean(self):
        super().clean()
        seen = set()
        for form in self.filled_forms():
            value = form.cleaned_data.get(self.unique_field)
            if value in (None, ""):
                continue
            if value in seen:
                form.add_error(
                    self.unique_field,
                    forms.ValidationError(
                        self.duplicate_message, params={self.unique_field: value}
                    ),
                )
            seen.add(value)


class KeyActivityForm(forms.ModelForm):
    class Meta:
        model = KeyActivity
        fields = ["code", "name", "description", "is_evaluation"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}
        error_messages = {
            "code": {"required": _("Enter the code, e.g. KA 03.")},
            "name": {"required": _("Enter the key activity's name.")},
        }


class IndicatorForm(forms.ModelForm):
    class Meta:
        model = ProjectIndicator
        fields = ["code", "name", "unit", "baseline", "target", "manual_value"]
        error_messages = {
            "code": {"required": _("Enter the indicator code, e.g. 6 00 00.")},
            "name": {"required": _("Enter the indicator's name.")},
            "target": {"required": _("Enter the target value.")},
        }

    def clean(self):
        data = super().clean()
        for name in ("baseline", "target"):
            if data.get(name) is not None and data[name] < 0:
                self.add_error(name, _("The value cannot be negative."))
        return data


class PeriodForm(forms.ModelForm):
    class Meta:
        model = Period
        fields = ["number", "start_date", "end_date", "report_due", "is_final"]
        widgets = {"start_date": DateInput, "end_date": DateInput, "report_due": DateInput}
        error_messages = {
            "number": {"required": _("Enter the period's number.")},
            "start_date": {"required": _("Enter the start of the period.")},
            "end_date": {"required": _("Enter the end of the period.")},
        }

    def clean(self):
        data = super().clean()
        start, end, due = data.get("start_date"), data.get("end_date"), data.get("report_due")
        if start and end and end < start:
            self.add_error("end_date", PERIOD_END_BEFORE_START)
        if end and due and due < end:
            self.add_error("report_due", REPORT_DUE_BEFORE_END)
        return data


class PeriodRowsFormSet(ProjectRowsFormSet):
    unique_field = "number"
    duplicate_message = DUPLICATE_NUMBER

    def clean(self):
        super().clean()
        spans = sorted(
            (f.cleaned_data["start_date"], f.cleaned_data["end_date"], f.cleaned_data["number"])
            for f in self.filled_forms()
            if all(f.cleaned_data.get(k) for k in ("start_date", "end_date", "number"))
        )
        for (_start, end, first), (next_start, _end, second) in itertools.pairwise(spans):
            if next_start <= end:
                raise forms.ValidationError(
                    PERIODS_OVERLAP, params={"first": first, "second": second}
                )


def rows_formset(form_class, formset_class=ProjectRowsFormSet):
    return forms.modelformset_factory(
        form_class.Meta.model, form=form_class, formset=formset_class, extra=2, can_delete=False
    )


KeyActivityFormSet = rows_formset(KeyActivityForm)
IndicatorFormSet = rows_formset(IndicatorForm)
PeriodFormSet = rows_formset(PeriodForm, PeriodRowsFormSet)


class LocalityForm(forms.ModelForm):
    class Meta:
        model = Locality
        fields = ["name", "municipality"]
        error_messages = {
            "name": {"required": _("Enter the locality's name.")},
            "municipality": {"required": _("Enter the municipality.")},
        }


class OrganisationLocalitiesFormSet(forms.BaseModelFormSet):
    def __init__(self, data=None, *, organisation: Organisation, **kwargs):
        self.organisation = organisation
        super().__init__(data, **kwargs)

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        form.instance.organisation = self.organisation
        return form


LocalityFormSet = forms.modelformset_factory(
    Locality, form=LocalityForm, formset=OrganisationLocalitiesFormSet, extra=2, can_delete=False
)


def code_list_formset(model):
    """Rows of a shared code list: every field but the key; new rows at the end."""
    fields = [f.name for f in model._meta.concrete_fields if not f.primary_key]
    return forms.modelformset_factory(
        model, fields=fields, formset=ProjectRowsFormSet, extra=2, can_delete=False
    )


PROJECT_CODE_TAKEN = _("The organisation already has a project with the code %(code)s.")
AMOUNT_NEGATIVE = _("The amount cannot be negative.")


class ProjectCreateForm(forms.ModelForm):
    """A new project of one of the administrator's organisations; the total is the sum."""

    class Meta:
        model = Project
        fields = [
            "organisation",
            "code",
            "name",
            "registration_number",
            "programme",
            "start_date",
            "end_date",
            "budget_eu",
            "budget_state",
            "budget_own",
        ]
        widgets = {"start_date": DateInput, "end_date": DateInput}
        error_messages = {
            "organisation": {
                "required": _("Choose the organisation that runs the project."),
                "invalid_choice": _("Choose one of your organisations."),
            },
            "code": {"required": _("Enter a short code, e.g. RAL.")},
            "name": {"required": _("Enter the project's name.")},
            "registration_number": {"required": _("Enter the registration number.")},
            "programme": {"required": _("Choose the programme.")},
            "start_date": {"required": _("Enter the start of the project.")},
            "end_date": {"required": _("Enter the planned end of the project.")},
            "budget_eu": {"required": _("Enter the EU share (0 if none).")},
            "budget_state": {"required": _("Enter the state budget share (0 if none).")},
            "budget_own": {"required": _("Enter the own sources (0 if none).")},
        }

    def __init__(self, data=None, *, organisations):
        super().__init__(data)
        self.fields["organisation"].queryset = organisations
        self.fields["organisation"].empty_label = None

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", PROJECT_END_BEFORE_START)
        for name in ("budget_eu", "budget_state", "budget_own"):
            if data.get(name) is not None and data[name] < 0:
                self.add_error(name, AMOUNT_NEGATIVE)
        organisation, code = data.get("organisation"), data.get("code")
        if organisation and code and organisation.projects.filter(code__iexact=code).exists():
            self.add_error("code", forms.ValidationError(PROJECT_CODE_TAKEN, params={"code": code}))
        return data

    def _post_clean(self):
        amounts = [self.cleaned_data.get(n) for n in ("budget_eu", "budget_state", "budget_own")]
        if all(a is not None for a in amounts):
            self.instance.budget_total = sum(amounts)
        super()._post_clean()
