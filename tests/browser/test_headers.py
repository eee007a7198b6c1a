"""The Content-Security-Policy holds in a real browser, and its refusals are seen (issue 10,
item 10). Every other browser journey fails on any refusal (conftest._no_csp_violations); this
shows such a refusal is really reported, on a page of its own the watcher does not follow."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page

from tests.conftest import Personas

from .conftest import browser_test, sign_in


@browser_test
def test_an_inline_script_is_refused_and_the_refusal_is_reported(
    page: Page, live_server: Any, people: Personas
) -> None:
    sign_in(page, live_server, people.health_visitor)
    other = page.context.new_page()
    messages: list[str] = []
    other.on("console", lambda message: messages.append(message.text))
    other.goto(f"{live_server.url}/")
    other.evaluate(
        """() => {
            window.ran = false;
            const script = document.createElement("script");
            script.textContent = "window.ran = true";
            document.body.appendChild(script);
        }"""
    )
    other.wait_for_timeout(200)
    assert other.evaluate("() => window.ran") is False
    assert any("Content Security Policy" in text for text in messages), messages
    other.close()
