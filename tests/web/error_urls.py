"""The product's URLs plus one that fails, to see the error page people get."""

from django.http import HttpRequest, HttpResponse
from django.urls import include, path


def fails(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug")


urlpatterns = [path("fails/", fails), path("", include("config.urls"))]
handler500 = "concerns.views.errors.server_error"
