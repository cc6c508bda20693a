"""Input of the debt record: opening a case, a debt of the register, a status change."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from casework.models import Project
from clients.models import CaseAssignment, Client, Enrolment, project_record_scope
from debts.budget import EXPENSE_CATEGORIES, INCOME_CATEGORIES
from debts.models import (
    ActionResult,
    BudgetLine,
    Creditor,
    CreditorType,
    Debt,
    DebtAction,
    DebtAnalysis,
    DebtCase,
    DebtOutcome,
    DebtStatus,
)

# --- Messages of the input checks; the tests import them ------------------------------------

NEGATIVE_AMOUNT = _("The amount cannot be negative.")
INSTALMENT_ABOVE_TOTAL = _(
    "The monthly instalment (%(instalment)s Kč) is larger than the whole debt (%(total)s Kč)."
)
DATE_IN_FUTURE = _("This has already happened, so the date cannot be in the future.")
STATUS_BEFORE_ORIGIN = _("The status cannot date from before the debt arose (%(date)s).")
CREDITOR_MISSING = _("Choose a creditor from the list, or enter the name of a new one.")
CREDITOR_TYPE_MISSING = _("Choose the type of the new creditor.")
CREDITOR_BOTH = _("Choose a creditor from the list or enter a new one, not both.")
NO_PROJECT = _("The client takes part in no project where you keep their records.")

MONEY_FIELDS = ["principal", "interest", "costs", "monthly_instalment"]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


def _short(day: dt.date) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


def _not_in_future(form: forms.Form, *names: str) -> None:
    today = timezone.localdate()
    for name in names:
        day = form.cleaned_data.get(name)
        if day and day > today:
            form.add_error(name, forms.ValidationError(DATE_IN_FUTURE, code="future"))


def case_projects(user, client: Client):
    """Projects in which the user may keep the client's debt record (enrolled or assigned)."""
    scope = project_record_scope(user)
    return Project.objects.filter(
        Q(pk__in=Enrolment.objects.filter(client=client).filter(scope).values("project"))
        | Q(pk__in=CaseAssignment.objects.filter(client=client).filter(scope).values("project"))
    ).order_by("name")


class ProjectChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class DebtCaseForm(forms.ModelForm):
    """A new debt case: the project, the opening date and whether it covers the household."""

    for_household = forms.BooleanField(
        label=_("Keep the debts for the whole household"), required=False
    )

    class Meta:
        model = DebtCase
        fields = ["opened_on", "note"]
        widgets = {"opened_on": DateInput(), "note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, client: Client, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.client = client
        projects = case_projects(user, client)
        self.fields["project"] = ProjectChoiceField(
            label=_("Project"), queryset=projects, error_messages={"required": NO_PROJECT}
        )
        self.initial.setdefault("opened_on", timezone.localdate())
        if len(projects) == 1:
            self.initial.setdefault("project", projects[0].pk)
        if client.household_id is None:
            del self.fields["for_household"]
        self.order_fields(["project", "opened_on", "for_household", "note"])

    def clean(self):
        data = super().clean()
        _not_in_future(self, "opened_on")
        if data.get("project"):
            self.instance.project = data["project"]
        if data.get("for_household"):
            self.instance.household_id = self.instance.client.household_id
        return data


class CreditorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.creditor_type.name})"


