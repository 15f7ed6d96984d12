from django.apps import AppConfig


class ProvisionConfig(AppConfig):
    name = "sencohub.provision"
    label = "provision"
    verbose_name = "Provision map"
