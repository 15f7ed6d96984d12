from django import forms
from django.apps import AppConfig


class KernelConfig(AppConfig):
    name = "sencohub.kernel"
    label = "kernel"

    def ready(self):
        from sencohub.kernel.dates import RECORD_DATES

        # One window for every date typed into any form (kernel/dates.py), this project's and every app's: a field
        # with a narrower meaning adds its own DateWindow beside it.
        forms.DateField.default_validators = [RECORD_DATES]