class DebtForm(forms.ModelForm):
    """One debt of the register; the creditor is picked or created inline.

    A new debt also sets its status and since when; an edit carries the version it loaded
    (the status changes through ``DebtStatusForm``, which keeps the history).
    """

    new_creditor_name = forms.CharField(
        label=_("or a new creditor"), max_length=200, required=False
    )
    new_creditor_type = forms.ModelChoiceField(
        label=_("type of the new creditor"),
        queryset=CreditorType.objects.filter(is_active=True),
        required=False,
    )

    class Meta:
        model = Debt
        fields = [
            "creditor",
            "kind",
            "bailiff_office",
            "case_reference",
            "principal",
            "interest",
            "costs",
            "monthly_instalment",
            "originated_on",
            "status",
            "status_since",
            "source",
            "is_public_law",
        ]
        field_classes = {"creditor": CreditorChoiceField}
        widgets = {"originated_on": DateInput(), "status_since": DateInput()}

    def __init__(self, *args, debt_case: DebtCase, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.case = debt_case
        self.creating = self.instance.pk is None
        creditor = self.fields["creditor"]
        creditor.queryset = Creditor.objects.filter(
            organisation=debt_case.project.organisation_id
        ).select_related("creditor_type")
        creditor.required = False
        for name in MONEY_FIELDS:
            self.fields[name].widget.attrs.update({"min": "0", "step": "0.01"})
        if self.creating:
            self.initial.setdefault("status_since", timezone.localdate())
        else:
            del self.fields["status"]
            del self.fields["status_since"]
            self.fields["version"] = forms.IntegerField(
                widget=forms.HiddenInput, initial=self.instance.version
            )

    def clean(self):
        data = super().clean()
        for name in MONEY_FIELDS:
            value = data.get(name)
            if value is not None and value < 0:
                self.add_error(name, forms.ValidationError(NEGATIVE_AMOUNT, code="negative"))
        _not_in_future(self, "originated_on", "status_since")
        self._check_creditor(data)
        amounts = [data.get(name) for name in ("principal", "interest", "costs")]
        instalment = data.get("monthly_instalment")
        if None not in amounts and instalment is not None and min(amounts) >= 0:
            total = sum(amounts, Decimal(0))
            if instalment > total:
                error = forms.ValidationError(
                    INSTALMENT_ABOVE_TOTAL,
                    code="instalment",
                    params={"instalment": instalment, "total": total},
                )
                self.add_error("monthly_instalment", error)
        origin, since = data.get("originated_on"), data.get("status_since")
        if origin and since and since < origin:
            error = forms.ValidationError(
                STATUS_BEFORE_ORIGIN, code="order", params={"date": _short(origin)}
            )
            self.add_error("status_since", error)
        return data

    def _check_creditor(self, data) -> None:
        chosen, new_name = data.get("creditor"), (data.get("new_creditor_name") or "").strip()
        if chosen and new_name:
            self.add_error("new_creditor_name", forms.ValidationError(CREDITOR_BOTH, code="both"))
        elif not chosen and not new_name and "creditor" not in self.errors:
            self.add_error("creditor", forms.ValidationError(CREDITOR_MISSING, code="required"))
        elif new_name and not data.get("new_creditor_type"):
            error = forms.ValidationError(CREDITOR_TYPE_MISSING, code="required")
            self.add_error("new_creditor_type", error)

    def _get_validation_exclusions(self):
        # The creditor may be created by the service, which validates the whole row again.
        return {*super()._get_validation_exclusions(), "creditor"}


class DebtStatusForm(forms.Form):
    """A change of a debt's status, dated; the service writes the history row."""

    status = forms.ChoiceField(label=_("New status"), choices=DebtStatus.choices)
    changed_on = forms.DateField(label=_("Since"), widget=DateInput())
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, debt: Debt, **kwargs):
        super().__init__(*args, **kwargs)
        self.debt = debt
        self.initial.setdefault("changed_on", timezone.localdate())

    def clean(self):
        data = super().clean()
        _not_in_future(self, "changed_on")
        day = data.get("changed_on")
        if day and self.debt.originated_on and day < self.debt.originated_on:
            error = forms.ValidationError(
                STATUS_BEFORE_ORIGIN, code="order", params={"date": _short(self.debt.originated_on)}
            )
            self.add_error("changed_on", error)
        return data


