"""Bad input is refused field by field, in plain words, and leaves nothing behind.

Every case calls the real service with one thing wrong, checks the error names that field with
a message a practitioner can act on, and checks that no concern, note, event, history row or
version change was saved.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from concerns import services
from concerns.errors import InvalidInput
from concerns.models import Agency, Concern, DiscussionNote
from concerns.models.records import ContactMethod
from tests.concerns import helpers
from tests.concerns.helpers import ACT_AT, START, snapshot, totals
from tests.conftest import LONDON, Personas
from tests.scenarios import Cast, advance

Changes = Callable[[Personas], dict[str, Any]]


def refused_and_nothing_saved(concern: Concern | None, call: Callable[[], object]) -> InvalidInput:
    """Run `call`, expect InvalidInput, and check it saved nothing anywhere."""
    before = (snapshot(concern.pk) if concern else None, totals())
    with pytest.raises(InvalidInput) as invalid:
        call()
    assert (snapshot(concern.pk) if concern else None, totals()) == before
    return invalid.value


# --- Submitting a draft into stage 1.

SUBMIT_CASES: list[Any] = [
    pytest.param(
        lambda p: {"immediate_risk": None},
        "immediate_risk",
        "Say whether the child may be at risk of significant harm now.",
        id="no-immediate-risk-answer",
    ),
    pytest.param(
        lambda p: {"immediate_risk": True, "safeguarding_action": "  "},
        "safeguarding_action",
        "Say what safeguarding action was taken for the child.",
        id="at-risk-without-the-action-taken",
    ),
    pytest.param(
        lambda p: {"consulted_manager": None},
        "consulted_manager",
        "Choose the manager or safeguarding lead in Community Health Trust you consulted.",
        id="no-manager-consulted",
    ),
    pytest.param(
        lambda p: {"consulted_manager": p.social_care_manager},
        "consulted_manager",
        "Choose the manager or safeguarding lead in Community Health Trust you consulted.",
        id="manager-of-the-other-agency",
    ),
    pytest.param(
        lambda p: {"consulted_manager": p.health_colleague},
        "consulted_manager",
        "Choose the manager or safeguarding lead in Community Health Trust you consulted.",
        id="a-colleague-not-a-manager",
    ),
    pytest.param(
        lambda p: {"other_practitioner_contacted_at": None},
        "other_practitioner_contacted_at",
        "Enter when you contacted the other practitioner.",
        id="no-contact-date",
    ),
    pytest.param(
        lambda p: {"other_practitioner_contacted_at": ACT_AT + dt.timedelta(minutes=1)},
        "other_practitioner_contacted_at",
        "The contact date must not be in the future.",
        id="contact-in-the-future",
    ),
    pytest.param(
        lambda p: {"lead_professional_told": ""},
        "lead_professional_told",
        "Say whether the lead professional, IRO or chair was told in writing.",
        id="lead-professional-not-answered",
    ),
]


@pytest.mark.parametrize(("changes", "field", "message"), SUBMIT_CASES)
def test_it_refuses_a_submission_with_missing_or_wrong_answers(
    people: Personas, cast: Cast, changes: Changes, field: str, message: str
) -> None:
    concern = advance(cast, "draft", START)
    data = helpers.submission(cast, ACT_AT, **changes(people))
    error = refused_and_nothing_saved(
        concern,
        lambda: services.concern_submit(
            concern_id=concern.pk, actor=cast.raiser, data=data, now=ACT_AT
        ),
    )
    assert error.errors == {field: message}


# --- Escalating.

HEALTH_HOLDER = (
    "Choose the manager or safeguarding lead in Community Health Trust who now holds it at stage 2."
)
ESCALATION_CASES: list[Any] = [
    pytest.param(
        "stage_1",
        lambda p: {"reason": ""},
        {"reason": "Enter the reason for escalating."},
        id="no-reason",
    ),
    pytest.param(
        "stage_1",
        lambda p: {"reason": " \n\t "},
        {"reason": "Enter the reason for escalating."},
        id="blank-reason",
    ),
    pytest.param(
        "stage_1",
        lambda p: {"receiving_position": ""},
        {"receiving_position": "Enter the position of Children's Social Work Service."},
        id="no-receiving-position",
    ),
    pytest.param(
        "stage_1",
        lambda p: {"raising_holder": None, "receiving_holder": None},
        {
            "raising_holder": HEALTH_HOLDER,
            "receiving_holder": (
                "Choose the manager or safeguarding lead in Children's Social Work Service who now "
                "holds it at stage 2."
            ),
        },
        id="no-holders",
    ),
    pytest.param(
        "stage_1",
        lambda p: {"receiving_holder": p.social_worker},
        {
            "receiving_holder": (
                "Choose the manager or safeguarding lead in Children's Social Work Service who now "
                "holds it at stage 2."
            )
        },
        id="holder-not-a-manager",
    ),
    pytest.param(
        "stage_1",
        lambda p: {"raising_holder": p.social_care_senior},
        {"raising_holder": HEALTH_HOLDER},
        id="holder-in-the-wrong-agency",
    ),
    pytest.param(
        "stage_2",
        lambda p: {"raising_holder": p.health_manager, "receiving_holder": p.social_care_senior},
        {
            "raising_holder": (
                "Choose the senior manager or head of service in Community Health Trust who now "
                "holds it at stage 3."
            )
        },
        id="stage-3-named-to-a-first-line-manager",
    ),
    pytest.param(
        "stage_3",
        lambda p: {"partnership_holder": None},
        {"partnership_holder": "Choose the partnership officer who now holds it."},
        id="stage-4-without-partnership-holder",
    ),
    pytest.param(
        "stage_3",
        lambda p: {"partnership_holder": p.partnership_auditor},
        {"partnership_holder": "Choose the partnership officer who now holds it."},
        id="stage-4-held-by-an-auditor",
    ),
]


@pytest.mark.parametrize(("state", "changes", "errors"), ESCALATION_CASES)
def test_it_refuses_an_escalation_without_its_reason_positions_or_holders(
    people: Personas, cast: Cast, state: str, changes: Changes, errors: dict[str, str]
) -> None:
    concern = advance(cast, state, START)
    actor = cast.raiser if state == "stage_1" else concern.receiving_holder
    data = helpers.escalation_data(cast, **changes(people))
    error = refused_and_nothing_saved(
        concern,
        lambda: services.concern_escalate(
            concern_id=concern.pk, actor=actor, data=data, now=ACT_AT
        ),
    )
    assert error.errors == errors


def test_it_refuses_an_urgent_escalation_without_saying_why_it_cannot_wait(
    cast: Cast,
) -> None:
    concern = advance(cast, "stage_2", START)
    data = helpers.urgent_escalation(cast, urgency="")
    error = refused_and_nothing_saved(
        concern,
        lambda: services.concern_escalate_urgently(
            concern_id=concern.pk, actor=cast.receiving_manager, data=data, now=ACT_AT
        ),
    )
    assert error.errors == {"urgency": "Say why this cannot wait."}


# --- Resolving.


def past_action(concern: Concern) -> list[services.ActionData]:
    yesterday = ACT_AT.date() - dt.timedelta(days=1)
    return [services.ActionData(concern.receiving_agency, "Arrange a joint visit.", yesterday)]


def blank_action(concern: Concern) -> list[services.ActionData]:
    return [services.ActionData(concern.receiving_agency, "  ", ACT_AT.date())]


def far_action(concern: Concern) -> list[services.ActionData]:
    later = ACT_AT.date() + dt.timedelta(days=367)
    return [services.ActionData(concern.receiving_agency, "Review the plan.", later)]


def outsider_action(concern: Concern) -> list[services.ActionData]:
    other = Agency.objects.exclude(
        pk__in=[concern.raising_agency_id, concern.receiving_agency_id]
    ).first()
    assert other is not None
    return [services.ActionData(other, "Share the school's records.", ACT_AT.date())]


def wrong_owner_action(concern: Concern) -> list[services.ActionData]:
    return [
        services.ActionData(
            concern.receiving_agency, "Arrange a joint visit.", ACT_AT.date(), concern.raised_by
        )
    ]


def eleven_actions(concern: Concern) -> list[services.ActionData]:
    return [
        services.ActionData(concern.receiving_agency, f"Action {n}.", ACT_AT.date())
        for n in range(11)
    ]


RESOLUTION_CASES: list[Any] = [
    pytest.param(
        lambda c: {"outcome_statement": ""},
        {"outcome_statement": "Enter the outcome statement."},
        id="no-outcome",
    ),
    pytest.param(
        lambda c: {"actions": []},
        {"actions": "Add at least one agreed action, with the agency that owns it."},
        id="no-actions",
    ),
    pytest.param(
        lambda c: {"actions": blank_action(c)},
        {"actions": "Describe each agreed action."},
        id="action-without-description",
    ),
    pytest.param(
        lambda c: {"actions": past_action(c)},
        {"actions": "An agreed action's due date must not be in the past."},
        id="action-due-in-the-past",
    ),
    pytest.param(
        lambda c: {"decision": "overturned"},
        {"decision": "Say whether the original decision was upheld, changed or partly changed."},
        id="unknown-decision",
    ),
    pytest.param(
        lambda c: {"actions": far_action(c)},
        {"actions": "An agreed action is due within a year."},
        id="action-due-after-a-year",
    ),
    pytest.param(
        lambda c: {"actions": outsider_action(c)},
        {"actions": "Each action belongs to one of the two agencies in this concern."},
        id="action-owned-by-an-agency-not-in-the-concern",
    ),
    pytest.param(
        lambda c: {"actions": wrong_owner_action(c)},
        {"actions": "A named owner works in the agency that owns the action."},
        id="action-named-owner-in-another-agency",
    ),
    pytest.param(
        lambda c: {"actions": blank_action(c)[:0] + eleven_actions(c)},
        {"actions": "Agree at most 10 actions."},
        id="eleven-actions",
    ),
]


@pytest.mark.parametrize(("changes", "errors"), RESOLUTION_CASES)
def test_it_refuses_a_proposed_outcome_without_its_statement_or_with_bad_actions(
    cast: Cast, changes: Callable[[Concern], dict[str, Any]], errors: dict[str, str]
) -> None:
    concern = advance(cast, "stage_1", START)
    data = helpers.resolution(concern, ACT_AT, **changes(concern))
    error = refused_and_nothing_saved(
        concern,
        lambda: services.concern_propose(
            concern_id=concern.pk, actor=cast.raiser, data=data, now=ACT_AT
        ),
    )
    assert error.errors == errors


# --- The child's details in a draft.

TOMORROW = ACT_AT.date() + dt.timedelta(days=1)
FUTURE_BIRTH = "The date of birth must be today or in the past."
NOT_INITIALS = "Enter the child's initials: 1 to 4 letters, not a name."


def test_it_refuses_a_new_draft_with_a_date_of_birth_in_the_future(cast: Cast) -> None:
    data = helpers.draft_data(cast, child_date_of_birth=TOMORROW)
    error = refused_and_nothing_saved(
        None, lambda: services.concern_create_draft(actor=cast.raiser, data=data, now=ACT_AT)
    )
    assert error.errors == {"child_date_of_birth": FUTURE_BIRTH}


def test_it_accepts_a_child_born_today(cast: Cast) -> None:
    data = helpers.draft_data(cast, child_date_of_birth=ACT_AT.date())
    concern = services.concern_create_draft(actor=cast.raiser, data=data, now=ACT_AT)
    assert Concern.objects.get(pk=concern.pk).child_date_of_birth == ACT_AT.date()


def test_it_accepts_an_unborn_babys_expected_date_in_the_future(cast: Cast) -> None:
    data = helpers.draft_data(cast, child_date_of_birth=TOMORROW, child_unborn=True)
    concern = services.concern_create_draft(actor=cast.raiser, data=data, now=ACT_AT)
    assert Concern.objects.get(pk=concern.pk).child_unborn is True


def test_it_refuses_a_draft_edit_with_a_date_of_birth_in_the_future(cast: Cast) -> None:
    concern = advance(cast, "draft", START)
    data = helpers.draft_data(cast, child_date_of_birth=TOMORROW)
    error = refused_and_nothing_saved(
        concern,
        lambda: services.concern_update_draft(
            concern_id=concern.pk, actor=cast.raiser, data=data, now=ACT_AT
        ),
    )
    assert error.errors == {"child_date_of_birth": FUTURE_BIRTH}
    assert Concern.objects.get(pk=concern.pk).child_date_of_birth == dt.date(2019, 5, 4)


@pytest.mark.parametrize(
    "initials",
    [
        "Jane Smith",
        "Jonathan",
        "Mary-Jane",
        "J. Smith",
        "",
        pytest.param("Jane"),
        pytest.param("Tom"),
    ],
)
def test_it_refuses_child_initials_that_look_like_a_name(cast: Cast, initials: str) -> None:
    data = helpers.draft_data(cast, child_initials=initials)
    error = refused_and_nothing_saved(
        None, lambda: services.concern_create_draft(actor=cast.raiser, data=data, now=ACT_AT)
    )
    assert error.errors == {"child_initials": NOT_INITIALS}


# --- Discussion notes.

NOTE_CASES: list[Any] = [
    pytest.param(
        {"occurred_at": ACT_AT + dt.timedelta(minutes=1)},
        {"occurred_at": "The discussion date must not be in the future."},
        id="dated-in-the-future",
    ),
    pytest.param(
        {"with_whom": ""}, {"with_whom": "Say who the discussion was with."}, id="with-nobody"
    ),
    pytest.param(
        {"method": "carrier pigeon"},
        {"method": "Choose how the discussion took place."},
        id="unknown-method",
    ),
    pytest.param({"discussion": " "}, {"discussion": "Enter what was said."}, id="nothing-said"),
]


@pytest.mark.parametrize(("changes", "errors"), NOTE_CASES)
def test_it_refuses_a_discussion_note_with_missing_or_future_details(
    cast: Cast, changes: dict[str, Any], errors: dict[str, str]
) -> None:
    concern = advance(cast, "stage_1", START)
    data = helpers.note_data(ACT_AT, **changes)
    error = refused_and_nothing_saved(
        concern,
        lambda: services.note_create(
            concern_id=concern.pk, actor=cast.raiser, data=data, now=ACT_AT
        ),
    )
    assert error.errors == errors


def test_it_records_a_discussion_dated_this_very_moment(cast: Cast) -> None:
    concern = advance(cast, "stage_1", START)
    data = helpers.note_data(ACT_AT, occurred_at=ACT_AT)
    note = services.note_create(concern_id=concern.pk, actor=cast.raiser, data=data, now=ACT_AT)
    assert DiscussionNote.objects.get(pk=note.pk).occurred_at == ACT_AT


# --- Text the database cannot hold, and choices nobody offered: a field error, never a
# DataError (a 500) on PostgreSQL or a silent save on SQLite.


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        pytest.param({"summary": "Seen at home.\x00"}, "summary", id="nul-in-summary"),
        pytest.param(
            {"raising_agency_case_number": "X" * 41},
            "raising_agency_case_number",
            id="case-number-too-long",
        ),
        pytest.param({"category": "nonsense"}, "category", id="unknown-category"),
        pytest.param({"level_of_need": "nonsense"}, "level_of_need", id="unknown-need"),
        pytest.param({"other_procedure": "nonsense"}, "other_procedure", id="unknown-procedure"),
    ],
)
def test_it_refuses_draft_text_it_cannot_store_or_a_choice_it_does_not_offer(
    cast: Cast, changes: dict[str, Any], field: str
) -> None:
    data = helpers.draft_data(cast, **changes)
    error = refused_and_nothing_saved(
        None, lambda: services.concern_create_draft(actor=cast.raiser, data=data, now=ACT_AT)
    )
    assert set(error.errors) == {field}


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        pytest.param({"discussion": "We spoke.\x00"}, "discussion", id="nul-in-discussion"),
        pytest.param({"with_whom": "X" * 301}, "with_whom", id="with-whom-too-long"),
    ],
)
def test_it_refuses_note_text_it_cannot_store(
    cast: Cast, changes: dict[str, Any], field: str
) -> None:
    concern = advance(cast, "stage_1", START)
    data = helpers.note_data(ACT_AT, **changes)
    error = refused_and_nothing_saved(
        concern,
        lambda: services.note_create(
            concern_id=concern.pk, actor=cast.raiser, data=data, now=ACT_AT
        ),
    )
    assert set(error.errors) == {field}


# --- Fuzzing: whatever text and dates arrive, the answer is a saved record or InvalidInput.

FUZZ = settings(
    max_examples=40,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def texts(max_size: int) -> st.SearchStrategy[str]:
    """Any text, NUL included, up to a little past the column's length: the service must
    refuse what the column cannot hold with a field error."""
    return st.text(st.characters(codec="utf-8"), max_size=max_size + 5)


initials = st.one_of(st.from_regex(r"[A-Z]{1,4}", fullmatch=True), texts(8))
dates = st.one_of(st.none(), st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 1, 1)))
moments = st.datetimes(
    min_value=dt.datetime(2000, 1, 1), max_value=dt.datetime(2030, 1, 1), timezones=st.just(LONDON)
)


def instants(values: dict[str, Any]) -> dict[str, Any]:
    """Datetimes as the instant they name: a London time in the spring-forward gap does not
    compare equal to the same instant in UTC, though it is the same moment."""
    return {k: v.timestamp() if isinstance(v, dt.datetime) else v for k, v in values.items()}


@FUZZ
@given(
    child_initials=initials,
    child_date_of_birth=dates,
    child_unborn=st.booleans(),
    raising_agency_case_number=texts(40),
    receiving_agency_case_number=texts(40),
    summary=texts(300),
    outcome_sought=texts(300),
    child_voice=texts(300),
)
def test_any_draft_text_and_dates_are_saved_as_entered_or_refused_as_invalid_input(
    cast: Cast, **fields: Any
) -> None:
    data = helpers.draft_data(cast, **fields)
    before = totals()
    try:
        concern = services.concern_create_draft(actor=cast.raiser, data=data, now=ACT_AT)
    except InvalidInput:
        assert totals() == before
        return
    saved = Concern.objects.get(pk=concern.pk)
    assert {name: getattr(saved, name) for name in fields} == fields


@FUZZ
@given(
    occurred_at=moments,
    with_whom=texts(300),
    method=st.one_of(st.sampled_from(ContactMethod.values), texts(10)),
    discussion=texts(300),
    agreed=texts(300),
    internal=st.booleans(),
)
def test_any_note_text_and_dates_are_saved_as_entered_or_refused_as_invalid_input(
    cast: Cast, **fields: Any
) -> None:
    concern = Concern.objects.filter(raised_by=cast.raiser).first() or advance(
        cast, "stage_1", START
    )
    data = helpers.note_data(ACT_AT, **fields)
    before = (snapshot(concern.pk), totals())
    try:
        note = services.note_create(concern_id=concern.pk, actor=cast.raiser, data=data, now=ACT_AT)
    except InvalidInput:
        assert (snapshot(concern.pk), totals()) == before
        return
    saved = DiscussionNote.objects.get(pk=note.pk)
    assert instants({name: getattr(saved, name) for name in fields}) == instants(fields)
