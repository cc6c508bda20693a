from django import forms
from django.utils.translation import gettext_lazy as _

CODE_MISMATCH = _("Type the client's code exactly as shown to confirm.")


class AnonymiseForm(forms.Form):
    """Anonymisation cannot be undone: the administrator types the client's code to confirm."""

    confirm_code = forms.CharField(label=_("Client code"), max_length=20)

    def __init__(self, *args, client, **kwargs):
        super().__init__(*args, **kwargs)
        self.client = client

    def clean_confirm_code(self):
        value = self.cleaned_data["confirm_code"].strip()
        if value != self.client.code:
            raise forms.ValidationError(CODE_MISMATCH)
        return value
