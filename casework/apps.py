from django.apps import AppConfig
from django.db.models import fields
from django.utils.translation import gettext_lazy as _


class CaseworkConfig(AppConfig):
    name = "casework"
    verbose_name = _("Projects and interventions")

    def ready(self):
        # Django's own "- Select an option -" has no Czech translation yet; ours has.
        fields.BLANK_CHOICE_LABEL = _("Choose…")
