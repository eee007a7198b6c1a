"""Signing in by email, and resetting a password, without revealing who has an account."""

from __future__ import annotations

from django.core import mail
from django.urls import reverse


def test_a_person_signs_in_with_email_and_password_and_lands_on_home(client, people):
    response = client.post(
        reverse("account_login"),
        {"login": people.health_visitor.email, "password": "correct horse battery staple"},
    )
    assert response.status_code == 302
    assert "Hana Visitor" in client.get(response.url).content.decode()


def test_a_wrong_password_shows_an_error_and_no_case_page_opens(client, people):
    response = client.post(
        reverse("account_login"), {"login": people.health_visitor.email, "password": "wrong"}
    )
    assert "There is a problem" in response.content.decode()
    assert client.get(reverse("concern-list")).status_code == 302


def test_password_reset_answers_the_same_for_known_and_unknown_addresses(client, people):
    known = client.post(reverse("account_reset_password"), {"email": people.social_worker.email})
    unknown = client.post(reverse("account_reset_password"), {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known.url == unknown.url
    sent = [m for m in mail.outbox if people.social_worker.email in m.to]
    assert len(sent) == 1
    assert "/accounts/password/reset/key/" in sent[0].body


def test_nobody_can_sign_themselves_up(client, db):
    page = client.get("/accounts/signup/").content.decode()
    assert "Accounts are set up by administrators" in page
    client.post(
        "/accounts/signup/",
        {
            "email": "new@example.org",
            "password1": "a long enough pass phrase",
            "password2": "a long enough pass phrase",
        },
    )
    from concerns.models import User

    assert not User.objects.filter(email="new@example.org").exists()


def test_the_reset_email_names_the_service_not_the_host(client, people):
    """Issue 11: it said "Hello from 127.0.0.1:8000!" under a "[127.0.0.1:8000]" subject."""
    client.post(reverse("account_reset_password"), {"email": people.health_visitor.email})
    (sent,) = mail.outbox
    assert sent.subject == "Concerns resolution: Reset your password"
    assert "127.0.0.1" not in sent.body.split("http")[0]
    assert "testserver" not in sent.subject + sent.body.split("http")[0]
    assert "/accounts/password/reset/key/" in sent.body


def test_the_sign_in_page_has_one_reset_link(client, db):
    page = client.get(reverse("account_login")).content.decode()
    assert page.count(reverse("account_reset_password")) == 1


def test_passwords_are_long_and_not_built_on_words_anyone_would_guess_here(people):
    """The security checklist's A4: at least 12 characters, not common, not the service's
    own words or the person's agency; no rules about character classes."""
    import pytest
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    user = people.health_visitor  # of the Community Health Trust
    for weak in ("short pass", "SafeGuarding-2026!", "community-trust-99", "password1234"):
        with pytest.raises(ValidationError):
            validate_password(weak, user)
    validate_password("lamp orbit cedar twelve", user)  # long, plain words: fine
