from django.contrib import admin

from debts import models


@admin.register(models.CreditorType)
class CreditorTypeAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "is_public_law", "order", "is_active"]
    list_editable = ["order", "is_active"]


@admin.register(models.Creditor)
class CreditorAdmin(admin.ModelAdmin):
    list_display = ["name", "creditor_type", "organisation"]
    list_select_related = ["creditor_type", "organisation"]
    search_fields = ["name", "ico"]


@admin.register(models.LegalParameterSet)
class LegalParameterSetAdmin(admin.ModelAdmin):
    list_display = [
        "valid_from",
        "base_amount",
        "debtor_share",
        "dependant_share",
        "threshold_multiple",
        "is_verified",
        "source",
    ]
