from django.contrib import admin

from .models import Boundary


@admin.register(Boundary)
class BoundaryAdmin(admin.ModelAdmin):
    """Read-only: boundaries come in through `ntm units boundaries FILE`, which checks them."""

    list_display = ("unit", "source", "attribution", "points", "simplified_points", "imported_at")
    search_fields = ("unit__name", "unit__key", "source")
    exclude = ("geometry", "simplified")
    readonly_fields = ("unit", "points", "simplified_points", "source", "attribution", "imported_at", "imported_by")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
