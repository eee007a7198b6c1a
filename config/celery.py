"""Celery wiring, the standard Django way: settings from CELERY_* and tasks from each app."""

import os

from celery import Celery
from celery.signals import beat_init, worker_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("config")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_init.connect
@beat_init.connect
def make_folders(**kwargs: object) -> None:
    """The filesystem broker needs its folders before the worker or beat connects."""
    from config.folders import make_local_folders

    make_local_folders()
