from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from concerns import access

SERVICE_NAME = "Concerns resolution"


def service(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    agency = getattr(user, "agency", None) if user and user.is_authenticated else None
    return {
        "service_name": SERVICE_NAME,
        # Only people in an agency that is a party to disagreements raise concerns.
        "can_raise": agency is not None and not agency.is_partnership,
        "can_read_reports": bool(user) and access.may_read_reports(user),  # type: ignore[arg-type]
        "can_audit": bool(user) and access.may_audit(user),  # type: ignore[arg-type]
        "session_idle_seconds": settings.SESSION_IDLE_SECONDS,
        "session_idle_minutes": settings.SESSION_IDLE_SECONDS // 60,
    }
