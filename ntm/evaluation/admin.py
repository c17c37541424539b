from django.contrib import admin

from .models import CriterionResult, UnitResult


@admin.register(UnitResult)
class UnitResultAdmin(admin.ModelAdmin):
    list_display = ("unit", "criteria_set", "year", "met", "total", "set_version", "evaluated_at")
    list_filter = ("criteria_set", "year")
    search_fields = ("unit__name", "unit__key")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(CriterionResult)
class CriterionResultAdmin(admin.ModelAdmin):
    list_display = ("unit", "criteria_set", "year", "criterion", "status", "provisional")
    list_filter = ("criteria_set", "year", "status")
    search_fields = ("unit__name", "unit__key")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
