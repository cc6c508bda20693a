"""Forms of the housing app: input checks with Czech-translatable messages."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from housing.models import (
    BenefitType,
    EthosCategory,
    HousingBenefit,
    HousingOutcome,
    HousingSituation,
    Landlord,
    LandlordKind,
    RiskFactorSet,
)

# --- Messages of the input checks; the tests import them ------------------------------------

NEGATIVE_AMOUNT = _("The amount cannot be negative.")
EVICTION_BEFORE_NOTICE = _("The eviction date cannot be before the day the notice was received.")
NOTICE_IN_FUTURE = _("The notice cannot have been received in the future.")
UNKNOWN_ETHOS = _("Unknown ETHOS category. Choose one from the list (e.g. 9.1).")
BENEFIT_NOT_VALID = _("This benefit was not paid on the date the situation starts.")
LANDLORD_TWICE = _("Choose a landlord from the list or fill in a new one, not both.")
NEW_LANDLORD_KIND = _("Choose what kind of landlord the new landlord is.")
NOTICE_REASON_WITHOUT_DATE = _("Fill in the day the notice was received.")
THRESHOLDS_ORDER = _("The thresholds must grow: medium < high < acute, and medium at least 1.")
NO_FACTORS = _("Keep at least one risk factor.")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


def _money_field(label) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        max_digits=12,
        decimal_places=2,
        min_value=0,
        initial=0,
        error_messages={"min_value": NEGATIVE_AMOUNT},
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01"}),
    )


class HousingSituationForm(forms.ModelForm):
    """One housing situation; a new landlord can be typed in instead of picked."""

    ethos = forms.ModelChoiceField(
        label=_("ETHOS category"),
        queryset=EthosCategory.objects.all(),
        to_field_name="code",
        error_messages={"invalid_choice": UNKNOWN_ETHOS},
    )
    rent = _money_field(_("Rent"))
    service_charges = _money_field(_("Service charges"))
    arrears = _money_field(_("Arrears"))
    new_landlord_name = forms.CharField(label=_("New landlord"), max_length=200, required=False)
    new_landlord_kind = forms.ChoiceField(
        label=_("Kind of the new landlord"),
        choices=[("", "---------"), *LandlordKind.choices],
        required=False,
    )
    new_landlord_contact = forms.CharField(
        label=_("Contact of the new landlord"), max_length=300, required=False
    )

    class Meta:
        model = HousingSituation
        fields = [
            "valid_from",
            "ethos",
            "tenure",
            "landlord",
            "rent",
            "service_charges",
            "arrears",
            "lease_end",
            "notice_received_on",
            "notice_reason",
            "eviction_on",
            "note",
        ]
        widgets = {
            "valid_from": DateInput(),
            "lease_end": DateInput(),
            "notice_received_on": DateInput(),
            "eviction_on": DateInput(),
            "note": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self.fields["landlord"].queryset = Landlord.objects.filter(organisation=organisation)
        self.fields["landlord"].required = False

    def clean_notice_received_on(self):
        notice = self.cleaned_data.get("notice_received_on")
        if notice and notice > timezone.localdate():
            raise forms.ValidationError(NOTICE_IN_FUTURE, code="future")
        return notice

    def clean(self):
        data = super().clean()
        notice, eviction = data.get("notice_received_on"), data.get("eviction_on")
        if notice and eviction and eviction < notice:
            self.add_error("eviction_on", forms.ValidationError(EVICTION_BEFORE_NOTICE))
        if data.get("notice_reason") and not notice and "notice_received_on" not in self.errors:
            self.add_error("notice_received_on", NOTICE_REASON_WITHOUT_DATE)
        if data.get("new_landlord_name"):
            if data.get("landlord"):
                self.add_error("new_landlord_name", LANDLORD_TWICE)
            if not data.get("new_landlord_kind"):
                self.add_error("new_landlord_kind", NEW_LANDLORD_KIND)
        return data

    def situation_data(self) -> dict:
        """The cleaned fields of the situation (the new landlord not yet saved)."""
        return {name: self.cleaned_data[name] for name in self.Meta.fields}

    def new_landlord(self) -> Landlord | None:
        if not self.cleaned_data.get("new_landlord_name"):
            return None
        return Landlord(
            organisation=self.organisation,
            name=self.cleaned_data["new_landlord_name"],
            kind=self.cleaned_data["new_landlord_kind"],
            contact=self.cleaned_data["new_landlord_contact"],
        )


def benefits_valid_on(day: dt.date | None):
    """Benefit types in force on ``day`` (all in-use ones when the day is not known)."""
    qs = BenefitType.objects.filter(is_active=True)
    if day is None:
        return qs
    return qs.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day)).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=day)
    )


class HousingBenefitForm(forms.ModelForm):
    amount = _money_field(_("Monthly amount"))

    class Meta:
        model = HousingBenefit
        fields = ["benefit", "status", "applied_on", "amount", "granted_until"]
        widgets = {"applied_on": DateInput(), "granted_until": DateInput()}

    def __init__(self, *args, on: dt.date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["benefit"].queryset = benefits_valid_on(on)
        self.fields["benefit"].error_messages["invalid_choice"] = BENEFIT_NOT_VALID


HousingBenefitFormSet = forms.formset_factory(HousingBenefitForm, extra=2, max_num=10)


def benefit_rows(formset) -> list[dict]:
    """The filled-in benefit rows of a valid formset, as field dicts."""
    return [
        {name: form.cleaned_data[name] for name in HousingBenefitForm.Meta.fields}
        for form in formset
        if form.cleaned_data and form.cleaned_data.get("benefit")
    ]


def date_from_post(data, name: str) -> dt.date | None:
    """A date typed into the form, to narrow the benefit list before the form is validated."""
    try:
        return dt.date.fromisoformat(data.get(name, ""))
    except (TypeError, ValueError):
        return None


class RiskAssessmentForm(forms.Form):
    """The project's active checklist: one checkbox per factor, its weight in the label."""

    assessed_on = forms.DateField(label=_("Assessed on"), widget=DateInput())
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, factor_set: RiskFactorSet, **kwargs):
        super().__init__(*args, **kwargs)
        self.factor_set = factor_set
        self.factors = list(factor_set.factors.all())
        for factor in self.factors:
            self.fields[f"factor_{factor.pk}"] = forms.BooleanField(
                label=factor.label, required=False
            )

    def clean_assessed_on(self):
        day = self.cleaned_data["assessed_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(ASSESSED_IN_FUTURE)
        return day

    def factor_rows(self):
        return [(factor, self[f"factor_{factor.pk}"]) for factor in self.factors]

    def present(self) -> set[int]:
        return {f.pk for f in self.factors if self.cleaned_data.get(f"factor_{f.pk}")}


ASSESSED_IN_FUTURE = _("The assessment cannot be dated in the future.")


class RiskFactorSetForm(forms.Form):
    """Thresholds and review intervals of the next version of a checklist."""

    medium_from = forms.IntegerField(label=_("Medium risk from score"), min_value=1)
    high_from = forms.IntegerField(label=_("High risk from score"), min_value=1)
    acute_from = forms.IntegerField(label=_("Acute risk from score"), min_value=1)
    review_months = forms.IntegerField(
        label=_("Re-assess after (months)"), min_value=1, max_value=24
    )
    review_months_high = forms.IntegerField(
        label=_("Re-assess high and acute risk after (months)"), min_value=1, max_value=24
    )

    def clean(self):
        data = super().clean()
        medium, high, acute = (data.get(k) for k in ("medium_from", "high_from", "acute_from"))
        if None not in (medium, high, acute) and not (0 < medium < high < acute):
            raise forms.ValidationError(THRESHOLDS_ORDER)
        return data


class RiskFactorForm(forms.Form):
    code = forms.SlugField(label=_("Code"), max_length=30)
    label = forms.CharField(label=_("Risk factor"), max_length=300)
    weight = forms.IntegerField(label=_("Weight"), min_value=1, max_value=20)


class BaseRiskFactorFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        kept = [f for f in self.forms if f.cleaned_data and not self._should_delete_form(f)]
        if not kept:
            raise forms.ValidationError(NO_FACTORS)

    def rows(self) -> list[tuple[str, str, int]]:
        return [
            (f.cleaned_data["code"], f.cleaned_data["label"], f.cleaned_data["weight"])
            for f in self.forms
            if f.cleaned_data and not self._should_delete_form(f)
        ]


RiskFactorFormSet = forms.formset_factory(
    RiskFactorForm, formset=BaseRiskFactorFormSet, extra=1, can_delete=True, max_num=40
)


class HousingOutcomeForm(forms.ModelForm):
    class Meta:
        model = HousingOutcome
        fields = ["outcome", "decided_on", "note"]
        widgets = {"decided_on": DateInput()}
