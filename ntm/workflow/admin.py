from django.contrib import admin

from .models import Assignment, Finding, FollowUp, Inspection, Plan


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ("unit", "criteria_set", "year", "criterion", "indicator", "responsible", "department", "due",
                    "is_demo")
    list_filter = ("criteria_set", "year", "is_demo")
    search_fields = ("unit__name", "responsible__username", "note")
    raw_id_fields = ("unit", "responsible", "created_by")


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ("unit", "title", "resolution_number", "year", "level", "communes_target", "district_targets",
                    "is_demo")
    list_filter = ("level", "year", "is_demo")
    raw_id_fields = ("unit",)


class FindingInline(admin.TabularInline):
    model = Finding
    extra = 0
    raw_id_fields = ("commune",)


class FollowUpInline(admin.TabularInline):
    model = FollowUp
    extra = 0
    raw_id_fields = ("commune", "owner", "done_by", "finding")


@admin.register(Inspection)
class InspectionAdmin(admin.ModelAdmin):
    list_display = ("district", "title", "date", "is_demo")
    list_filter = ("is_demo",)
    raw_id_fields = ("district", "created_by")
    filter_horizontal = ("communes",)
    inlines = [FindingInline, FollowUpInline]


@admin.register(FollowUp)
class FollowUpAdmin(admin.ModelAdmin):
    list_display = ("commune", "text", "owner", "due", "done_at", "is_demo")
    list_filter = ("is_demo",)
    raw_id_fields = ("inspection", "finding", "commune", "owner", "done_by")
