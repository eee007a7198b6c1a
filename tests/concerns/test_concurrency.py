"""Two people acting on one concern at the same moment, on PostgreSQL's real row locks.

The responder has proposed an outcome; then the responder escalates while the raiser accepts the
outcome (which resolves the concern), each in their own thread with their own database
connection, released together by a barrier. Whatever the timing, the concern must end in
exactly one of the two outcomes, with exactly one new event, and the loser must be told in plain
words why nothing they entered was saved.

These tests commit for real (transaction=True), so they restore the migration-seeded stages
first (serialized_rollback=True): the flush after any transactional test empties every table.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.db import connection

from concerns import services
from concerns.chain import verify_all
from concerns.errors import ActionRefused, ConcernChanged, DomainError
from concerns.models import AgreedAction, CaseEvent, Concern, StagePeriod
from tests import scenarios
from tests.concerns import helpers
from tests.conftest import london
from tests.scenarios import Cast

ROUNDS = 50
START = london(2026, 11, 2, 9, 30)
# Both people press their button two days after submission, inside stage 1's clock.
RACE_AT = START + dt.timedelta(days=3)
THREAD_TIMEOUT = 30.0

racing = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@dataclass
class Attempt:
    """What one person saw and what happened when they acted."""

    seen_version: int | None = None
    error: BaseException | None = None
    done: bool = False

    @property
    def won(self) -> bool:
        return self.done and self.error is None


def escalate(cast: Cast, concern: Concern, seen: int | None) -> None:
    services.concern_escalate(
        concern_id=concern.pk,
        actor=cast.responder,
        data=scenarios.escalation(cast),
        seen_version=seen,
        now=RACE_AT,
    )


def resolve(cast: Cast, concern: Concern, seen: int | None) -> None:
    services.concern_accept(
        concern_id=concern.pk, actor=cast.raiser, seen_version=seen, now=RACE_AT
    )


def proposed(cast: Cast) -> Concern:
    """A concern at stage 1 whose outcome the responder proposed: the raiser's answer awaits."""
    concern = scenarios.advance(cast, "stage_1", START)
    services.concern_propose(
        concern_id=concern.pk,
        actor=cast.responder,
        data=helpers.resolution(concern, RACE_AT),
        now=RACE_AT,
    )
    concern.refresh_from_db()
    return concern


Act = Callable[[Cast, Concern, int | None], None]


def person(
    act: Act,
    cast: Cast,
    concern: Concern,
    attempt: Attempt,
    barrier: threading.Barrier,
    *,
    use_version: bool,
) -> None:
    """One person in their own thread: read the concern, wait for the other, act, disconnect."""
    try:
        version = Concern.objects.values_list("version", flat=True).get(pk=concern.pk)
        attempt.seen_version = version
        barrier.wait(timeout=THREAD_TIMEOUT)
        act(cast, concern, version if use_version else None)
    except Exception as error:
        attempt.error = error
    finally:
        attempt.done = True
        connection.close()


