"""Local state folders (the SQLite database, the filesystem broker's queue, mail files): made
by the programs that use them (manage.py, the Celery worker and beat, the test run), never as
a side effect of importing settings."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings

BROKER_FOLDERS = ("data_folder_in", "data_folder_out", "processed_folder", "control_folder")


def make_local_folders(*args: Any, **kwargs: Any) -> None:
    """Create VAR_DIR and, on the filesystem broker, its folders (idempotent; a signal
    receiver too)."""
    Path(settings.VAR_DIR).mkdir(parents=True, exist_ok=True)
    options = getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", {}) or {}
    for key in BROKER_FOLDERS:
        if key in options:
            Path(options[key]).mkdir(parents=True, exist_ok=True)
