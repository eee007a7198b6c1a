"""Second factors in a real browser: an authenticator app, a passkey and recovery codes.

A practitioner who must have a second factor (MFA_REQUIRED_FOR) signs in with a password,
is kept on Sign-in security until they set one up, and afterwards proves it is them with a
code, a recovery code or a passkey. Passkeys use Chromium's virtual authenticator (the
DevTools WebAuthn domain): no real key or fingerprint, the same navigator.credentials calls.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from typing import Any

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from playwright.sync_api import CDPSession, Page, expect

from concerns.models import Role, User
from tests.conftest import Personas

from .conftest import PASSWORD, Screenshot, axe, browser_test

pytestmark = browser_test

SECURITY = re.compile(r"/accounts/2fa/$")
CONFIRM = re.compile(r"/accounts/2fa/authenticate/$")
BANNER_TEXT = "Set up a second way to prove it is you before you continue."
PERIOD = 30  # seconds a TOTP code lasts (allauth's MFA_TOTP_PERIOD)


@pytest.fixture
def practitioner(people: Personas, settings: Any) -> User:
    """A health visitor who must have a second factor. The live server runs in a thread of
    this process, so the setting reaches it."""
    settings.MFA_REQUIRED_FOR = frozenset({Role.PRACTITIONER.value})
    return people.health_visitor


@pytest.fixture
def site(live_server: Any) -> str:
    """The live server by name: WebAuthn needs a secure context and a domain for its RP ID,
    and browsers treat http://localhost (not http://127.0.0.1) as secure."""
    return re.sub(r"^http://127\.0\.0\.1(?=:)", "http://localhost", live_server.url)


def enter_password(page: Page, site: str, user: User) -> None:
    """The password step alone, from a fresh browser session (conftest's sign_in expects to
    be signed in straight after it)."""
    page.context.clear_cookies()
    page.goto(f"{site}/accounts/login/")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def sign_out(page: Page) -> None:
    page.locator(".app-signed-in").get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    expect(page.locator(".app-signed-in")).to_have_count(0)


def heading(page: Page) -> Any:
    return page.get_by_role("heading", level=1)


def shown_errors(page: Page) -> Any:
    """Error summaries on show (the passkey one waits, hidden, on pages that offer one)."""
    return page.locator(".govuk-error-summary:not([hidden])")


def current_code(secret: str) -> tuple[str, int]:
    """The code the app shows now, and its period. allauth accepts only the current period's
    code (no tolerance), so near the end of a period wait for the next one: a code typed in
    its last second would reach the server too late."""
    while time.time() % PERIOD > PERIOD - 4:
        time.sleep(0.25)
    counter = int(time.time()) // PERIOD
    return format_hotp_value(hotp_value(secret, counter)), counter


def next_period_code(secret: str, used: int) -> str:
    """A code from a later period than `used`: allauth refuses a code used once already."""
    while int(time.time()) // PERIOD <= used:
        time.sleep(0.25)
    return current_code(secret)[0]


def recovery_codes(page: Page) -> list[str]:
    """Straight after the first factor is set up: the ten recovery codes, shown this once
    (the password was given minutes ago, so nothing asks for it again)."""
    expect(page).to_have_url(re.compile(r"/accounts/2fa/recovery-codes/$"))
    expect(heading(page)).to_have_text("Your recovery codes")
    codes = page.locator("#recovery-codes li code").all_inner_texts()
    assert len(codes) == 10 and len(set(codes)) == 10, codes
    return codes


def enter_code(page: Page, code: str) -> None:
    expect(heading(page)).to_have_text("Confirm it is you")
    page.get_by_label("Code from your authenticator app, or a recovery code").fill(code)
    page.get_by_role("button", name="Continue", exact=True).click()


def expect_home(page: Page, user: User) -> None:
    expect(page.locator(".app-signed-in")).to_contain_text(user.full_name)
    assert not SECURITY.search(page.url) and not CONFIRM.search(page.url), page.url
    expect(page.get_by_text(BANNER_TEXT)).to_have_count(0)


