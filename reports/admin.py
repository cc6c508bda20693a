from django.contrib import admin

from reports import models


@admin.register(models.GeneratedReport)
class GeneratedReportAdmin(admin.ModelAdmin):
    list_display = [
        "kind",
        "project",
        "period_start",
        "period_end",
        "status",
        "created_by",
        "created_at",
        "download_count",
    ]
    list_select_related = ["project", "created_by"]
    list_filter = ["kind", "status"]
