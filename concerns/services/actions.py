"""Agreed actions followed through: the owning agency records each done, or not done with a
reason. Closing the concern does not end them; each update is on the concern's chain."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from concerns.access import Action
from concerns.errors import ActionRefused
from concerns.models import AgreedAction, User
from concerns.models.records import ActionStatus

from .base import acting_on, cap_text, raise_if, record, require_text, resolve_now

ACTION_MESSAGES = {
    "status": "Say whether the action was done or not done.",
    "reason": "Say why the action was not done.",
}


@dataclass
class ActionUpdateData:
    status: str
    reason: str = ""


def may_update(actor: User, action: AgreedAction) -> bool:
    """The named owner, or anyone with a part in the concern in the owning agency (the
    partnership's officers too, who follow up what nobody else will)."""
    if actor.pk == action.owner_id or actor.is_partnership_officer:
        return True
    return actor.agency_id == action.owner_agency_id


def action_update(
    *,
    action_id: int,
    actor: User,
    data: ActionUpdateData,
    seen_version: int | None = None,
    now: dt.datetime | None = None,
) -> AgreedAction:
    at = resolve_now(now)
    concern_id = AgreedAction.objects.values_list("concern_id", flat=True).get(pk=action_id)
    with acting_on(
        concern_id, actor=actor, at=at, action=Action.UPDATE_ACTION, seen_version=seen_version
    ) as moment:
        action = (
            AgreedAction.objects.select_for_update()
            .select_related("owner_agency")
            .get(pk=action_id)
        )
        if not may_update(actor, action):
            raise ActionRefused(
                f"This action belongs to {action.owner_agency}; only its people can say "
                "whether it was done."
            )
        if not action.is_open:
            raise ActionRefused(
                f"This action was already recorded as {action.get_status_display().lower()}."
            )
        errors: dict[str, str] = {}
        if data.status not in (ActionStatus.DONE, ActionStatus.NOT_DONE):
            errors["status"] = ACTION_MESSAGES["status"]
        elif data.status == ActionStatus.NOT_DONE:
            require_text(errors, "reason", data.reason, ACTION_MESSAGES["reason"])
        cap_text(errors, "reason", data.reason, 2000)
        raise_if(errors)
        action.status, action.status_reason = data.status, data.reason.strip()
        action.completed_at, action.completed_by = at, actor
        action._history_date = at  # type: ignore[attr-defined]
        action._history_user = actor  # type: ignore[attr-defined]
        action.save()
        concern = moment.concern
        record(
            concern,
            actor=actor,
            kind="action.updated",
            at=at,
            from_state=concern.state,
            payload={
                "action": action.pk,
                "status": data.status,
                "reason": action.status_reason,
                "on_time": action.done_on_time,
            },
        )
    return action
