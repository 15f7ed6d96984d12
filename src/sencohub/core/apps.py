from django import forms
from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "sencohub.core"
    label = "core"

    def ready(self):
        from sencohub.core.dates import RECORD_DATES

        # One window for every date typed into any form (core/dates.py), this project's and every app's: a field
        # with a narrower meaning adds its own DateWindow beside it.
        forms.DateField.default_validators = [RECORD_DATES]
