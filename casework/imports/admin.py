from django.contrib import admin

from casework.imports.models import ImportRun


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    """Read-only: imports are made on the import screen or with ``import_xlsx``."""

    list_display = ["created_at", "file_name", "project", "kind", "status", "created_by"]
    list_filter = ["kind", "status"]
    list_select_related = ["project", "created_by"]
    exclude = ["content"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
