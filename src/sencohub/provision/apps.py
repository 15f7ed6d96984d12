from django.apps import AppConfig


class ProvisionConfig(AppConfig):
    name = "sencohub.provision"
    label = "provision"
    verbose_name = "Provision map"

    def ready(self):
        from sencohub.provision.reach import pupils_in_groups_run_by
        from sencohub.pupils.selectors import reach_register

        reach_register(pupils_in_groups_run_by)
