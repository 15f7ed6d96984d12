from django.apps import AppConfig


class SupportConfig(AppConfig):
    name = "sencohub.support"
    label = "support"
    verbose_name = "Graduated approach"
