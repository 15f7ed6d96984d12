from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "sencohub.api"
    label = "api"
