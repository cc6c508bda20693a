"""Confirming who you are again before an action that cannot be taken back.

Anonymising a client, turning two-step verification off, replacing the recovery codes and
deactivating someone's account ask for the password (and, for people with an authenticator
app, a current code from it) in the confirmation form itself. A session left open on a shared
computer or taken over some other way is then not enough to do them.

The password goes through ``django.contrib.auth.authenticate`` with the request, so a wrong one
counts as a failed sign-in for django-axes: repeated guesses lock the account like at the
sign-in page.
"""

from __future__ import annotations

from django import forms
from django.contrib.auth import authenticate
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice

WRONG_PASSWORD = _("This is not your current password. Nothing was changed.")
WRONG_CODE = _(
    "This code from the authenticator app is not valid. Nothing was changed. Wait for a new "
    "code and try again."
)


class ReauthForm(forms.Form):
    """A confirmation form that checks the signed-in person's password and current code.

    Use it as the form of a dangerous action, or as the base class of one that has fields of
    its own (put them first with ``field_order``). The code field is there only for people
    with a confirmed authenticator app. Bind it with ``request=`` (the person and, for
    django-axes, the client address come from it).
    """

    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        help_text=_("Confirm that it is you: enter the password you sign in with."),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    otp_token = forms.CharField(
        label=_("Code from the authenticator app"),
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def __init__(self, *args, request, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request
        self.totp_device = (
            TOTPDevice.objects.filter(user=request.user, confirmed=True).order_by("pk").first()
        )
        if self.totp_device is None:
            del self.fields["otp_token"]

    def clean_otp_token(self):
        return "".join(self.cleaned_data["otp_token"].split())

    def clean(self):
        cleaned_data = super().clean()
        password = cleaned_data.get("password")
        if password is None:
            return cleaned_data
        if not self._password_matches(password):
            self.add_error("password", WRONG_PASSWORD)
        # The code is checked last: a right code is used up, so it is spent only on a form
        # that will otherwise go through.
        elif (
            self.totp_device is not None
            and not self.errors
            and not self.totp_device.verify_token(cleaned_data.get("otp_token", ""))
        ):
            self.add_error("otp_token", WRONG_CODE)
        return cleaned_data

    def _password_matches(self, password: str) -> bool:
        user = self.request.user
        confirmed = authenticate(self.request, username=user.get_username(), password=password)
        return confirmed is not None and confirmed.pk == user.pk
