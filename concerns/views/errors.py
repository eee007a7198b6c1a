"""The product's own error page: rendered without the request's context processors (which
read the database), so it still appears when the database is what failed."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.template import loader

from concerns.context_processors import SERVICE_NAME


def server_error(request: HttpRequest) -> HttpResponse:
    page = loader.get_template("500.html").render({"service_name": SERVICE_NAME})
    return HttpResponseServerError(page)
