from django.contrib import admin

from housing import models


class RiskFactorInline(admin.TabularInline):
    """Read-only: assessments point at these rows, so a change must be a new version
    (the "Change the checklist" screen, ``housing.services.revise_risk_factor_set``)."""

    model = models.RiskFactor
    extra = 0

    def get_readonly_fields(self, request, obj=None):
        return ["code", "label", "weight", "order"] if obj is not None else []

    def has_add_permission(self, request, obj=None):
        return obj is None

    def has_delete_permission(self, request, obj=None):
        return obj is None


@admin.register(models.EthosCategory)
class EthosCategoryAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "conceptual_category"]


@admin.register(models.BenefitType)
class BenefitTypeAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "valid_from", "valid_to", "is_active"]


@admin.register(models.Landlord)
class LandlordAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "organisation"]
    list_select_related = ["organisation"]
    search_fields = ["name"]


@admin.register(models.RiskFactorSet)
class RiskFactorSetAdmin(admin.ModelAdmin):
    list_display = ["project", "version", "is_active", "medium_from", "high_from", "acute_from"]
    list_select_related = ["project"]
    inlines = [RiskFactorInline]

    def get_readonly_fields(self, request, obj=None):
        # A saved version is history; thresholds change through a new version too.
        if obj is None:
            return []
        return ["project", "version", "medium_from", "high_from", "acute_from"]


class HousingBenefitInline(admin.TabularInline):
    model = models.HousingBenefit
    extra = 0


@admin.register(models.HousingSituation)
class HousingSituationAdmin(admin.ModelAdmin):
    list_display = ["client", "valid_from", "valid_to", "ethos", "tenure", "arrears"]
    list_select_related = ["client", "ethos"]
    raw_id_fields = ["client", "household", "landlord"]
    inlines = [HousingBenefitInline]


class RiskFactorAnswerInline(admin.TabularInline):
    model = models.RiskFactorAnswer
    extra = 0


@admin.register(models.RiskAssessment)
class RiskAssessmentAdmin(admin.ModelAdmin):
    list_display = ["client", "project", "assessed_on", "score", "level"]
    list_select_related = ["client", "project"]
    list_filter = ["level"]
    raw_id_fields = ["client", "assessed_by"]
    inlines = [RiskFactorAnswerInline]


@admin.register(models.RiskEvent)
class RiskEventAdmin(admin.ModelAdmin):
    list_display = ["situation", "kind", "event_on"]
    raw_id_fields = ["situation", "task"]


@admin.register(models.HousingOutcome)
class HousingOutcomeAdmin(admin.ModelAdmin):
    list_display = ["client", "project", "outcome", "decided_on"]
    raw_id_fields = ["client"]
