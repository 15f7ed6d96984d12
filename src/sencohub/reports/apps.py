from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "sencohub.reports"
    label = "reports"
    verbose_name = "Reports"

    def ready(self):
        from sencohub.reports import evidence  # noqa: F401 - registers the evidence pack document kind
