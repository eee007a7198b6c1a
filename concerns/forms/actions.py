"""Forms for what a person may do to a concern now. Each carries the version they saw."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django import forms
from django.utils import timezone

from concerns import access
from concerns.models import Agency, Concern, Holder, Stage, User
from concerns.models.concern import Decision, PauseReason
from concerns.models.people import Role
from concerns.models.records import ActionStatus, ContactMethod, HandoverRole
from concerns.selectors import holder_candidates
from concerns.services.actions import ACTION_MESSAGES
from concerns.services.completion import WITHDRAWAL_MESSAGES
from concerns.services.handover import COVER_MESSAGES, REASSIGN_MESSAGES
from concerns.services.notes import NOTE_MESSAGES
from concerns.services.outcomes import LONGEST_ACTION, MAX_ACTIONS, PROPOSAL_MESSAGES
from concerns.services.pausing import PAUSE_MESSAGES
from concerns.services.reopening import REOPEN_MESSAGES
from concerns.services.stages import ESCALATION_MESSAGES, position_message

from .base import (
    DateInput,
    DateTimeInput,
    GovukFormMixin,
    HolderChoiceField,
    PersonChoiceField,
    managers_in,
)


class VersionedForm(GovukFormMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class NoteForm(GovukFormMixin, forms.Form):
    required_messages = NOTE_MESSAGES

    submission_key = forms.CharField(widget=forms.HiddenInput, initial=uuid.uuid4)
    occurred_at = forms.DateTimeField(
        label="When did the discussion take place?", widget=DateTimeInput()
    )
    with_whom = forms.CharField(
        label="Who was it with?",
        max_length=300,
        help_text="Names and roles, for example: Sam Worker, social worker.",
    )
    method = forms.ChoiceField(
        label="How did it take place?", choices=ContactMethod.choices, widget=forms.RadioSelect
    )
    discussion = forms.CharField(label="What was said", widget=forms.Textarea(attrs={"rows": 6}))
    agreed = forms.CharField(
        label="What was agreed, with timescales",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    internal = forms.BooleanField(
        label="Only my agency can see this note",
        required=False,
        help_text="The other agency will not see it; the partnership will.",
    )


class EscalateForm(VersionedForm):
    required_messages = ESCALATION_MESSAGES

    reason = forms.CharField(
        label="Why are you escalating?", widget=forms.Textarea(attrs={"rows": 4})
    )
    raising_position = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))
    receiving_position = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))
    raising_holder = HolderChoiceField(
        queryset=User.objects.none(), required=False, empty_label="Choose who holds it"
    )
    receiving_holder = HolderChoiceField(
        queryset=User.objects.none(), required=False, empty_label="Choose who holds it"
    )
    partnership_holder = PersonChoiceField(
        queryset=User.objects.none(), required=False, empty_label="Choose an officer"
    )

    def __init__(self, *args: Any, concern: Concern, target: Stage | None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        raising, receiving = concern.raising_agency, concern.receiving_agency
        self.fields["raising_position"].label = f"The position of {raising}"
        self.fields["receiving_position"].label = f"The position of {receiving}"
        self.fields["raising_position"].error_messages["required"] = position_message(raising)
        self.fields["receiving_position"].error_messages["required"] = position_message(receiving)
        self.fields["raising_holder"].label = f"Who now holds it in {raising}"
        self.fields["receiving_holder"].label = f"Who now holds it in {receiving}"
        self.fields["partnership_holder"].label = "Who now holds it in the partnership"
        self._limit_holders(concern, target)

    def _limit_holders(self, concern: Concern, target: Stage | None) -> None:
        holder = target.holder if target else None
        if holder == Holder.MANAGERS and target is not None:
            for side in ("raising", "receiving"):
                field = self.fields[f"{side}_holder"]
                agency_id = getattr(concern, f"{side}_agency_id")
                field.queryset = holder_candidates(agency_id, target)  # type: ignore[attr-defined]
        else:
            del self.fields["raising_holder"], self.fields["receiving_holder"]
        if holder == Holder.PARTNERSHIP:
            self.fields["partnership_holder"].queryset = (  # type: ignore[attr-defined]
                User.objects.filter(role=Role.PARTNERSHIP_OFFICER, is_active=True)
            )
        else:
            del self.fields["partnership_holder"]


class UrgentEscalateForm(EscalateForm):
    urgency = forms.CharField(
        label="Why can this not wait?", widget=forms.Textarea(attrs={"rows": 3})
    )
    within_24_hours = forms.BooleanField(
        label="A response is needed within 24 hours", required=False
    )


class ActionRowForm(GovukFormMixin, forms.Form):
    owner_agency = forms.ModelChoiceField(
        label="Agency responsible",
        queryset=Agency.objects.none(),
        required=False,
        empty_label="Choose an agency",
    )
    owner = PersonChoiceField(
        label="Named person (optional)",
        queryset=User.objects.none(),
        required=False,
        empty_label="Nobody named",
    )
    description = forms.CharField(label="Action", required=False, max_length=500)
    due_date = forms.DateField(label="Due by", required=False, widget=DateInput())

    def __init__(self, *args: Any, concern: Concern, **kwargs: Any):
        super().__init__(*args, **kwargs)
        parties = [concern.raising_agency_id, concern.receiving_agency_id]
        self.fields["owner_agency"].queryset = Agency.objects.filter(  # type: ignore[attr-defined]
            pk__in=parties
        )
        self.fields["owner"].queryset = User.objects.filter(  # type: ignore[attr-defined]
            agency_id__in=parties, is_active=True
        ).select_related("agency")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        filled = [data.get(k) for k in ("owner_agency", "description", "due_date")]
        if self.has_error("due_date"):
            return data  # a date given but refused: that error says what to do
        if (any(filled) or data.get("owner")) and not all(filled):
            raise forms.ValidationError("Give each action an agency, a description and a date.")
        return data

    def clean_due_date(self) -> dt.date | None:
        """Checked here too, so a past date is marked on its own field at the first try."""
        due: dt.date | None = self.cleaned_data.get("due_date")
        today = timezone.localdate()
        if due is not None and due < today:
            raise forms.ValidationError("The due date must be today or in the future.")
        if due is not None and due > today + LONGEST_ACTION:
            raise forms.ValidationError("The due date must be within a year.")
        return due


ActionFormSet = forms.formset_factory(ActionRowForm, extra=3, max_num=MAX_ACTIONS)


class ProposeForm(VersionedForm):
    required_messages = {k: PROPOSAL_MESSAGES[k] for k in ("outcome_statement", "decision")}

    outcome_statement = forms.CharField(
        label="Outcome statement",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="What you propose was agreed or decided. The other side accepts or disputes "
        "it; once agreed, each agency files it on its record.",
    )
    decision = forms.ChoiceField(
        label="The original decision was", choices=Decision.choices, widget=forms.RadioSelect
    )


class DisputeForm(VersionedForm):
    reason = forms.CharField(
        label="Why do you dispute this outcome?", widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args: Any, raiser_only: bool = False, **kwargs: Any):
        super().__init__(*args, **kwargs)
        key = "not_accepted_reason" if raiser_only else "dispute_reason"
        self.fields["reason"].error_messages["required"] = PROPOSAL_MESSAGES[key]
        if raiser_only:
            self.fields["reason"].label = "Why do you not accept this outcome?"


class ActionUpdateForm(VersionedForm):
    required_messages = {"status": ACTION_MESSAGES["status"]}

    status = forms.ChoiceField(
        label="Was this action done?",
        choices=[(ActionStatus.DONE, "Done"), (ActionStatus.NOT_DONE, "Not done")],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label="If not done: why not, and what happens instead",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class ReopenForm(VersionedForm):
    required_messages = REOPEN_MESSAGES

    new_information = forms.CharField(
        label="What new information means it must be reopened?",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="It goes back to the stage it was resolved at, with a new deadline. Its "
        "outcome is set aside until a new one is agreed; its agreed actions stand.",
    )


class HandOverForm(VersionedForm):
    required_messages = REASSIGN_MESSAGES

    role = forms.ChoiceField(
        label="Which part are you handing over?", choices=(), widget=forms.RadioSelect
    )
    to_person = HolderChoiceField(
        label="Who takes it over?",
        queryset=User.objects.none(),
        empty_label="Choose a person",
        help_text="Someone in the same agency; for a holder, senior enough for the stage.",
    )
    reason = forms.CharField(
        label="Why is it handed over?",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example: leaving the team, long-term absence, a change of caseload.",
    )

    def __init__(self, *args: Any, concern: Concern, user: User, **kwargs: Any):
        super().__init__(*args, **kwargs)
        roles = [
            (HandoverRole.RESPONDER, concern.receiving_practitioner, concern.receiving_agency_id),
            (HandoverRole.RAISING_HOLDER, concern.raising_holder, concern.raising_agency_id),
            (HandoverRole.RECEIVING_HOLDER, concern.receiving_holder, concern.receiving_agency_id),
        ]
        choices = []
        me = {p.pk for p in access.identities(user)}  # themselves, or whoever they cover
        for role, person, agency_id in roles:
            mine = person is not None and person.pk in me
            lead = user.is_safeguarding_lead and user.agency_id == agency_id
            if mine or (lead and (person is not None or role == HandoverRole.RESPONDER)):
                name = person.full_name if person else "nobody named"
                choices.append((role, f"{HandoverRole(role).label}: now {name}"))
        self.fields["role"].choices = choices  # type: ignore[attr-defined]
        agencies = [concern.raising_agency_id, concern.receiving_agency_id]
        self.fields["to_person"].queryset = User.objects.filter(  # type: ignore[attr-defined]
            agency_id__in=agencies, is_active=True
        ).select_related("agency")


class WithdrawForm(VersionedForm):
    required_messages = WITHDRAWAL_MESSAGES

    reason = forms.CharField(
        label="Why are you withdrawing this concern?", widget=forms.Textarea(attrs={"rows": 4})
    )
    agreed_by = PersonChoiceField(
        label="The manager in your agency who agreed",
        queryset=User.objects.none(),
        required=False,
        empty_label="Choose a manager",
        help_text="Needed from stage 2 onwards.",
    )

    def __init__(self, *args: Any, concern: Concern, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if (concern.stage_number or 0) < 2:
            del self.fields["agreed_by"]  # at stage 1 the raiser withdraws on their own
            return
        self.fields["agreed_by"].queryset = managers_in(  # type: ignore[attr-defined]
            concern.raising_agency_id
        )
        self.fields["agreed_by"].required = True
        self.fields["agreed_by"].help_text = ""
        self.fields["agreed_by"].error_messages["required"] = (
            f"From stage 2 a manager in {concern.raising_agency} must agree: choose who."
        )


class PauseForm(VersionedForm):
    required_messages = {
        "reason": PAUSE_MESSAGES["reason"],
        "resume_expected": PAUSE_MESSAGES["resume_expected"],
    }

    reason = forms.ChoiceField(
        label="What is the concern waiting for?",
        choices=PauseReason.choices,
        widget=forms.RadioSelect,
    )
    detail = forms.CharField(
        label="If another reason: what it is waiting for",
        required=False,
        max_length=300,
    )
    resume_expected = forms.DateField(
        label="When do you expect to resume it?",
        help_text="A reminder comes that morning. The deadline moves by the working days paused.",
        widget=DateInput(),
    )


class CoverForm(GovukFormMixin, forms.Form):
    required_messages = {k: COVER_MESSAGES[k] for k in ("cover", "starts", "ends")}

    person = PersonChoiceField(
        label="Who is away?",
        queryset=User.objects.none(),
        empty_label="Choose a person",
        help_text="As a safeguarding lead you can arrange cover for anyone in your agency.",
    )
    cover = HolderChoiceField(
        label="Who covers?", queryset=User.objects.none(), empty_label="Choose a person"
    )
    starts = forms.DateField(label="First day of cover", widget=DateInput())
    ends = forms.DateField(label="Last day of cover", widget=DateInput())

    def __init__(self, *args: Any, user: User, **kwargs: Any):
        super().__init__(*args, **kwargs)
        colleagues = User.objects.filter(agency_id=user.agency_id or 0, is_active=True)
        others = colleagues if user.is_safeguarding_lead else colleagues.exclude(pk=user.pk)
        self.fields["cover"].queryset = others  # type: ignore[attr-defined]
        if user.is_safeguarding_lead:
            self.fields["person"].queryset = User.objects.filter(  # type: ignore[attr-defined]
                agency_id=user.agency_id or 0
            )
            self.fields["person"].initial = user.pk
        else:
            del self.fields["person"]


# The case systems agencies in a partnership keep children's records in (the admin can add
# others later; "Another system" takes any name).
CASE_SYSTEMS = [
    ("Mosaic", "Mosaic"),
    ("Liquidlogic", "Liquidlogic (LCS or EHM)"),
    ("SystmOne", "SystmOne"),
    ("EMIS Web", "EMIS Web"),
    ("Rio", "Rio"),
    ("CPOMS", "CPOMS"),
    ("MyConcern", "MyConcern"),
    ("Niche", "Niche"),
    ("other", "Another system"),
]


class ConfirmForm(VersionedForm):
    """Where the outcome was filed on the agency's own record of the child."""

    required_messages = {
        "system": "Choose the system the outcome is recorded in",
        "record_reference": "Enter the record's reference in that system",
    }

    system = forms.ChoiceField(
        label="Which system is it recorded in?", choices=[("", "Choose a system"), *CASE_SYSTEMS]
    )
    other_system = forms.CharField(label="If another system, which?", required=False, max_length=60)
    record_reference = forms.CharField(
        label="The record's reference in that system",
        max_length=60,
        help_text="The child's ID or case number there, so the record can be found again.",
    )

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        if data.get("system") == "other":
            if not (data.get("other_system") or "").strip():
                self.add_error("other_system", "Enter the name of the system")
            else:
                data["system"] = data["other_system"].strip()
        return data
