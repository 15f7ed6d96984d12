from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "sencohub.demo"
    label = "demo"
