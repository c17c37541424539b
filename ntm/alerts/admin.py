from django.contrib import admin

from .models import Alert, DigestSent, NotificationSettings


@admin.register(Alert)
class AlertAdmin(admin.ModelAdmin):
    list_display = ("kind", "unit", "criteria_set", "year", "criterion", "recipient", "created_at", "read_at",
                    "emailed_at")
    list_filter = ("kind", "year", "read_at", "emailed_at")
    search_fields = ("unit__name", "recipient__username", "criterion")
    raw_id_fields = ("unit", "recipient")


@admin.register(NotificationSettings)
class NotificationSettingsAdmin(admin.ModelAdmin):
    list_display = ("user", "language", "email")


@admin.register(DigestSent)
class DigestSentAdmin(admin.ModelAdmin):
    list_display = ("user", "day", "sent_at")
    list_filter = ("day",)
