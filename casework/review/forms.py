from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from casework.forms import DateInput, MonthInput
from casework.review.models import ChecklistItem, ClosureRequest

ANSWER_CHOICES = [("yes", _("Yes")), ("no", _("No")), ("na", _("Not applicable"))]
ANSWER_REQUIRED = _("Answer this question (choose “not applicable” if it does not apply).")
DECISION_SIGN, DECISION_RETURN = "sign", "return"


class ClosureProposalForm(forms.ModelForm):
    class Meta:
        model = ClosureRequest
        fields = ["exit_date", "exit_reason", "note"]
        widgets = {"exit_date": DateInput, "note": forms.Textarea(attrs={"rows": 3})}
        error_messages = {
            "exit_date": {"required": _("Enter the date support ended.")},
            "exit_reason": {"required": _("Choose why the support is ending.")},
        }


class ClosureDecisionForm(forms.Form):
    """The guarantor's decision: sign off, or return with a comment."""

    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[(DECISION_SIGN, _("Sign off and close")), (DECISION_RETURN, _("Return"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether to sign off or return the proposal.")},
    )
    comment = forms.CharField(
        label=_("Comment for the worker"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == DECISION_RETURN and not (data.get("comment") or "").strip():
            self.add_error(
                "comment", _("Say what the worker should change or complete before closing.")
            )
        return data


class SampleFilterForm(forms.Form):
    """Which project (one the viewer manages) and month the quality-review sample is for."""

    project = forms.TypedChoiceField(label=_("Project"), coerce=int)
    month = forms.DateField(
        label=_("Month"), required=False, input_formats=["%Y-%m"], widget=MonthInput()
    )

    def __init__(self, data=None, *, projects: list):
        super().__init__(data)
        self.projects = {p.pk: p for p in projects}
        self.fields["project"].choices = [(p.pk, str(p)) for p in projects]

    def clean_project(self):
        return self.projects[self.cleaned_data["project"]]


class QualityReviewForm(forms.Form):
    """One choice field per active checklist question, plus notes."""

    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 4}), max_length=4000
    )

    def __init__(self, data=None, *, items: list[ChecklistItem]):
        super().__init__(data)
        self.items = items
        for item in items:
            self.fields[f"item_{item.pk}"] = forms.ChoiceField(
                label=item.text,
                choices=ANSWER_CHOICES,
                widget=forms.RadioSelect,
                error_messages={"required": ANSWER_REQUIRED},
            )
        # The notes come after the questions.
        self.order_fields([f"item_{item.pk}" for item in items] + ["notes"])

    def answers(self) -> list[tuple[ChecklistItem, str]]:
        return [(item, self.cleaned_data[f"item_{item.pk}"]) for item in self.items]


class ChecklistItemForm(forms.ModelForm):
    class Meta:
        model = ChecklistItem
        fields = ["text", "order", "is_active"]
        error_messages = {"text": {"required": _("Write the question.")}}


ChecklistFormSet = forms.modelformset_factory(
    ChecklistItem, form=ChecklistItemForm, extra=2, can_delete=False
)
