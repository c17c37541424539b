from django.contrib import admin

from .models import Figure, FigureUnlock


@admin.register(Figure)
class FigureAdmin(admin.ModelAdmin):
    """History is append-only: figures are recorded through the app, never edited here."""

    list_display = ("unit", "criteria_set", "indicator", "year", "bound", "value", "verdict", "entered_by",
                    "entered_at", "superseded_at", "is_demo")
    list_filter = ("criteria_set", "year", "is_demo")
    search_fields = ("unit__name", "unit__key", "indicator")
    readonly_fields = [f.name for f in Figure._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(FigureUnlock)
class FigureUnlockAdmin(admin.ModelAdmin):
    """Unlocks are a record (who, when, why): made on the entry page, never edited here."""

    list_display = ("dossier", "step", "reason", "unlocked_by", "unlocked_at")
    list_filter = ("step",)
    readonly_fields = [f.name for f in FigureUnlock._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
