from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Synthetic data and the benchmark: installed by the local and test settings only."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "demo"
