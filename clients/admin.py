from django.contrib import admin

from clients import models


@admin.register(models.MonitoringCode)
class MonitoringCodeAdmin(admin.ModelAdmin):
    list_display = ["kind", "code", "name", "is_special_category", "order", "is_active"]
    list_filter = ["kind"]
    list_editable = ["order", "is_active"]


@admin.register(models.Client)
class ClientAdmin(admin.ModelAdmin):
    list_display = ["code", "last_name", "first_name", "locality", "status"]
    list_select_related = ["locality"]
    list_filter = ["status"]
    search_fields = ["code", "last_name", "first_name"]
    raw_id_fields = ["household", "locality", "organisation"]


@admin.register(models.Household)
class HouseholdAdmin(admin.ModelAdmin):
    list_display = ["name", "locality"]
    list_select_related = ["locality"]
    search_fields = ["name"]


@admin.register(models.Enrolment)
class EnrolmentAdmin(admin.ModelAdmin):
    list_display = ["client", "project", "entry_date", "exit_date"]
    list_select_related = ["client", "project"]
    raw_id_fields = ["client"]


@admin.register(models.CaseAssignment)
class CaseAssignmentAdmin(admin.ModelAdmin):
    list_display = ["client", "worker", "project", "started_on", "ended_on"]
    list_select_related = ["client", "worker", "project"]
    raw_id_fields = ["client", "worker", "assigned_by"]


class PlanGoalInline(admin.TabularInline):
    model = models.PlanGoal
    extra = 0


@admin.register(models.IndividualPlan)
class IndividualPlanAdmin(admin.ModelAdmin):
    list_display = ["client", "project", "status", "created_on", "review_due", "signed_at"]
    list_select_related = ["client", "project"]
    list_filter = ["status"]
    raw_id_fields = ["client", "created_by", "signed_by"]
    inlines = [PlanGoalInline]


@admin.register(models.Task)
class TaskAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "due_date", "owner", "client", "done_at"]
    list_select_related = ["owner", "client"]
    list_filter = ["kind"]
    raw_id_fields = ["owner", "client", "created_by"]


@admin.register(models.Consent)
class ConsentAdmin(admin.ModelAdmin):
    list_display = ["client", "scope", "given_on", "withdrawn_on"]
    list_select_related = ["client"]
    raw_id_fields = ["client", "recorded_by"]


@admin.register(models.HouseholdMember)
class HouseholdMemberAdmin(admin.ModelAdmin):
    list_display = ["household", "client", "name", "relationship", "is_dependent"]
    list_select_related = ["household", "client"]
    raw_id_fields = ["household", "client"]


@admin.register(models.Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "client", "size", "uploaded_at"]
    list_select_related = ["client"]
    raw_id_fields = ["client", "uploaded_by"]
