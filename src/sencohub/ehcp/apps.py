from django.apps import AppConfig


class EhcpConfig(AppConfig):
    name = "sencohub.ehcp"
    label = "ehcp"
    verbose_name = "EHC plans"

    def ready(self):
        from sencohub.ehcp import documents  # noqa: F401 - registers the EHC document kinds
        from sencohub.ehcp.selectors import current_plans_of
        from sencohub.register.services import current_plan_finder_register

        current_plan_finder_register(current_plans_of)
