from django.apps import AppConfig


class EhcpConfig(AppConfig):
    name = "sencohub.ehcp"
    label = "ehcp"
    verbose_name = "EHC plans"

    def ready(self):
        from sencohub.ehcp import documents  # noqa: F401 - registers the EHC document kinds
