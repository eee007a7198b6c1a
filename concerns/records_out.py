"""Documents that leave the service for an agency's own file: the one-page outcome record
(to file on the child's record in Mosaic, SystmOne, EMIS, CPOMS...) and the single-case
chronology (for a strategy meeting or court). Both as the person may see the concern; the
chronology never includes agency-internal notes, whoever asks. Each is marked
OFFICIAL-SENSITIVE, and each download is written on the concern's chain (views).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.template.loader import render_to_string
from django.utils import timezone

from concerns import presentation
from concerns.models import Concern, State
from concerns.models.concern import Decision
from concerns.presentation import ChronologyEntry
from concerns.process import Stages

MARKING = "OFFICIAL-SENSITIVE"
NONE = "not recorded"
HAS_OUTCOME = (State.RESOLVED, State.CLOSED, State.AUDITED)


@dataclass(frozen=True)
class Line:
    label: str
    value: str


@dataclass
class OutcomeRecord:
    concern: Concern
    facts: list[Line] = field(default_factory=list)
    positions: list[Line] = field(default_factory=list)
    actions: list[Line] = field(default_factory=list)

    @property
    def text(self) -> str:
        """The record as plain text, to paste into a case system's note."""
        lines = [MARKING, f"Concerns resolution: outcome record {self.concern.reference}", ""]
        lines += [f"{line.label}: {line.value}" for line in self.facts]
        if self.positions:
            lines += ["", "Positions"]
            lines += [f"- {line.label}: {line.value}" for line in self.positions]
        lines += ["", "Agreed actions"]
        lines += [f"- {line.label}: {line.value}" for line in self.actions] or ["- None"]
        lines += ["", MARKING]
        return "\n".join(lines) + "\n"


def day(moment: dt.datetime | dt.date | None) -> str:
    if moment is None:
        return NONE
    if isinstance(moment, dt.datetime):
        moment = timezone.localtime(moment).date()
    return f"{moment:%-d %B %Y}"


def outcome_record(concern: Concern) -> OutcomeRecord:
    child = concern.child_initials
    if concern.child_date_of_birth:
        born = "expected" if concern.child_unborn else "born"
        child += f", {born} {day(concern.child_date_of_birth)}"
    highest = concern.stage_periods.order_by("-number").values_list("number", flat=True).first()
    facts = [
        Line("Reference", concern.reference),
        Line("Child", child),
        Line(
            "Raised by",
            f"{concern.raising_agency.name}, case number "
            f"{concern.raising_agency_case_number or 'not given'}",
        ),
        Line(
            "With",
            f"{concern.receiving_agency.name}, case number "
            f"{concern.receiving_agency_case_number or 'not given'}",
        ),
        Line("About", concern.get_category_display()),
        Line("Raised", day(concern.submitted_at)),
        Line("Highest stage reached", f"stage {highest}" if highest else NONE),
        Line("Decision", Decision(concern.decision).label if concern.decision else NONE),
        Line("Outcome", concern.outcome_statement or NONE),
        Line("Agreed", concern.get_agreement_display() or NONE),
        Line("Resolved", day(concern.resolved_at)),
        Line("Closed", day(concern.closed_at)),
    ]
    record = OutcomeRecord(concern=concern, facts=facts)
    for event in concern.events.filter(kind="concern.escalated").order_by("sequence"):
        stage = event.to_state.replace("stage_", "stage ")
        for side, name in (
            ("raising_position", concern.raising_agency.name),
            ("receiving_position", concern.receiving_agency.name),
        ):
            if event.payload.get(side):
                record.positions.append(Line(f"{name}, at {stage}", event.payload[side]))
    for action in concern.actions.select_related("owner_agency").order_by("due_date", "pk"):
        status = action.get_status_display()
        record.actions.append(
            Line(
                f"{action.owner_agency.name}, by {day(action.due_date)} ({status})",
                action.description,
            )
        )
    return record


def chronology(concern: Concern) -> list[ChronologyEntry]:
    """What happened, oldest first: transitions, and shared discussions (never an agency's
    internal notes, nor that one was written), as the concern page words them."""
    stages = Stages.load()
    events = [
        event
        for event in concern.events.select_related("actor", "actor__agency").order_by("sequence")
        if not event.kind.startswith("record.") and event.kind != "note.recorded"
    ]
    notes = list(concern.notes.filter(internal=False).select_related("author", "author__agency"))
    return list(reversed(presentation.chronology(events, notes, stages)))


def pdf(template: str, context: dict[str, object]) -> bytes:
    """A PDF from an HTML template (WeasyPrint). Raises OSError where Pango is missing."""
    from weasyprint import HTML

    html = render_to_string(template, {**context, "marking": MARKING})
    document: bytes = HTML(string=html).write_pdf()
    return document
