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


class DebtInline(admin.TabularInline):
    model = models.Debt
    extra = 0
    raw_id_fields = ["creditor"]
    readonly_fields = ["total"]


@admin.register(models.DebtCase)
class DebtCaseAdmin(admin.ModelAdmin):
    list_display = ["client", "project", "opened_on", "closed_on"]
    list_select_related = ["client", "project"]
    raw_id_fields = ["client", "household"]
    inlines = [DebtInline]


@admin.register(models.Debt)
class DebtAdmin(admin.ModelAdmin):
    list_display = ["creditor", "case_reference", "kind", "status", "total"]
    list_select_related = ["creditor"]
    list_filter = ["kind", "status"]
    raw_id_fields = ["case", "creditor"]
    readonly_fields = ["total"]


class BudgetLineInline(admin.TabularInline):
    model = models.BudgetLine
    extra = 0
    readonly_fields = ["monthly_amount"]


@admin.register(models.DebtAnalysis)
class DebtAnalysisAdmin(admin.ModelAdmin):
    list_display = ["case", "analysed_on", "recommended_solution", "debt_relief_feasible"]
    raw_id_fields = ["case", "created_by"]
    inlines = [BudgetLineInline]


@admin.register(models.DebtAction)
class DebtActionAdmin(admin.ModelAdmin):
    list_display = ["case", "kind", "filed_on", "result", "result_on"]
    list_filter = ["kind", "result"]
    raw_id_fields = ["case", "debt", "deadline_task", "created_by"]


@admin.register(models.DebtOutcome)
class DebtOutcomeAdmin(admin.ModelAdmin):
    list_display = ["case", "kind", "achieved_on", "amount_saved"]
    list_filter = ["kind"]
    raw_id_fields = ["case", "debt", "action"]
