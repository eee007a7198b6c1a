"""The sweep on a pinned clock: who is told what, when, once, and what the record shows."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from concerns.chain import verify_all
from concerns.models import CaseEvent, Concern
from notifications import planning, sending
from notifications.models import Delivery, Kind, Notification, Reminder, ReminderStatus
from tests import scenarios
from tests.conftest import london
from tests.notifications.conftest import reminders, submitted, sweep, told
from tests.scenarios import Story

pytestmark = pytest.mark.django_db

# Submitted on Monday 2 November 2026 at 10:00: stage 1 is due by Monday 9 November.
MONDAY = london(2026, 11, 2, 10, 0)


def test_a_submitted_concern_tells_the_named_responder_and_the_receiving_leads(
    cast, people, mailoutbox
):
    concern = submitted(cast, MONDAY)
    sweep(london(2026, 11, 2, 10, 0, 30))
    expected = {
        (Kind.SUBMITTED, concern.reference, p.email)
        for p in (people.social_worker, people.social_care_lead)
    }
    assert told() == expected
    assert sorted(m.to[0] for m in mailoutbox) == sorted(e for _, _, e in expected)
    assert Notification.objects.filter(in_app_at__isnull=False).count() == 2


def test_a_reminder_falling_due_at_18_00_goes_out_at_09_00_the_next_working_day(cast, people):
    concern = submitted(cast, london(2026, 11, 6, 18, 0))  # a Friday evening
    (notice,) = reminders(concern, kind=Kind.SUBMITTED)
    assert notice.due_at == london(2026, 11, 9, 9, 0)
    sweep(london(2026, 11, 6, 18, 0))
    sweep(london(2026, 11, 8, 12, 0))
    sweep(london(2026, 11, 9, 8, 59, 59))
    assert told() == set()
    sweep(london(2026, 11, 9, 9, 0))
    assert {email for _, _, email in told(Kind.SUBMITTED)} == {
        people.social_worker.email,
        people.social_care_lead.email,
    }


def test_a_reminder_left_unsent_overnight_waits_for_the_morning_rather_than_go_out_late(cast):
    """Due at 16:00, but no sweep ran until 20:00 (a worker outage): it goes out at 09:00."""
    concern = submitted(cast, london(2026, 11, 5, 16, 0))
    sweep(london(2026, 11, 5, 20, 0))
    assert reminders(concern, kind=Kind.SUBMITTED)[0].status == ReminderStatus.PENDING
    sweep(london(2026, 11, 6, 9, 0))
    assert reminders(concern, kind=Kind.SUBMITTED)[0].status == ReminderStatus.SENT


def test_the_holders_are_reminded_the_working_day_before_the_stage_is_due(cast, people):
    concern = submitted(cast, MONDAY)
    sweep(london(2026, 11, 2, 10, 1))
    sweep(london(2026, 11, 6, 8, 59))
    assert told(Kind.DUE_SOON) == set()
    sweep(london(2026, 11, 6, 9, 0))
    assert told(Kind.DUE_SOON) == {
        (Kind.DUE_SOON, concern.reference, people.health_visitor.email),
        (Kind.DUE_SOON, concern.reference, people.social_worker.email),
    }


def test_an_overdue_stage_prompts_the_raiser_and_holders_every_two_working_days(cast, people):
    concern = submitted(cast, MONDAY)
    sweep(london(2026, 11, 9, 17, 0))  # the due date itself: not overdue yet
    assert Notification.objects.filter(kind=Kind.OVERDUE).count() == 0
    sweep(london(2026, 11, 10, 9, 0))
    assert told(Kind.OVERDUE) == {
        (Kind.OVERDUE, concern.reference, people.health_visitor.email),
        (Kind.OVERDUE, concern.reference, people.social_worker.email),
    }
    sweep(london(2026, 11, 11, 9, 0))
    assert Notification.objects.filter(kind=Kind.OVERDUE).count() == 2
    sweep(london(2026, 11, 12, 9, 0))
    assert Notification.objects.filter(kind=Kind.OVERDUE).count() == 4
    # A prompt, never an action: the concern is still where it was.
    assert Concern.objects.get(pk=concern.pk).state == "stage_1"


def test_escalating_tells_the_new_holders_and_stops_the_old_stages_reminders(cast, people):
    concern = submitted(cast, MONDAY)
    sweep(london(2026, 11, 10, 9, 0))
    concern = scenarios.escalate(concern, cast, london(2026, 11, 10, 11, 0))
    old = reminders(concern, state="stage_1", status=ReminderStatus.PENDING)
    assert old == []
    sweep(london(2026, 11, 10, 11, 0, 30))
    assert told(Kind.ESCALATED) == {
        (Kind.ESCALATED, concern.reference, people.health_manager.email),
        (Kind.ESCALATED, concern.reference, people.social_care_manager.email),
    }
    sweep(london(2026, 11, 12, 9, 0))  # stage 1's next overdue prompt would have been now
    assert Notification.objects.filter(kind=Kind.OVERDUE).count() == 2


def test_resolution_asks_both_sides_then_reminds_only_the_agency_yet_to_confirm(cast, people):
    concern = scenarios.advance(cast, "resolved", MONDAY)  # resolved on Wednesday 4 November
    sweep(london(2026, 11, 4, 10, 1))
    # Resolved at stage 1, nobody named to hold it: the raising side's manager consulted at
    # submission, and the receiving agency's safeguarding lead.
    assert {email for _, _, email in told(Kind.RESOLVED)} == {
        people.health_visitor.email,
        people.health_manager.email,
        people.social_worker.email,
        people.social_care_lead.email,
    }
    scenarios.confirm(concern, cast.raiser, london(2026, 11, 5, 10))
    sweep(london(2026, 11, 10, 9, 0))  # the working day before the window closes
    assert {email for _, _, email in told(Kind.CONFIRM)} == {
        people.social_worker.email,
        people.social_care_lead.email,
    }


def test_closing_cancels_whatever_was_still_to_come_except_the_agreed_actions_reminders(cast):
    """Closing a concern does not end its agreed actions (issue 9): their due and overdue
    reminders stay; every reminder about the process itself is cancelled."""
    concern = scenarios.advance(cast, "closed", MONDAY)
    pending = reminders(concern, status=ReminderStatus.PENDING)
    assert sorted(r.kind for r in pending) == ["action_due", "action_overdue"]


def test_handling_the_same_event_twice_plans_each_reminder_once(cast):
    concern = submitted(cast, MONDAY)
    before = Reminder.objects.count()
    event = CaseEvent.objects.filter(concern=concern).order_by("-sequence").first()
    planning.on_concern_event(Concern.objects.get(pk=concern.pk), event)
    planning.on_concern_event(Concern.objects.get(pk=concern.pk), event)
    assert Reminder.objects.count() == before == 3


def test_sweeping_again_sends_nothing_twice(cast, mailoutbox):
    submitted(cast, MONDAY)
    for second in range(3):
        sweep(london(2026, 11, 2, 10, 5, second))
    assert len(mailoutbox) == 2
    assert Notification.objects.count() == 2


def test_each_sent_reminder_is_on_the_audit_chain_and_in_the_chronology(cast, client):
    concern = submitted(cast, MONDAY)
    version = Concern.objects.get(pk=concern.pk).version
    sweep(london(2026, 11, 2, 10, 1))
    sweep(london(2026, 11, 6, 9, 0))
    sent = CaseEvent.objects.filter(concern=concern, kind="reminder.sent")
    assert sent.count() == 2
    assert all(e.actor_id is None for e in sent)
    assert list(verify_all([concern.pk])) == []
    # A reminder is not a change to the concern: nobody's open form goes stale.
    assert Concern.objects.get(pk=concern.pk).version == version
    client.force_login(cast.raiser)
    page = client.get(reverse("concern-detail", args=[concern.pk])).content.decode()
    assert page.count("Reminder sent") == 2


def test_emails_say_who_must_act_the_reference_and_a_link_and_no_case_details(
    cast, people, mailoutbox
):
    story = Story(
        initials="QZX",
        summary="Summary-words-that-must-stay-in-the-system",
        outcome_sought="Outcome-words-that-must-stay-in-the-system",
        child_voice="Voice-words-that-must-stay-in-the-system",
    )
    concern = scenarios.submit(scenarios.draft(cast, MONDAY, story), cast, MONDAY)
    sweep(london(2026, 11, 2, 10, 1))
    message = next(m for m in mailoutbox if m.to == [people.social_worker.email])
    html = message.alternatives[0][0]
    assert message.subject == f"{concern.reference}: Concern raised with your agency"
    link = f"http://127.0.0.1:8000/concerns/{concern.pk}/"
    for body in (message.body, html):
        assert concern.reference in body
        assert "Social Work Service" in body  # the agency that needs to act
        assert link in body
        for secret in ("QZX", "must-stay-in-the-system", "2019"):
            assert secret not in body


def test_people_who_have_left_are_not_told(cast, people):
    people.social_care_lead.is_active = False
    people.social_care_lead.save()
    concern = submitted(cast, MONDAY)
    sweep(london(2026, 11, 2, 10, 1))
    assert told() == {(Kind.SUBMITTED, concern.reference, people.social_worker.email)}


# --- The morning digest.


def test_each_lead_of_an_agency_with_overdue_concerns_gets_one_digest_each_working_morning(
    cast, people
):
    concern = submitted(cast, MONDAY)
    morning = london(2026, 11, 10, 9, 0)
    planning.plan_digests(now=morning)
    planning.plan_digests(now=morning)  # beat fired twice
    sweep(morning)
    digests = Notification.objects.filter(kind=Kind.DIGEST).select_related("recipient")
    # Stage 1 has no named holders: only the two agencies' safeguarding leads.
    assert sorted(n.recipient.email for n in digests) == sorted(
        p.email for p in (people.health_lead, people.social_care_lead)
    )
    assert all(n.context["concerns"][0]["reference"] == concern.reference for n in digests)
    # Not about one concern: no event on any concern's chain.
    assert not CaseEvent.objects.filter(kind="reminder.sent", payload__reminder_kind="digest")


def test_no_digest_when_nothing_is_overdue_or_on_a_day_off(cast):
    submitted(cast, MONDAY)
    assert planning.plan_digests(now=london(2026, 11, 9, 9, 0)) == 0  # due today: not overdue
    assert planning.plan_digests(now=london(2026, 11, 14, 9, 0)) == 0  # a Saturday
    assert planning.plan_digests(now=london(2026, 12, 28, 9, 0)) == 0  # Boxing Day (observed)
    assert Reminder.objects.filter(kind=Kind.DIGEST).count() == 0


def test_a_digest_whose_concerns_were_dealt_with_before_it_went_out_is_not_sent(cast):
    concern = submitted(cast, MONDAY)
    planning.plan_digests(now=london(2026, 11, 10, 8, 0))  # planned for 09:00
    scenarios.escalate(concern, cast, london(2026, 11, 10, 8, 30))
    sweep(london(2026, 11, 10, 9, 0))
    assert Notification.objects.filter(kind=Kind.DIGEST).count() == 0
    assert set(Reminder.objects.filter(kind=Kind.DIGEST).values_list("status", flat=True)) == {
        ReminderStatus.CANCELLED
    }


def test_a_worker_that_read_the_due_list_before_another_sent_it_sends_nothing(cast, mailoutbox):
    """The race, step by step: both workers read what is due; one sends; the other then
    tries the same rows, and its claims change nothing."""
    submitted(cast, MONDAY)
    now = london(2026, 11, 2, 10, 1)
    stale_reminders = sending.due_reminder_ids(now)
    sweep(now)
    stale_deliveries = list(Delivery.objects.values_list("pk", flat=True))
    assert not any(sending.reminder_send(reminder_id=pk, now=now) for pk in stale_reminders)
    assert not any(sending.delivery_attempt(delivery_id=pk, now=now) for pk in stale_deliveries)
    assert Notification.objects.count() == len(mailoutbox) == 2
    assert CaseEvent.objects.filter(kind="reminder.sent").count() == 1


def test_concerns_open_before_reminders_existed_can_be_given_theirs(cast):
    concern = submitted(cast, MONDAY)
    Reminder.objects.all().delete()
    call_command("plan_reminders", stdout=StringIO())
    call_command("plan_reminders", stdout=StringIO())
    assert {r.kind for r in reminders(concern)} == {Kind.DUE_SOON, Kind.OVERDUE}
    assert len(reminders(concern)) == 2
