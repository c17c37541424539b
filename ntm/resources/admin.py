from django.contrib import admin

from .models import Funding


@admin.register(Funding)
class FundingAdmin(admin.ModelAdmin):
    list_display = ("commune", "year", "criteria_set", "criterion", "source", "amount", "entered_by", "is_demo")
    list_filter = ("year", "source", "is_demo")
    search_fields = ("commune__name", "commune__key", "criterion", "note")
    raw_id_fields = ("commune", "entered_by")
