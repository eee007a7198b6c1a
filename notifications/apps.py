from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "notifications"

    def ready(self) -> None:
        # The benchmark's registry learns of the sweep's case here (manage.py bench).
        from notifications import bench  # noqa: F401
