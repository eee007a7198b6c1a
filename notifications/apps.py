from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "notifications"

    def ready(self) -> None:
        # Reminders follow the concerns domain's events; the domain never imports us.
        from concerns import events
        from notifications.planning import on_concern_event

        events.subscribe(on_concern_event)
