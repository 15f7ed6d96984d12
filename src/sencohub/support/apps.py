from django.apps import AppConfig


class SupportConfig(AppConfig):
    name = "sencohub.support"
    label = "support"
    verbose_name = "Graduated approach"

    def ready(self):
        from sencohub.support import documents  # noqa: F401 - registers the support document kinds
