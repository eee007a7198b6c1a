"""A second factor (issue 10, item 8; the security checklist's A1 and A6): an authenticator app
(TOTP) or a passkey, with single-use recovery codes; required of whoever MFA_REQUIRED_FOR names
(everyone in production). A password alone reaches no case page; a code is accepted once; a
factor added or removed ends the person's other sessions and is on their access records.

The passkey and authenticator-app journeys in a real browser are in
tests/browser/test_second_factor.py."""

from __future__ import annotations

import datetime as dt

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from concerns.models import Role, User
from concerns.models.access_log import AccessRecord, Read
from config.settings.base import MFA_ROLES, mfa_required_for
from tests.browser.conftest import PASSWORD
from tests.conftest import Personas, london
from tests.scenarios import advance

pytestmark = pytest.mark.django_db

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
EVERYONE = mfa_required_for("all")


def code_at(when: dt.datetime) -> str:
    return format_hotp_value(hotp_value(SECRET, int(when.timestamp()) // 30))


def with_app(user: User) -> User:
    TOTP.activate(user, SECRET)
    RecoveryCodes.activate(user)
    user.refresh_from_db()
    return user


def password_step(user: User) -> tuple[Client, object]:
    client = Client()
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    return client, response


def test_the_setting_names_roles_everyone_or_nobody() -> None:
    assert set(MFA_ROLES) == {*Role.values, "staff"}
    assert mfa_required_for("all") == frozenset(MFA_ROLES)
    assert mfa_required_for("none") == mfa_required_for("") == frozenset()
    assert mfa_required_for("manager, staff") == {"manager", "staff"}
    with pytest.raises(ValueError, match="unknown"):
        mfa_required_for("managers")


def test_a_password_alone_reaches_no_case_page(people: Personas, settings) -> None:
    settings.MFA_REQUIRED_FOR = EVERYONE
    concern = advance(people.cast, "stage_1", london(2026, 11, 2, 10))
    client, signed_in = password_step(people.health_visitor)
    assert signed_in["Location"] == reverse("home")  # the password is right...
    for path in (
        reverse("home"),
        reverse("concern-list"),
        reverse("concern-detail", args=[concern.pk]),
        reverse("concern-history", args=[concern.pk]),
        reverse("concern-raise"),
        reverse("notifications:list"),
    ):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"] == reverse("mfa_index"), path  # ...but is not enough
    page = client.get(reverse("mfa_index"))
    assert "Set up a second way to prove it is you" in page.content.decode()
    assert 'id="navigation"' not in page.content.decode()  # no menu of pages it cannot open
    assert client.get(reverse("mfa_activate_totp")).status_code == 200


def test_the_admin_too_for_staff(people: Personas, settings) -> None:
    settings.MFA_REQUIRED_FOR = frozenset({"staff"})
    admin = people.health_manager
    admin.is_staff = admin.is_superuser = True
    admin.save()
    client = Client()
    client.force_login(admin)
    assert client.get("/admin/")["Location"] == reverse("mfa_index")


def test_required_per_role(people: Personas, settings) -> None:
    settings.MFA_REQUIRED_FOR = frozenset({Role.PARTNERSHIP_OFFICER})
    practitioner, officer = Client(), Client()
    practitioner.force_login(people.health_visitor)
    officer.force_login(people.partnership_officer)
    assert practitioner.get(reverse("home")).status_code == 200
    assert officer.get(reverse("home"))["Location"] == reverse("mfa_index")


def test_signing_in_asks_for_the_code_and_refuses_it_a_second_time(
    people: Personas, settings, time_machine
) -> None:
    settings.MFA_REQUIRED_FOR = EVERYONE
    time_machine.move_to(timezone.now().replace(second=5), tick=False)
    user = with_app(people.health_visitor)
    client, response = password_step(user)
    assert response["Location"] == reverse("mfa_authenticate")
    assert client.get(reverse("home"))["Location"].startswith(reverse("account_login"))
    wrong = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert "The code is not right" in wrong.content.decode()
    code = code_at(timezone.now())
    assert client.post(reverse("mfa_authenticate"), {"code": code}).status_code == 302
    assert client.get(reverse("home")).status_code == 200

    again, _ = password_step(user)  # the same code, replayed in the same 30 seconds
    replayed = again.post(reverse("mfa_authenticate"), {"code": code})
    assert replayed.status_code == 200
    assert "used already" in replayed.content.decode()
    assert again.get(reverse("home"))["Location"].startswith(reverse("account_login"))
    kinds = list(AccessRecord.objects.filter(user=user).values_list("what", flat=True))
    assert kinds.count(Read.FACTOR_FAILED) == 2  # the wrong code and the replay
    assert kinds.count(Read.SIGNED_IN) == 1


def test_a_recovery_code_signs_in_once(people: Personas, settings) -> None:
    settings.MFA_REQUIRED_FOR = EVERYONE
    user = with_app(people.health_visitor)
    codes = Authenticator.objects.get(user=user, type="recovery_codes").wrap()
    first = codes.get_unused_codes()[0]
    client, _ = password_step(user)
    assert client.post(reverse("mfa_authenticate"), {"code": first}).status_code == 302
    assert client.get(reverse("home")).status_code == 200
    again, _ = password_step(user)
    assert again.post(reverse("mfa_authenticate"), {"code": first}).status_code == 200
    assert again.get(reverse("home")).status_code == 302


def test_secrets_are_not_kept_in_the_clear(people: Personas) -> None:
    user = with_app(people.health_visitor)
    stored = Authenticator.objects.get(user=user, type="totp").data["secret"]
    assert SECRET not in stored
    seed = Authenticator.objects.get(user=user, type="recovery_codes").data["seed"]
    assert len(seed) > 60  # encrypted, not allauth's 40-character hex seed


# Committed for real: allauth tells of the new factor once its transaction commits.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_adding_a_factor_ends_the_other_sessions_and_keeps_this_one(
    people: Personas, settings, time_machine
) -> None:
    settings.MFA_REQUIRED_FOR = EVERYONE
    time_machine.move_to(timezone.now().replace(second=5), tick=False)
    user = people.health_visitor
    elsewhere, here = Client(), Client()
    here.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    elsewhere.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    page = here.get(reverse("mfa_activate_totp"))
    secret = page.context["form"].secret
    code = format_hotp_value(hotp_value(secret, int(timezone.now().timestamp()) // 30))
    done = here.post(reverse("mfa_activate_totp"), {"code": code})
    assert done.status_code == 302, done.content.decode()[:2000]
    assert here.get(reverse("home")).status_code == 200
    assert elsewhere.get(reverse("home"))["Location"].startswith(reverse("account_login"))
    kinds = AccessRecord.objects.filter(user=user).values_list("what", flat=True)
    assert Read.FACTOR_ADDED in kinds
    # Straight on to the recovery codes, without the password again (signed in just now).
    assert done["Location"] == reverse("mfa_view_recovery_codes")
    assert here.get(done["Location"]).status_code == 200
    # The code that turned the app on does not sign anyone in afterwards.
    user.refresh_from_db()
    later, _ = password_step(user)
    assert later.post(reverse("mfa_authenticate"), {"code": code}).status_code == 200
    assert later.get(reverse("home")).status_code == 302


def test_an_administrator_removing_a_factor_ends_every_session(people: Personas) -> None:
    user = with_app(people.health_visitor)
    client = Client()
    client.force_login(user)
    assert client.get(reverse("home")).status_code == 200
    Authenticator.objects.filter(user=user, type="totp").delete()  # as the admin does
    assert client.get(reverse("home"))["Location"].startswith(reverse("account_login"))


def test_the_only_factor_cannot_be_removed_while_one_is_required(
    people: Personas, settings
) -> None:
    settings.MFA_REQUIRED_FOR = EVERYONE
    user = with_app(people.health_visitor)
    client = Client()
    client.force_login(user)
    asked = client.post(reverse("mfa_deactivate_totp"))
    assert asked["Location"].startswith(reverse("account_reauthenticate"))  # the password again
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    response = client.post(reverse("mfa_deactivate_totp"))
    assert Authenticator.objects.filter(user=user, type="totp").exists()
    assert "You cannot remove your only second factor" in response.content.decode()
    settings.MFA_REQUIRED_FOR = frozenset()
    client.post(reverse("mfa_deactivate_totp"))
    assert not Authenticator.objects.filter(user=user, type="totp").exists()
