from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "sencohub.core"
    label = "core"
