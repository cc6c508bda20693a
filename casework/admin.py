from django.contrib import admin

from casework import models


class KeyActivityInline(admin.TabularInline):
    model = models.KeyActivity
    extra = 0


class IndicatorInline(admin.TabularInline):
    model = models.ProjectIndicator
    extra = 0


class PeriodInline(admin.TabularInline):
    model = models.ReportingPeriod
    extra = 0


class ExtensionInline(admin.TabularInline):
    model = models.ProjectExtension
    extra = 0


class MembershipInline(admin.TabularInline):
    model = models.Membership
    extra = 0
    raw_id_fields = ["user"]


@admin.register(models.Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "ico"]
    search_fields = ["name", "ico"]


@admin.register(models.Locality)
class LocalityAdmin(admin.ModelAdmin):
    list_display = ["name", "municipality", "organisation"]
    list_select_related = ["organisation"]
    search_fields = ["name", "municipality"]


@admin.register(models.Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "registration_number", "programme", "start_date", "end_date"]
    list_select_related = ["organisation"]
    search_fields = ["name", "registration_number", "code"]
    filter_horizontal = ["localities"]
    inlines = [KeyActivityInline, IndicatorInline, PeriodInline, ExtensionInline, MembershipInline]


@admin.register(models.Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "project", "role"]
    list_filter = ["role", "project"]
    list_select_related = ["user", "project"]
    raw_id_fields = ["user"]


@admin.register(models.Topic, models.DeliveryMode, models.InterventionType)
class CodeListAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "order", "is_active"]
    list_editable = ["order", "is_active"]


@admin.register(models.Institution)
class InstitutionAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "organisation", "is_active"]
    list_filter = ["kind", "organisation"]
    list_select_related = ["organisation"]
    search_fields = ["name"]


@admin.register(models.Intervention)
class InterventionAdmin(admin.ModelAdmin):
    list_display = ["date", "project", "key_activity", "duration_minutes", "delivery_mode"]
    list_filter = ["project"]
    list_select_related = ["project", "key_activity", "delivery_mode"]
    date_hierarchy = "date"
    raw_id_fields = ["plan_goal", "created_by"]


@admin.register(models.OutreachContact)
class OutreachContactAdmin(admin.ModelAdmin):
    list_display = ["date", "project", "key_activity", "locality", "head_count"]
    list_select_related = ["project", "key_activity", "locality"]
    raw_id_fields = ["identified_client", "worker"]


admin.site.register(models.EducationalMaterial)
admin.site.register(models.OutputDocument)
