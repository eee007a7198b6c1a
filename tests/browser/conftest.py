"""Browser tests: Debian's chromium driven by Playwright against pytest-django's live server.

These tests need three things a plain checkout may lack: /usr/bin/chromium, the npm packages
(axe-core) and the compiled assets (`make assets`). Without them they skip locally, saying
why, and fail in CI (REQUIRE_SERVICES=1), so a missing browser never passes silently.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

# Playwright's sync API runs an event loop in the main thread from the first browser test to
# the end of the session; Django then refuses ORM calls from that thread
# (SynchronousOnlyOperation) unless told the caller knows what it is doing. Set here, at import,
# so it also covers tests that run after the browser tests. The ORM calls are ordinary
# synchronous ones: creating personas and reading results, never while a page awaits the server.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import pytest
from django.db import connections
from playwright.sync_api import Page, Playwright, expect

from concerns.models import User
from tests.conftest import require_service

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CSS = ROOT / "build" / "static" / "css" / "app.css"
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
PASSWORD = "correct horse battery staple"  # tests/factories.py
# WCAG 2.2 AA, as public-sector services must meet, and axe's best practices (landmarks,
# headings) on top.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]

# Every browser test commits for real (the live server runs in another thread), so the flush
# afterwards empties every table: serialized_rollback puts the migration-seeded stages and
# themes back before each test.
browser_test = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def missing_prerequisite() -> str:
    if not CHROMIUM.exists():
        return f"{CHROMIUM} is missing (apt-get install chromium)"
    if not AXE.exists():
        return f"{AXE.relative_to(ROOT)} is missing (npm ci)"
    if not CSS.exists():
        return f"{CSS.relative_to(ROOT)} is missing (make assets)"
    return ""


@pytest.fixture(scope="session")
def browser_prerequisites() -> None:
    missing = missing_prerequisite()
    require_service(not missing, f"browser tests cannot run: {missing}")


@pytest.fixture(scope="session")
def _serialized_contents_in_every_context(django_db_setup: None) -> None:
    """Keep serialized_rollback working once Playwright has started.

    Playwright's sync API leaves an asyncio loop marked as running in the main thread, and
    Django then keeps its connections per async context instead of per thread: the first
    query afterwards opens a new connection object, without the `_test_serialized_contents`
    that the test database setup stored on the old one, and every transactional test after
    that (the concurrency tests too) starts with no stages or themes. Putting the contents on
    the connection class makes every connection object carry them.
    """
    for alias in connections:
        connection = connections[alias]
        contents = getattr(connection, "_test_serialized_contents", None)
        if contents is not None:
            type(connection)._test_serialized_contents = contents  # type: ignore[attr-defined]


@pytest.fixture(scope="session")
def playwright(_serialized_contents_in_every_context: None, playwright: Playwright) -> Playwright:
    """pytest-playwright's own fixture, started only after the database contents are saved."""
    return playwright


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_prerequisites: None) -> dict[str, Any]:
    """Debian's chromium: `playwright install` cannot download browsers on these machines."""
    return {
        "executable_path": str(CHROMIUM),
        "headless": True,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    """A browser as an English practitioner's: British English, UK time."""
    return {**browser_context_args, "locale": "en-GB", "timezone_id": "Europe/London"}


@pytest.fixture(autouse=True)
def _browser_ready(browser_prerequisites: None) -> None:
    """Checked for every test here, so a test that never opens a page still skips or fails."""


@pytest.fixture(autouse=True)
def _no_csp_violations(page: Page) -> Iterator[None]:
    """Every browser journey reports zero Content-Security-Policy violations: Chromium logs
    each refusal to the console, and the test fails naming them."""
    refused: list[str] = []

    def watch(message: Any) -> None:
        if "Content Security Policy" in message.text:
            refused.append(f"{page.url}: {message.text}")

    page.on("console", watch)
    yield
    assert refused == [], "\n".join(refused)


@pytest.fixture(autouse=True)
def _short_timeouts(page: Page) -> None:
    # A server-rendered page answers in well under a second even on CI's two busy cores;
    # a missing element fails in seconds rather than Playwright's default 30.
    page.set_default_timeout(15_000)
    expect.set_options(timeout=10_000)


def sign_in(page: Page, live_server: Any, user: User) -> None:
    """Sign in through the real form, dropping whoever was signed in before."""
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".app-signed-in")).to_contain_text(user.full_name)


Screenshot = Callable[[Page, str], Path]


@pytest.fixture
def screenshot(request: pytest.FixtureRequest) -> Screenshot:
    """Full-page PNGs under artifacts/screenshots/<test>-<name>.png, kept by CI."""
    test = re.sub(r"[^\w-]+", "-", request.node.originalname).strip("-")

    def take(page: Page, name: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{test}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


def axe_violations(page: Page) -> list[dict[str, Any]]:
    # Evaluated, not added as a <script>: the pages' Content-Security-Policy refuses inline
    # scripts, and the CSP watcher would rightly report one.
    page.evaluate(AXE.read_text())
    violations: list[dict[str, Any]] = page.evaluate(
        "async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags}}))"
        ".violations",
        AXE_TAGS,
    )
    return violations


def describe_violations(violations: list[dict[str, Any]]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        lines.extend(f"    {node['target']}" for node in violation["nodes"])
    return "\n".join(lines)


def axe(page: Page) -> None:
    """Run axe-core on the page as it is now; print and fail on any violation."""
    violations = axe_violations(page)
    if violations:
        print(f"axe-core violations on {page.url}:\n{describe_violations(violations)}")
    assert violations == [], f"{page.url}\n{describe_violations(violations)}"
