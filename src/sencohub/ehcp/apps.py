from django.apps import AppConfig


class EhcpConfig(AppConfig):
    name = "sencohub.ehcp"
    label = "ehcp"
    verbose_name = "EHC plans"

    def ready(self):
        from sencohub.ehcp import documents  # noqa: F401 - registers the EHC document kinds
        from sencohub.ehcp.reach import pupils_with_la_cases, schools_with_la_cases
        from sencohub.ehcp.selectors import current_plans_of
        from sencohub.register.services import current_plan_finder_register
        from sencohub.schools.models import Role
        from sencohub.schools.reach import reach_register

        current_plan_finder_register(current_plans_of)
        reach_register(Role.LA_OFFICER, pupils=pupils_with_la_cases, schools=schools_with_la_cases)
