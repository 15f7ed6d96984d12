from django.apps import AppConfig


class PupilsConfig(AppConfig):
    name = "sencohub.pupils"
    label = "pupils"

    def ready(self):
        from sencohub.pupils.reach import reaches_register

        reaches_register()
