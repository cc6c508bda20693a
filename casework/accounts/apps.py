from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "casework.accounts"
    label = "accounts"
    verbose_name = _("Sign-in security")

    def ready(self):
        from axes.signals import user_locked_out
        from django.contrib.auth.signals import user_logged_in

        from casework.accounts import notifications, sessions

        user_logged_in.connect(sessions.start, dispatch_uid="accounts_start_session")
        user_locked_out.connect(notifications.locked_out, dispatch_uid="accounts_lockout_mail")