def test_an_authenticator_app_and_recovery_codes_sign_a_practitioner_in(
    page: Page, site: str, practitioner: User, screenshot: Screenshot
) -> None:
    # The password alone reaches only Sign-in security, however they try.
    enter_password(page, site, practitioner)
    expect(page).to_have_url(SECURITY)
    expect(heading(page)).to_have_text("Sign-in security")
    expect(page.get_by_role("region", name="Important")).to_contain_text(BANNER_TEXT)
    screenshot(page, "factor-needed")
    axe(page)
    page.goto(f"{site}/concerns/")
    expect(page).to_have_url(SECURITY)
    page.goto(f"{site}/")
    expect(page).to_have_url(SECURITY)

    # Set up the authenticator app: a wrong code first, then the one the app would show.
    page.get_by_role("link", name="Set up an authenticator app").click()
    expect(heading(page)).to_have_text("Set up an authenticator app")
    secret = page.locator("#totp-secret").inner_text().strip()
    assert re.fullmatch(r"[A-Z2-7]{16,}=*", secret), secret
    screenshot(page, "totp-activate")
    axe(page)
    page.get_by_role("button", name="Turn on").click()
    expect(shown_errors(page)).to_contain_text("Enter the 6-digit code")
    page.get_by_label("Code from your authenticator app").fill("000000")
    page.get_by_role("button", name="Turn on").click()
    expect(shown_errors(page)).to_be_visible()
    screenshot(page, "totp-activate-error")
    axe(page)
    # The secret stays the same across a refused attempt.
    assert page.locator("#totp-secret").inner_text().strip() == secret
    code, used = current_code(secret)
    page.get_by_label("Code from your authenticator app").fill(code)
    page.get_by_role("button", name="Turn on").click()

    # Ten recovery codes, shown once.
    codes = recovery_codes(page)
    screenshot(page, "recovery-codes")
    axe(page)
    page.get_by_role("link", name="I have kept my codes safe: continue").click()
    expect_home(page, practitioner)
    page.goto(f"{site}/concerns/")
    expect(page).to_have_url(re.compile(r"/concerns/$"))
    expect_home(page, practitioner)
    assert Authenticator.objects.filter(user=practitioner, type=Authenticator.Type.TOTP).exists()

    # Sign-in security now says what is set up, and no longer asks.
    page.locator(".app-signed-in").get_by_role("link", name="Sign-in security").click()
    expect(heading(page)).to_have_text("Sign-in security")
    expect(page.get_by_text(BANNER_TEXT)).to_have_count(0)
    expect(page.get_by_text("An authenticator app is set up.")).to_be_visible()
    expect(page.get_by_text("You have 10 unused recovery codes.")).to_be_visible()
    screenshot(page, "factor-set-up")
    axe(page)

    # Signing in again: the password, then a code; a wrong code is refused, with a summary.
    sign_out(page)
    enter_password(page, site, practitioner)
    expect(page).to_have_url(CONFIRM)
    screenshot(page, "confirm")
    axe(page)
    expect(page.get_by_role("button", name="Use a passkey")).to_have_count(0)
    page.goto(f"{site}/concerns/")  # half signed in: nothing but the sign-in
    expect(page.locator(".app-signed-in")).to_have_count(0)
    enter_password(page, site, practitioner)
    enter_code(page, f"{(int(current_code(secret)[0]) + 1) % 10**6:06d}")  # not the code now
    expect(page).to_have_url(CONFIRM)
    expect(shown_errors(page)).to_contain_text("The code is not right")
    expect(page).to_have_title(re.compile(r"^Error: "))
    screenshot(page, "confirm-error")
    axe(page)
    fresh = next_period_code(secret, used)
    enter_code(page, fresh)
    expect_home(page, practitioner)

    # The same code a second time (a replay) is refused, even with the right password.
    sign_out(page)
    enter_password(page, site, practitioner)
    enter_code(page, fresh)
    expect(page).to_have_url(CONFIRM)
    expect(shown_errors(page)).to_contain_text("The code is not right")
    expect(page.locator(".app-signed-in")).to_have_count(0)

    # A recovery code signs in once, and only once.
    enter_code(page, codes[0])
    expect_home(page, practitioner)
    page.locator(".app-signed-in").get_by_role("link", name="Sign-in security").click()
    expect(page.get_by_text("You have 9 unused recovery codes.")).to_be_visible()
    sign_out(page)
    enter_password(page, site, practitioner)
    enter_code(page, codes[0])
    expect(page).to_have_url(CONFIRM)
    expect(shown_errors(page)).to_be_visible()
    expect(page.locator(".app-signed-in")).to_have_count(0)
    screenshot(page, "recovery-code-reused")
    enter_code(page, codes[1])
    expect_home(page, practitioner)