def race(cast: Cast, concern: Concern, *, use_version: bool) -> tuple[Attempt, Attempt]:
    """The escalation and the resolution, released at the same instant."""
    barrier = threading.Barrier(2)
    escalation, resolving = Attempt(), Attempt()
    threads = [
        threading.Thread(
            target=person,
            args=(act, cast, concern, attempt, barrier),
            kwargs={"use_version": use_version},
        )
        for act, attempt in ((escalate, escalation), (resolve, resolving))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(THREAD_TIMEOUT)
        assert not thread.is_alive(), "a racing thread hung: the row lock was never released"
    return escalation, resolving


def event_kinds(concern: Concern) -> list[tuple[int, str]]:
    return list(
        CaseEvent.objects.filter(concern=concern)
        .order_by("sequence")
        .values_list("sequence", "kind")
    )


def assert_only_the_winner_left_a_trace(concern: Concern, *, escalated: bool) -> None:
    """One new event after submission, the winner's; the loser's writes all rolled back."""
    winner = [(4, "concern.escalated")]
    if not escalated:
        winner = [(4, "outcome.accepted"), (5, "concern.resolved")]
    assert event_kinds(concern) == [
        (1, "concern.drafted"),
        (2, "concern.submitted"),
        (3, "outcome.proposed"),
        *winner,
    ]
    concern.refresh_from_db()
    assert concern.state == ("stage_2" if escalated else "resolved")
    assert StagePeriod.objects.filter(concern=concern).count() == (2 if escalated else 1)
    assert AgreedAction.objects.filter(concern=concern).count() == (0 if escalated else 1)
    assert list(verify_all([concern.pk])) == []


def the_winner(escalation: Attempt, resolving: Attempt) -> tuple[bool, BaseException | None]:
    """(whether the escalation won, the loser's error); fails unless exactly one won."""
    assert escalation.done and resolving.done
    for attempt in (escalation, resolving):
        if attempt.error is not None and not isinstance(attempt.error, DomainError):
            raise attempt.error  # a crash, not a refusal: show it as it happened
    assert [escalation.won, resolving.won].count(True) == 1, (escalation, resolving)
    loser = resolving if escalation.won else escalation
    return escalation.won, loser.error


@racing
def test_when_both_act_on_the_version_they_saw_one_wins_and_the_other_is_told_it_changed(
    postgres: None, cast: Cast
) -> None:
    for _ in range(ROUNDS):
        concern = proposed(cast)
        submitted_version = concern.version
        escalation, resolving = race(cast, concern, use_version=True)

        assert escalation.seen_version == resolving.seen_version == submitted_version
        escalated, error = the_winner(escalation, resolving)
        assert isinstance(error, ConcernChanged)
        assert "This concern changed since you opened it" in str(error)
        assert concern.reference in str(error)
        assert_only_the_winner_left_a_trace(concern, escalated=escalated)
        # The escalation saves once; the acceptance saves twice (accepted, then resolved).
        assert concern.version == submitted_version + (1 if escalated else 2)

    assert list(verify_all()) == []


@racing
def test_when_neither_says_what_they_saw_the_loser_is_refused_by_the_state_the_winner_left(
    postgres: None, cast: Cast
) -> None:
    for _ in range(ROUNDS):
        concern = proposed(cast)
        escalation, resolving = race(cast, concern, use_version=False)

        escalated, error = the_winner(escalation, resolving)
        # Neither move is open to the loser afterwards: the escalation set the proposal aside,
        # and nobody escalates a resolved concern. So the loser is refused, never waved through.
        assert isinstance(error, ActionRefused)
        if escalated:
            assert str(error).startswith("This concern is at stage 2 (")
            assert "no outcome is awaiting an answer" in str(error)
        else:
            assert str(error).startswith("This concern is resolved; ")
            assert "nobody can escalate it now" in str(error)
        assert_only_the_winner_left_a_trace(concern, escalated=escalated)

    assert list(verify_all()) == []


@racing
def test_twenty_parallel_posts_of_one_raise_form_raise_one_concern(
    postgres: None, cast: Cast
) -> None:
    """Issue 10, item 4: the same form (one token) sent twenty times at once, as a person
    double-clicking across tabs might: the database's unique claim lets one through and every
    other post gets that concern back."""
    posts = 20
    barrier = threading.Barrier(posts)
    results: list[int | BaseException] = []

    def post() -> None:
        try:
            barrier.wait(timeout=THREAD_TIMEOUT)
            concern = services.concern_raise(
                actor=cast.raiser,
                draft=helpers.draft_data(cast, child_voice="He says he is scared at home."),
                submission=helpers.submission(cast, RACE_AT),
                now=RACE_AT,
                submission_key="one-form-token",
            )
            results.append(concern.pk)
        except BaseException as error:
            results.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=post) for _ in range(posts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(THREAD_TIMEOUT)
    errors = [r for r in results if isinstance(r, BaseException)]
    assert errors == []
    assert len(set(results)) == 1
    assert Concern.objects.filter(raised_by=cast.raiser).count() == 1
    concern = Concern.objects.get(raised_by=cast.raiser)
    assert concern.state == "stage_1"
    assert event_kinds(concern) == [(1, "concern.drafted"), (2, "concern.submitted")]
