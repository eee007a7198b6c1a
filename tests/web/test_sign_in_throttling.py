"""Sign-in throttling (issue 10, item 7), written from the issue: per account and address,
with a cool-off, shared by every worker (in the database), unlocked in the admin, with a clear
message; the admin signs in through the same door."""

from __future__ import annotations

import datetime as dt

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.conftest import Personas

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
ATTACKER = "203.0.113.9"
OFFICE = "198.51.100.20"


def attempt(client: Client, email: str, password: str, address: str) -> int:
    response = client.post(
        reverse("account_login"), {"login": email, "password": password}, REMOTE_ADDR=address
    )
    return response.status_code


def test_five_wrong_passwords_lock_the_account_from_that_address_only(
    people: Personas,
) -> None:
    email = people.health_visitor.email
    attacker = Client()
    assert [attempt(attacker, email, "guess", ATTACKER) for _ in range(5)] == [200] * 4 + [429]
    # Locked, even with the right password, from the attacker's address...
    locked = attacker.post(
        reverse("account_login"), {"login": email, "password": PASSWORD}, REMOTE_ADDR=ATTACKER
    )
    assert locked.status_code == 429
    assert "Too many failed sign-ins" in locked.content.decode()
    # ...but the real owner at the office still signs in.
    assert attempt(Client(), email, PASSWORD, OFFICE) == 302


def test_the_lock_is_shared_by_every_worker_and_lifts_when_unlocked_in_the_admin(
    people: Personas,
) -> None:
    email = people.social_worker.email
    for _ in range(5):
        attempt(Client(), email, "guess", ATTACKER)  # a new client each time: any worker
    assert AccessAttempt.objects.filter(username=email, ip_address=ATTACKER).exists()
    assert attempt(Client(), email, PASSWORD, ATTACKER) == 429
    AccessAttempt.objects.filter(username=email).delete()  # what the admin's "delete" does
    assert attempt(Client(), email, PASSWORD, ATTACKER) == 302


def test_the_lock_cools_off_after_fifteen_minutes(people: Personas, time_machine) -> None:
    email = people.social_worker.email
    time_machine.move_to(timezone.now())
    for _ in range(5):
        attempt(Client(), email, "guess", ATTACKER)
    assert attempt(Client(), email, PASSWORD, ATTACKER) == 429
    time_machine.shift(dt.timedelta(minutes=16))
    assert attempt(Client(), email, PASSWORD, ATTACKER) == 302


def test_the_admin_signs_in_through_the_same_door(client: Client) -> None:
    response = client.get("/admin/login/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_many_people_signing_in_from_one_office_address_are_not_turned_away(
    people: Personas,
) -> None:
    """Forty sign-ins in a minute from one address (an office behind one router) all succeed:
    throttling is per account and address, on failures only."""
    email = people.social_worker.email
    assert [attempt(Client(), email, PASSWORD, OFFICE) for _ in range(40)] == [302] * 40
