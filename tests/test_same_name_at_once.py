"""Two people adding a catalogue entry with the same name at once: one entry, and a form message for the other."""

import pytest

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
