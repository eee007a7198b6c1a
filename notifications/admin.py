"""Reminders, notifications and delivery attempts in the admin: to look at, never to edit.

They are the record of what was sent; changing one would falsify it.
"""

from __future__ import annotations

from django.contrib import admin

from concerns.admin import ReadOnlyMixin
from notifications.models import Attempt, Delivery, Notification, Reminder


class ReadOnlyAdmin(ReadOnlyMixin, admin.ModelAdmin):
    pass


@admin.register(Reminder)
class ReminderAdmin(ReadOnlyAdmin):
    list_display = ["key", "kind", "concern", "recipient", "due_at", "status", "sent_at"]
    list_filter = ["status", "kind"]
    search_fields = ["key", "concern__reference"]
    date_hierarchy = "due_at"


class DeliveryInline(admin.TabularInline):
    model = Delivery
    fields = ["channel", "status", "attempts", "next_attempt_at", "sent_at", "last_error"]
    readonly_fields = ["channel", "status", "attempts", "next_attempt_at", "sent_at", "last_error"]
    extra = 0
    can_delete = False


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "kind", "reference", "recipient", "in_app_at", "read_at"]
    list_filter = ["kind"]
    search_fields = ["reference", "recipient__email"]
    inlines = [DeliveryInline]


@admin.register(Attempt)
class AttemptAdmin(ReadOnlyAdmin):
    list_display = ["at", "channel", "delivery", "permanent", "error"]
    list_filter = ["channel", "permanent"]
