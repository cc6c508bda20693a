from django.apps import AppConfig
from django.db.models import fields
from django.utils.translation import gettext_lazy as _


class CaseworkConfig(AppConfig):
    name = "casework"
    verbose_name = _("Projects and interventions")

    def ready(self):
        # Django's own "- Select an option -" has no Czech translation yet; ours has.
        fields.BLANK_CHOICE_LABEL = _("Choose…")

        # Roles cached on a user object (``casework.roles.access_of``) follow membership and
        # project changes made in the same process.
        from django.db.models.signals import post_delete, post_save

        from casework.models import Membership, Project
        from casework.roles import memberships_changed

        for model in (Membership, Project):
            post_save.connect(memberships_changed, sender=model, dispatch_uid=f"access-{model}")
            post_delete.connect(memberships_changed, sender=model, dispatch_uid=f"access-{model}d")
