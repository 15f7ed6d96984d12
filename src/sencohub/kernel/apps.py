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

        # Every form names its fields in its messages ("Enter the start date", not "This field is required."),
        # this project's and every app's (allauth's sign-in among them). Named when the form is first checked,
        # once its own __init__ has set its labels.
        from sencohub.kernel.forms import field_messages_name

        full_clean = forms.BaseForm.full_clean

        def full_clean_with_named_messages(form):
            field_messages_name(form)
            full_clean(form)

        forms.BaseForm.full_clean = full_clean_with_named_messages
