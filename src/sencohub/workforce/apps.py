from django.apps import AppConfig


class WorkforceConfig(AppConfig):
    name = "sencohub.workforce"
    label = "workforce"
    verbose_name = "SENCo workforce"
