from django.apps import AppConfig


class SchoolsConfig(AppConfig):
    name = "sencohub.schools"
    label = "schools"
