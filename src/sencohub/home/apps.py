from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "sencohub.home"
    label = "home"
