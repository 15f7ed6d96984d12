from django.apps import AppConfig


class PupilsConfig(AppConfig):
    name = "sencohub.pupils"
    label = "pupils"
