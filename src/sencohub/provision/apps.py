from django.apps import AppConfig


class ProvisionConfig(AppConfig):
    name = "sencohub.provision"
    label = "provision"
    verbose_name = "Provision map"

    def ready(self):
        from sencohub.provision.reach import pupils_in_groups_run_by
        from sencohub.pupils.reach import CLASS_ROLES
        from sencohub.schools.reach import reach_register

        for role in CLASS_ROLES:
            reach_register(role, pupils=pupils_in_groups_run_by)
