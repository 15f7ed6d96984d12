from django.apps import AppConfig


class EhcpConfig(AppConfig):
    name = "sencohub.ehcp"
    label = "ehcp"
    verbose_name = "EHC plans"
