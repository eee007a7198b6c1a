"""The admin: configuration is editable; concerns, records and events are read-only here.

Every change to a concern goes through a service, so the admin shows concerns and their
history but never edits them, and simple-history's revert is refused: restoring an old row
would bypass the state machine, and its setting only hides the button.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from simple_history.admin import SimpleHistoryAdmin

from concerns.models import (
    Agency,
    AgreedAction,
    Audit,
    CaseEvent,
    ClosureDay,
    Concern,
    Cover,
    DiscussionNote,
    Handover,
    OutcomeProposal,
    ProcessSettings,
    Stage,
    Theme,
    UrgentRoute,
    User,
)


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "sector"]
    list_editable = ["sector"]
    list_filter = ["kind", "sector"]
    search_fields = ["name"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["full_name"]
    list_display = ["full_name", "email", "agency", "role", "is_safeguarding_lead", "is_active"]
    list_filter = ["role", "is_safeguarding_lead", "agency", "is_active"]
    search_fields = ["full_name", "email"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (
            "Person",
            {"fields": ("full_name", "job_title", "agency", "role", "is_safeguarding_lead")},
        ),
        ("Access", {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
    )
    add_fieldsets = (
        (None, {"fields": ("email", "full_name", "agency", "role", "password1", "password2")}),
    )


@admin.register(Stage)
class StageAdmin(admin.ModelAdmin):
    list_display = [
        "number",
        "name",
        "holder",
        "working_days",
        "response_working_days",
        "accepts_urgent_escalation",
        "holder_seniority",
    ]


@admin.register(UrgentRoute)
class UrgentRouteAdmin(admin.ModelAdmin):
    """The routes shown first when a child may be at risk of significant harm now."""

    list_display = ["text", "position", "is_active"]
    list_editable = ["position", "is_active"]


admin.site.register(ClosureDay)
admin.site.register(Theme)
admin.site.register(ProcessSettings)


class ReadOnlyMixin:
    """Rows to look at, never to add, change or delete: records written by the services."""

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyHistoryAdmin(ReadOnlyMixin, SimpleHistoryAdmin):
    """Shows rows and their history; refuses edits and reverts."""

    def history_form_view(
        self, request: HttpRequest, object_id: str, version_id: str, extra_context: Any = None
    ) -> HttpResponse:
        if request.method != "GET":
            return HttpResponseNotAllowed(["GET"], "Reverting history is not allowed.")
        return super().history_form_view(request, object_id, version_id, extra_context)


@admin.register(Concern)
class ConcernAdmin(ReadOnlyHistoryAdmin):
    list_display = ["reference", "state", "raising_agency", "receiving_agency", "due_date"]
    list_filter = ["state", "category"]
    search_fields = ["reference"]
    list_select_related = ["raising_agency", "receiving_agency"]


@admin.register(DiscussionNote)
class DiscussionNoteAdmin(ReadOnlyHistoryAdmin):
    list_display = ["concern", "occurred_at", "method", "internal"]
    list_select_related = ["concern"]


@admin.register(AgreedAction)
class AgreedActionAdmin(ReadOnlyHistoryAdmin):
    list_display = ["concern", "owner_agency", "owner", "due_date", "status"]
    list_select_related = ["concern", "owner_agency", "owner"]


@admin.register(Audit)
class AuditAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["concern", "rating", "created_at"]


@admin.register(CaseEvent)
class CaseEventAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["concern", "sequence", "kind", "actor", "created_at"]
    list_filter = ["kind"]
    list_select_related = ["concern", "actor"]


@admin.register(OutcomeProposal)
class OutcomeProposalAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["concern", "stage_number", "side", "status", "proposed_at", "answer_due"]
    list_filter = ["status"]
    list_select_related = ["concern"]


@admin.register(Handover)
class HandoverAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["concern", "role", "from_person", "to_person", "at"]
    list_select_related = ["concern", "from_person", "to_person"]


@admin.register(Cover)
class CoverAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """Arranged on the Cover page (which keeps each person's cover dates); shown here."""

    list_display = ["person", "cover", "starts", "ends"]
    list_select_related = ["person", "cover"]