class DebtAnalysisForm(forms.ModelForm):
    """The analysis itself; the legal parameters follow from its date (set by the service)."""

    class Meta:
        model = DebtAnalysis
        fields = ["analysed_on", "dependants", "has_spouse", "recommended_solution", "reasoning"]
        widgets = {"analysed_on": DateInput(), "reasoning": forms.Textarea(attrs={"rows": 3})}
        labels = {"reasoning": _("Notes on the recommendation")}
        help_texts = {"dependants": _("Children and others the client must maintain.")}

    def __init__(self, *args, debt_case: DebtCase, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.case = debt_case
        self.creating = self.instance.pk is None
        if self.creating:
            self.initial.setdefault("analysed_on", timezone.localdate())
        else:
            self.fields["version"] = forms.IntegerField(
                widget=forms.HiddenInput, initial=self.instance.version
            )

    def clean(self):
        data = super().clean()
        _not_in_future(self, "analysed_on")
        return data

    def _get_validation_exclusions(self):
        # The service picks the parameters valid on the date and names the author.
        return {*super()._get_validation_exclusions(), "parameters", "created_by"}


class BudgetLineForm(forms.ModelForm):
    category = forms.ChoiceField(
        label=_("Category"),
        choices=[
            ("", "---------"),
            (_("Income"), INCOME_CATEGORIES),
            (_("Expenses"), EXPENSE_CATEGORIES),
        ],
    )

    class Meta:
        model = BudgetLine
        fields = ["category", "member", "amount", "frequency"]
        labels = {"member": _("Household member (who)")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["amount"].widget.attrs.update({"min": "0", "step": "0.01"})

    def clean(self):
        data = super().clean()
        amount = data.get("amount")
        if amount is not None and amount < 0:
            self.add_error("amount", forms.ValidationError(NEGATIVE_AMOUNT, code="negative"))
        category = data.get("category")
        if category:
            incomes = {code for code, _label in INCOME_CATEGORIES}
            direction = BudgetLine.Direction
            self.instance.direction = direction.INCOME if category in incomes else direction.EXPENSE
        return data

    def _get_validation_exclusions(self):
        return {*super()._get_validation_exclusions(), "analysis"}


class BaseBudgetLineFormSet(forms.BaseInlineFormSet):
    def kept_lines(self) -> list[BudgetLine]:
        return [
            form.instance
            for form in self.forms
            if form.has_changed() and form not in self.deleted_forms
        ]

    def removed_lines(self) -> list[BudgetLine]:
        return [form.instance for form in self.deleted_forms if form.instance.pk]


BudgetLineFormSet = forms.inlineformset_factory(
    DebtAnalysis,
    BudgetLine,
    form=BudgetLineForm,
    formset=BaseBudgetLineFormSet,
    extra=4,
    can_delete=True,
)


RESULT_BEFORE_FILING = _("The result cannot come before the filing (%(date)s).")
RESULT_DATE_MISSING = _("Enter when the result came, or leave the result pending.")
DEADLINE_INCOMPLETE = _("For a deadline task enter both the delivery date and the number of days.")


class DebtActionForm(forms.ModelForm):
    """A filed petition or letter, its result and optionally a deadline task to create."""

    deadline_from = forms.DateField(
        label=_("Delivered on"),
        required=False,
        widget=DateInput(),
        help_text=_("For a deadline task: the day the decision or call was delivered."),
    )
    deadline_days = forms.IntegerField(
        label=_("Deadline in days"),
        required=False,
        min_value=1,
        max_value=365,
        help_text=_("e.g. 15 for an objection or appeal; weekends and holidays are handled."),
    )

    class Meta:
        model = DebtAction
        fields = ["kind", "debt", "filed_on", "authority", "reference", "result", "result_on"]
        widgets = {"filed_on": DateInput(), "result_on": DateInput()}

    def __init__(self, *args, debt_case: DebtCase, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.case = debt_case
        self.fields["debt"].queryset = debt_case.debts.select_related("creditor")
        self.initial.setdefault("filed_on", timezone.localdate())
        if self.instance.deadline_task_id:
            del self.fields["deadline_from"]
            del self.fields["deadline_days"]

    def clean(self):
        data = super().clean()
        _not_in_future(self, "filed_on", "result_on", "deadline_from")
        filed, result_on = data.get("filed_on"), data.get("result_on")
        if filed and result_on and result_on < filed:
            error = forms.ValidationError(
                RESULT_BEFORE_FILING, code="order", params={"date": _short(filed)}
            )
            self.add_error("result_on", error)
        if data.get("result") not in (None, "", ActionResult.PENDING) and not result_on:
            self.add_error("result_on", forms.ValidationError(RESULT_DATE_MISSING, code="required"))
        if bool(data.get("deadline_from")) != bool(data.get("deadline_days")):
            self.add_error(None, forms.ValidationError(DEADLINE_INCOMPLETE, code="deadline"))
        return data

    def _get_validation_exclusions(self):
        return {*super()._get_validation_exclusions(), "created_by"}


class DebtOutcomeForm(forms.ModelForm):
    """A result achieved for the client (enforcement stopped, debt relief approved, ...)."""

    class Meta:
        model = DebtOutcome
        fields = ["kind", "achieved_on", "debt", "action", "amount_saved"]
        widgets = {"achieved_on": DateInput()}

    def __init__(self, *args, debt_case: DebtCase, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.case = debt_case
        self.fields["debt"].queryset = debt_case.debts.select_related("creditor")
        self.fields["action"].queryset = debt_case.actions.all()
        self.fields["amount_saved"].widget.attrs.update({"min": "0", "step": "0.01"})
        self.initial.setdefault("achieved_on", timezone.localdate())

    def clean(self):
        data = super().clean()
        _not_in_future(self, "achieved_on")
        amount = data.get("amount_saved")
        if amount is not None and amount < 0:
            self.add_error("amount_saved", forms.ValidationError(NEGATIVE_AMOUNT, code="negative"))
        return data
