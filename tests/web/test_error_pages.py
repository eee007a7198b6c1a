"""Error pages are the product's own, as its users see them (issue 11): "Page not found" with
a way back, and a plain error page that needs nothing from the database."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_page_not_found_is_the_products_own(client: Client) -> None:
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "Page not found" in page and "Go to your concerns" in page


@pytest.mark.urls("tests.web.error_urls")
def test_an_error_shows_the_products_own_page() -> None:
    client = Client(raise_request_exception=False)
    response = client.get("/fails/")
    assert response.status_code == 500
    page = response.content.decode()
    assert "Sorry, there is a problem with the service" in page
    assert "Concerns resolution" in page
    assert "RuntimeError" not in page
