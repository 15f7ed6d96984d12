"""kernel.forms.saved: the one way a page handles a posted form."""

from django import forms
from django.contrib.messages import constants
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from sencohub.kernel.forms import saved
from sencohub.kernel.versions import Duplicate, StaleSave


class NameForm(forms.Form):
    name = forms.CharField()


def _posted(data=None):
    request = RequestFactory().post("/", data or {"name": "Ada"})
    request._messages = CookieStorage(request)
    return request, NameForm(request.POST)


def _shown(request):
    return [(m.level, m.message) for m in request._messages]


def test_a_message_can_say_what_the_save_did_and_the_page_after_finds_it_on_the_form():
    request, form = _posted()
    assert saved(request, form, lambda f: f.cleaned_data["name"].upper(), lambda done: f"{done} was saved.")
    assert form.saved_as == "ADA"
    assert _shown(request) == [(constants.SUCCESS, "ADA was saved.")]


def test_an_empty_message_shows_none():
    request, form = _posted()
    assert saved(request, form, lambda f: "token", "")
    assert form.saved_as == "token"
    assert _shown(request) == []


def test_a_refused_save_puts_the_services_reasons_on_the_form_and_shows_no_message():
    request, form = _posted()

    def save(f):
        raise ValidationError({"name": "That name is taken.", "elsewhere": "Not a field of this form."})

    assert not saved(request, form, save, "Saved.")
    assert form.errors["name"] == ["That name is taken."]
    assert form.non_field_errors() == ["Not a field of this form."]
    assert _shown(request) == []


def test_a_page_that_shows_a_stale_save_its_own_way_is_given_the_refusal():
    request, form = _posted()
    seen = []

    def save(f):
        raise StaleSave("theirs", what="plan")

    assert not saved(request, form, save, "Saved.", stale=lambda f, stale: seen.append((f, stale.current)))
    assert seen == [(form, "theirs")]
    assert not form.errors  # the page's own handler decides what the form shows
    assert _shown(request) == []


def test_a_duplicate_goes_on_to_the_record_there_is_with_the_services_message():
    request, form = _posted()

    def save(f):
        raise Duplicate("the one already made", "This was already recorded.")

    assert saved(request, form, save, "Saved.")
    assert form.instance == "the one already made"
    assert form.saved_as is None
    assert _shown(request) == [(constants.INFO, "This was already recorded.")]


def test_a_form_that_is_not_posted_or_not_valid_is_not_saved():
    request, form = _posted({"name": ""})
    called = []
    assert not saved(request, form, called.append, "Saved.")
    get = RequestFactory().get("/")
    assert not saved(get, NameForm(), called.append, "Saved.")
    assert called == []
