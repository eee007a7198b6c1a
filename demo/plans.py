"""The demo's forty concerns: where each ends up, and how fast it got there.

A plan says the final state and the highest stage reached, how many working days passed
between steps (`pace`) and since the last one (`idle`). A concern left idle longer than its
stage's clock is overdue today, as it would be in real use.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Plan:
    story: str
    initials: str
    target: str
    stage: int = 1  # the highest stage reached
    pace: int = 2  # working days between steps
    idle: int = 1  # working days since the last step (at least 1: never today or later)
    pair: int = 0  # which of each agency's two people take part
    urgent: bool = False  # from stage 1 straight to the urgent route's stage
    by_window: bool = False  # closed by the partnership once the confirmation window ran out
    accepts: bool = True
    rating: str = "green"
    paused: bool = False  # left paused, waiting for a strategy discussion
    disputed: bool = False  # an outcome proposed at stage 1 and disputed before escalating
    deemed: bool = False  # resolved by silence: nobody answered the proposed outcome in time
    proposed: bool = False  # left with a proposed outcome awaiting answers
    reopened: bool = False  # closed, then reopened with new information (back at its stage)
    follow_on: bool = False  # audited, then a follow-on concern raised from it (left a draft)
    contact: bool = False  # the other practitioner has no account: a named contact instead
    handed_over: bool = False  # at stage 2 the receiving holder hands it to a colleague


def plan(story: str, initials: str, target: str, **kw: object) -> Plan:
    if target.startswith("stage_"):
        kw.setdefault("stage", int(target.removeprefix("stage_")))
    return Plan(story, initials, target, **kw)  # type: ignore[arg-type]


PLANS: tuple[Plan, ...] = (
    plan("threshold_neglect", "LM", "draft", stage=0, idle=1),
    plan("gp_information", "AR", "draft", stage=0, idle=3, pair=1),
    plan("pre_birth_lead", "KT", "draft", stage=0, idle=2),
    plan("school_nursing_capacity", "JW", "draft", stage=0, idle=6),
    plan("encompass_notification", "JB", "stage_1", idle=1),
    plan("was_not_brought", "KD", "stage_1", idle=2, pair=1),
    plan("early_help_step_down", "NF", "stage_1", idle=7),
    plan("neurology_not_brought", "EH", "stage_1", idle=3, contact=True),
    plan("family_support_closed", "BO", "stage_1", idle=9, pair=1),
    plan("bereavement_missing", "SC", "stage_1", idle=4),
    plan("threshold_neglect", "RP", "stage_2", pace=3, idle=2, pair=1, handed_over=True),
    plan("infant_bruise", "MA", "stage_2", pace=1, idle=8, paused=True),
    plan("cin_plan_drift", "TY", "stage_2", pace=6, idle=3),
    plan("strategy_attendance", "DG", "stage_2", pace=2, idle=11, pair=1),
    plan("pre_birth_domestic_abuse", "ZS", "stage_2", pace=2, idle=1, proposed=True),
    plan("infant_bruise", "HW", "stage_3", urgent=True, pace=1, idle=2),
    plan("bereavement_missing", "CL", "stage_3", pace=4, idle=8, pair=1, disputed=True),
    plan("was_not_brought", "FB", "stage_3", pace=3, idle=3),
    plan("encompass_notification", "OK", "stage_3", pace=2, idle=1, pair=1),
    plan("cin_plan_drift", "RM", "stage_4", pace=5, idle=4),
    plan("early_help_step_down", "IS", "stage_4", pace=6, idle=17, pair=1),
    plan("pre_birth_domestic_abuse", "AJ", "stage_4", urgent=True, pace=2, idle=6),
    plan("gp_information", "LT", "resolved", stage=1, pace=2, idle=1),
    plan("school_nursing_capacity", "PN", "resolved", stage=2, pace=3, idle=7, pair=1),
    plan("neurology_not_brought", "GE", "resolved", stage=3, pace=2, idle=2, deemed=True),
    plan("strategy_attendance", "WH", "resolved", stage=2, pace=2, idle=3, accepts=False),
    plan("threshold_neglect", "CB", "closed", stage=2, pace=3, idle=5),
    plan("family_support_closed", "YD", "stage_1", pace=2, idle=2, pair=1, reopened=True),
    plan("encompass_notification", "MK", "closed", stage=1, pace=2, idle=12),
    plan("infant_bruise", "EP", "closed", stage=2, pace=1, idle=15, pair=1),
    plan("pre_birth_lead", "SW", "closed", stage=3, pace=2, idle=10, by_window=True),
    plan("bereavement_missing", "TA", "closed", stage=4, pace=3, idle=4),
    plan("was_not_brought", "RH", "audited", stage=2, pace=3, idle=3, rating="amber"),
    plan("gp_information", "NB", "audited", stage=1, pace=2, idle=6, pair=1),
    plan("cin_plan_drift", "KL", "audited", stage=3, pace=4, idle=2, rating="red"),
    plan("strategy_attendance", "AO", "audited", stage=1, pace=2, idle=9, follow_on=True),
    plan("neurology_not_brought", "DM", "audited", stage=4, pace=3, idle=5, rating="amber"),
    plan("school_nursing_capacity", "HC", "withdrawn", stage=1, pace=2, idle=4),
    plan("early_help_step_down", "BT", "withdrawn", stage=2, pace=3, idle=6, pair=1),
    plan("family_support_closed", "OE", "withdrawn", stage=1, pace=2, idle=13),
)

FINDINGS = {
    "green": "Process followed; timescales met; the child's voice recorded and both agencies "
    "filed the outcome.",
    "amber": "Resolved appropriately, but a stage ran over its timescale and the lead "
    "professional was told late.",
    "red": "Escalation stalled for weeks with no written record of the first discussion; "
    "taken to the audit group as learning.",
}
