from django.contrib import admin

from .models import Job


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    """Read-only: jobs change only through the work they record."""

    list_display = ["pk", "kind", "subject", "state", "done", "total", "attempts", "created_by", "created_at"]
    list_filter = ["kind", "state"]
    search_fields = ["subject", "error"]
    readonly_fields = [f.name for f in Job._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False
