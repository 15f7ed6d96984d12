"""Section F wording checks: each vague phrase is found, with its reason; specific wording passes."""

import pytest

from sencohub.ehcp.models import EhcPlan
from sencohub.ehcp.wording import vague_phrases


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("Access to a speech and language therapist.", "Access to"),
        ("Opportunities for social interaction at lunchtime.", "Opportunities for"),
        ("Regular sessions with a teaching assistant.", "Regular"),
        ("Sensory breaks as required.", "as required"),
        ("Up to 10 hours of support a week.", "Up to"),
        ("Small group work in English.", "Small group"),
        ("Pre-teaching of vocabulary where possible.", "where possible"),
        ("Progress will be monitored by the class teacher.", "monitored"),
    ],
)
def test_vague_phrases_are_flagged_with_a_reason(text, phrase):
    flags = vague_phrases(text)
    assert [f.phrase for f in flags] == [phrase]
    assert flags[0].reason and phrase in flags[0].excerpt


def test_specific_provision_passes():
    text = ("Three 30-minute sessions a week of speech and language therapy, delivered by a teaching assistant "
            "trained by the therapist, in a group of no more than 4 pupils; the therapist reviews targets each term.")  # fmt: skip
    assert vague_phrases(text) == []


def test_the_plan_page_lists_the_flags(client, world):
    plan = EhcPlan.objects.get(pupil=world.pupil_ehc)
    plan.section_f = "Access to a quiet space as needed. Daily 20-minute reading session with a teaching assistant."
    plan.save()
    client.force_login(world.people["senco"])
    page = client.get(f"/schools/{world.school.urn}/pupils/{world.pupil_ehc.upn}/ehc/plans/{plan.pk}/").content.decode()
    assert "Section F wording to make specific" in page
    assert "Access to" in page and "as needed" in page
