from django import forms
from django.utils.translation import gettext_lazy as _

from casework.accounts.reauth import ReauthForm

CODE_MISMATCH = _("Type the client's code exactly as shown to confirm.")


class AnonymiseForm(ReauthForm):
    """Anonymisation cannot be undone: the administrator types the client's code and confirms
    with their password (and a current code from the authenticator app)."""

    confirm_code = forms.CharField(label=_("Client code"), max_length=20)
    field_order = ["confirm_code", "password", "otp_token"]

    def __init__(self, *args, client, request, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        self.client = client

    def clean_confirm_code(self):
        value = self.cleaned_data["confirm_code"].strip()
        if value != self.client.code:
            raise forms.ValidationError(CODE_MISMATCH)
        return value
