from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class ConcernsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "concerns"
    verbose_name = "Concerns resolution"

    def ready(self) -> None:
        from concerns.calendar import forget_closure_days
        from concerns.models import ClosureDay

        # The calendar keeps closure days for the process; a change forgets them.
        post_save.connect(forget_closure_days, sender=ClosureDay, dispatch_uid="closure-saved")
        post_delete.connect(forget_closure_days, sender=ClosureDay, dispatch_uid="closure-deleted")

        from django.contrib.auth.signals import user_logged_in

        from concerns.middleware import note_sign_in

        # The session's absolute lifetime counts from the sign-in.
        user_logged_in.connect(note_sign_in, dispatch_uid="note-sign-in")

        from concerns import sign_in_log

        sign_in_log.connect()
