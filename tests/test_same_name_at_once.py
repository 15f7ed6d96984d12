"""Two people adding a catalogue entry with the same name at once: one entry, and a form message for the other."""

import pytest
from django import forms
from django.db import IntegrityError

from sencohub.kernel.versions import saved_unless_taken
from sencohub.provision.models import Intervention
from sencohub.provision.services import MESSAGE_INTERVENTION_TAKEN
from tests.concurrency import post_at_once, shared_database


@pytest.mark.django_db(transaction=True)
def test_five_people_adding_the_same_intervention_at_once_make_one_and_the_others_are_told(world, tmp_path):
    url = f"/schools/{world.school.urn}/provision/catalogue/"
    data = {"add": "1", "name": "Lego therapy", "area": Intervention._meta.get_field("area").choices[0][0], "evidence": "moderate"}
    people = [world.people["senco"], world.people["deputy_senco"], world.people["send_admin"]] * 2
    with shared_database(tmp_path):
        results = post_at_once(people[:5], url, data)
        assert not [r for r in results if isinstance(r, Exception) or r.status_code >= 500], results
        assert Intervention.objects.filter(school=world.school, name="Lego therapy").count() == 1
        told = [r for r in results if r.status_code == 200]
        assert len(told) == 4 and all(MESSAGE_INTERVENTION_TAKEN in r.content.decode() for r in told)


class NameForm(forms.Form):
    name = forms.CharField()


def test_a_name_taken_between_the_check_and_the_insert_is_a_form_message_not_an_error(db):
    """The moment the page cannot show by itself: the check saw the name free, then the insert met the constraint."""
    form = NameForm({"name": "Lego therapy"})
    assert form.is_valid()
    answers = iter([False, True])

    def insert():
        raise IntegrityError("UNIQUE constraint failed: provision_intervention.school_id, provision_intervention.name")

    assert not saved_unless_taken(form, "name", "Taken.", insert, taken=lambda: next(answers))
    assert form.errors["name"] == ["Taken."]


def test_any_other_fault_on_insert_is_not_hidden_as_a_taken_name(db):
    form = NameForm({"name": "Lego therapy"})
    assert form.is_valid()

    def insert():
        raise IntegrityError("NOT NULL constraint failed")

    with pytest.raises(IntegrityError):
        saved_unless_taken(form, "name", "Taken.", insert, taken=lambda: False)
