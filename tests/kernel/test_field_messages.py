"""Every field says what to do with it when it is left empty or filled in wrongly (kernel.forms.field_messages),
in every form of the project and of the apps it uses, never Django's nameless "This field is required."."""

import importlib
import inspect
import pkgutil

import pytest
from allauth.account.forms import ResetPasswordForm
from django import forms
from hypothesis import given
from hypothesis import strategies as st

import sencohub
from sencohub.accounts.forms import SignInForm
from sencohub.kernel.forms import DateInput, field_messages

DJANGO_REQUIRED = "This field is required."


class PlanForm(forms.Form):
    start_date = forms.DateField(widget=DateInput)
    new_sen_provision = forms.ChoiceField(label="New SEN provision", choices=[("K", "SEN support"), ("E", "EHC plan")])
    result = forms.ChoiceField(choices=[("met", "Met"), ("not_met", "Not met")], widget=forms.RadioSelect)
    hours = forms.DecimalField(label="Hours a week")
    upn = forms.CharField(label="UPN")
    your_email = forms.EmailField(label="Your email address")
    attended = forms.ChoiceField(label="Did the parent carer attend?", choices=[("yes", "Yes"), ("no", "No")])
    areas = forms.MultipleChoiceField(label="Areas of need", choices=[("CL", "Communication"), ("SEMH", "SEMH")],
                                      widget=forms.CheckboxSelectMultiple)  # fmt: skip
    certificate = forms.FileField()
    reason = forms.CharField(error_messages={"required": "Say why the plan ended"})
    note = forms.CharField(label="What you saw")


def test_an_empty_form_names_every_field_in_its_own_words():
    form = PlanForm(data={})
    assert not form.is_valid()
    assert {name: errors[0] for name, errors in form.errors.items()} == {
        "start_date": "Enter the start date",
        "new_sen_provision": "Select the new SEN provision",
        "result": "Select the result",
        "hours": "Enter the hours a week",
        "upn": "Enter the UPN",
        "your_email": "Enter your email address",
        "attended": "Select an answer to ‘Did the parent carer attend?’",
        "areas": "Select the areas of need",
        "certificate": "Select the certificate",
        "reason": "Say why the plan ended",  # a form's own message is kept
        "note": "Enter what you saw",  # a clause reads on without "the"
    }


def test_a_value_of_the_wrong_kind_says_which_field_and_what_kind():
    form = PlanForm(data={"start_date": "2026-02-30", "hours": "lots", "your_email": "nobody", "new_sen_provision": "X"})
    assert not form.is_valid()
    assert form.errors["start_date"] == ["Enter the start date as a real date"]
    assert form.errors["hours"] == ["Enter the hours a week as a number"]
    assert form.errors["your_email"] == ["Enter your email address in the right form, like name@example.com"]
    assert form.errors["new_sen_provision"] == ["Select the new SEN provision from the choices given"]


def test_a_label_set_after_the_form_is_made_is_the_one_named():
    form = PlanForm(data={})
    form.fields["start_date"].label = "Date the plan starts"
    assert form.errors["start_date"] == ["Enter the date the plan starts"]


def test_signing_in_with_nothing_typed_names_both_fields():
    form = SignInForm(data={})
    assert not form.is_valid()
    assert form.errors["login"] == ["Enter your email address"]
    assert form.errors["password"] == ["Enter your password"]
    assert form.fields["password"].help_text == ""  # no link between the two fields


def test_other_apps_forms_name_their_fields_too():
    form = ResetPasswordForm(data={})
    assert not form.is_valid()
    assert DJANGO_REQUIRED not in str(form.errors)


@given(st.text(alphabet=st.characters(categories=["L", "N", "Zs"]), min_size=1, max_size=40).filter(str.strip))
def test_every_label_makes_a_message_that_names_it(label):
    for field in (forms.CharField(), forms.ChoiceField(), forms.DateField(), forms.IntegerField()):
        message = field_messages(field, label)["required"]
        assert message.startswith(("Enter ", "Select "))
        assert label.strip()[1:].lower() in message.lower()
        assert message != DJANGO_REQUIRED


def _project_forms():
    for module in pkgutil.walk_packages(sencohub.__path__, "sencohub."):
        if module.name.endswith((".forms", ".views", ".pupil_views", ".family", ".calculator", ".tokens")) or ".forms." in module.name:
            loaded = importlib.import_module(module.name)
            for _, value in inspect.getmembers(loaded, inspect.isclass):
                if issubclass(value, forms.BaseForm) and value.__module__.startswith("sencohub."):
                    yield value


FORMS = sorted(set(_project_forms()), key=lambda f: f"{f.__module__}.{f.__qualname__}")


def _made_empty(form_class):
    """The form bound to nothing, made the way its page makes it where its arguments can be guessed."""
    for kwargs in ({}, {"school": None}, {"user": None}, {"school": None, "user": None}, {"pupil": None}):
        try:
            return form_class(data={}, **kwargs)
        except Exception:  # noqa: BLE001 - a form that needs a real record is walked by the URL guard instead
            continue
    return None


def test_the_walk_finds_the_projects_forms():
    assert len(FORMS) > 20


@pytest.mark.django_db
@pytest.mark.parametrize("form_class", FORMS, ids=lambda f: f"{f.__module__}.{f.__qualname__}")
def test_no_form_in_the_project_says_this_field_is_required(form_class):
    form = _made_empty(form_class)
    if form is None:
        pytest.skip("needs a record to be made; the URL map's guard posts it empty instead")
    try:
        form.is_valid()
    except Exception:  # noqa: BLE001 - a clean() that needs the record the form was not given
        pass
    errors = [str(e) for field_errors in (form._errors or {}).values() for e in field_errors]
    assert DJANGO_REQUIRED not in errors, f"{form_class.__qualname__}: {errors}"


def test_the_error_summary_takes_the_person_to_the_first_radio_or_box_of_a_group():
    from django.template.loader import render_to_string

    summary = render_to_string("includes/error_summary.html", {"form": PlanForm(data={})})
    assert '<a href="#id_result_0">Select the result</a>' in summary
    assert '<a href="#id_areas_0">Select the areas of need</a>' in summary
    assert '<a href="#id_start_date">Enter the start date</a>' in summary