@pytest.fixture
def authenticator(page: Page) -> Iterator[tuple[CDPSession, str]]:
    """A platform authenticator in Chromium that always finds the person present and
    verified, as a laptop's fingerprint reader would."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    added = cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    yield cdp, added["authenticatorId"]
    cdp.send("WebAuthn.disable")
    cdp.detach()


def credentials(cdp: CDPSession, authenticator_id: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = cdp.send(
        "WebAuthn.getCredentials", {"authenticatorId": authenticator_id}
    )["credentials"]
    return found


def add_passkey(page: Page, site: str, user: User, name: str) -> None:
    """From the password step to home, setting up a passkey on the way."""
    enter_password(page, site, user)
    expect(page).to_have_url(SECURITY)
    page.get_by_role("link", name="Set up a passkey").click()
    expect(heading(page)).to_have_text("Set up a passkey")
    page.get_by_label("A name for it (optional)").fill(name)
    page.get_by_role("button", name="Create a passkey").click()
    recovery_codes(page)
    page.get_by_role("link", name="I have kept my codes safe: continue").click()
    expect_home(page, user)


def test_a_passkey_signs_a_practitioner_in_after_their_password(
    page: Page,
    site: str,
    practitioner: User,
    authenticator: tuple[CDPSession, str],
    screenshot: Screenshot,
) -> None:
    cdp, authenticator_id = authenticator
    assert site.startswith("http://localhost:"), site

    enter_password(page, site, practitioner)
    expect(page).to_have_url(SECURITY)
    page.get_by_role("link", name="Set up a passkey").click()
    expect(heading(page)).to_have_text("Set up a passkey")
    expect(page.locator("#passkey-error")).to_be_hidden()
    screenshot(page, "passkey-add")
    axe(page)
    page.get_by_label("A name for it (optional)").fill("Work laptop")
    page.get_by_role("button", name="Create a passkey").click()
    recovery_codes(page)
    screenshot(page, "passkey-recovery-codes")
    page.get_by_role("link", name="I have kept my codes safe: continue").click()
    expect_home(page, practitioner)
    stored = credentials(cdp, authenticator_id)
    assert len(stored) == 1, stored
    passkey = Authenticator.objects.get(user=practitioner, type=Authenticator.Type.WEBAUTHN)
    assert passkey.wrap().name == "Work laptop"

    page.locator(".app-signed-in").get_by_role("link", name="Sign-in security").click()
    expect(page.get_by_text("1 passkey set up.")).to_be_visible()
    page.get_by_role("link", name="Manage your passkeys").click()
    expect(heading(page)).to_have_text("Your passkeys")
    expect(page.locator(".govuk-summary-list")).to_contain_text("Work laptop")
    screenshot(page, "passkey-list")
    axe(page)

    # Signing in again: the password, then the passkey instead of a code.
    sign_out(page)
    enter_password(page, site, practitioner)
    expect(page).to_have_url(CONFIRM)
    expect(page.get_by_role("button", name="Use a passkey")).to_be_visible()
    expect(page.locator("#passkey-error")).to_be_hidden()
    screenshot(page, "confirm-with-passkey")
    axe(page)
    page.get_by_role("button", name="Use a passkey").click()
    expect_home(page, practitioner)
    assert len(credentials(cdp, authenticator_id)) == 1
    passkey.refresh_from_db()
    assert passkey.last_used_at is not None


def test_a_passkey_that_fails_says_so_on_the_page(
    page: Page,
    site: str,
    practitioner: User,
    authenticator: tuple[CDPSession, str],
    screenshot: Screenshot,
) -> None:
    cdp, authenticator_id = authenticator
    add_passkey(page, site, practitioner, "Work laptop")

    # A second passkey on the same device: the browser refuses to make it (the first is in
    # the request's excludeCredentials), and the page says so rather than nothing.
    page.goto(f"{site}/accounts/2fa/webauthn/")
    page.get_by_role("link", name="Add a passkey").click()
    page.wait_for_url(re.compile(r"/accounts/(reauthenticate|2fa/webauthn/add)/"))
    if "/accounts/reauthenticate/" in page.url:  # adding a second factor: the password again
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Confirm").click()
    expect(heading(page)).to_have_text("Set up a passkey")
    error = page.locator("#passkey-error")
    expect(error).to_be_hidden()
    page.get_by_role("button", name="Create a passkey").click()
    expect(error).to_be_visible()
    expect(error).to_contain_text("Your passkey was not used")
    expect(error).to_be_focused()
    expect(heading(page)).to_have_text("Set up a passkey")
    screenshot(page, "passkey-add-failed")
    axe(page)
    assert len(credentials(cdp, authenticator_id)) == 1
    assert Authenticator.objects.filter(type=Authenticator.Type.WEBAUTHN).count() == 1

    # The device no longer holds the key (wiped, or another computer's authenticator).
    sign_out(page)
    cdp.send("WebAuthn.clearCredentials", {"authenticatorId": authenticator_id})
    enter_password(page, site, practitioner)
    expect(page).to_have_url(CONFIRM)
    error = page.locator("#passkey-error")
    expect(error).to_be_hidden()
    page.get_by_role("button", name="Use a passkey").click()
    expect(error).to_be_visible()
    expect(error).to_contain_text("Your passkey was not used")
    expect(error).to_be_focused()
    expect(page).to_have_url(CONFIRM)
    expect(page.locator(".app-signed-in")).to_have_count(0)
    screenshot(page, "passkey-failed")
    axe(page)
