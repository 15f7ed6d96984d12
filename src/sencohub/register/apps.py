from django.apps import AppConfig


class RegisterConfig(AppConfig):
    name = "sencohub.register"
    label = "register"
