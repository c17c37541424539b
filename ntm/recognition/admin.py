from django.contrib import admin

from .models import CapitalDebt, Dossier, DossierDocument, DossierEvent, IndicatorCheck


class DossierEventInline(admin.TabularInline):
    """Events are history: shown, never edited."""

    model = DossierEvent
    extra = 0
    can_delete = False
    readonly_fields = ["from_step", "to_step", "actor", "comment", "at"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class DossierDocumentInline(admin.TabularInline):
    model = DossierDocument
    extra = 0
    readonly_fields = ["kind", "original_name", "content_type", "size", "uploaded_by", "uploaded_at"]
    exclude = ["file"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False  # uploads go through `upload_document`, which checks the content


@admin.register(Dossier)
class DossierAdmin(admin.ModelAdmin):
    list_display = ["commune", "level", "year", "step", "updated_at", "is_demo"]
    list_filter = ["level", "year", "step", "is_demo"]
    search_fields = ["commune__name", "commune__key"]
    readonly_fields = ["step", "created_by", "created_at", "updated_at"]  # steps only through advance_dossier
    raw_id_fields = ["commune"]
    inlines = [DossierDocumentInline, DossierEventInline]


@admin.register(IndicatorCheck)
class IndicatorCheckAdmin(admin.ModelAdmin):
    list_display = ["dossier", "criteria_set", "indicator", "self_value", "district_value", "province_value",
                    "returned"]
    list_filter = ["returned", "criteria_set"]
    raw_id_fields = ["dossier"]


@admin.register(CapitalDebt)
class CapitalDebtAdmin(admin.ModelAdmin):
    list_display = ["commune", "amount", "description", "as_of", "settled_on", "is_demo"]
    list_filter = ["settled_on", "is_demo"]
    search_fields = ["commune__name", "description"]
    raw_id_fields = ["commune"]
