from django.contrib import admin

from housing import models


class RiskFactorInline(admin.TabularInline):
    model = models.RiskFactor
    extra = 0


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
