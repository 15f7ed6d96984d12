"""One rule for concerns: the concerns page, the pupil's timeline and the API show each role the same concerns
and the same triage notes, as docs/roles.md says (the SENCo and deputy every one; others only those they raised)."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from sencohub.register import services
from sencohub.register.models import Concern

# Who raised each concern, about whom, and whether the SENCo has written a note for them yet.
RAISED = [
    ("teacher", "pupil_support", "monitor"),
    ("teaching_assistant", "pupil_ehc", "nfa"),
    ("head", "pupil_none", "open"),
    ("senco", "pupil_ehc", "monitor"),
    ("outsider", "pupil_elsewhere", "monitor"),
]
PERSONAS = [
    "senco", "deputy_senco", "send_admin", "head", "teacher", "teaching_assistant", "governor", "parent",
    "external_professional", "trust_send_lead", "la_officer", "outsider", "system_admin",
]  # fmt: skip
OURS = {"teacher", "teaching_assistant", "head", "senco"}  # the raisers in the first school


def expected(persona: str) -> set[str]:
    """Written out by hand from docs/roles.md, so the rule is tested, not trusted."""
    if persona in ("senco", "deputy_senco"):
        return OURS
    if persona in ("teacher", "teaching_assistant", "head", "outsider"):
        return {persona}
    return set()


@pytest.fixture
def concerns(world):
    senco, outsider = world.people["senco"], world.people["outsider"]
    for raiser, pupil, decision in RAISED:
        concern = services.concern_raise(
            pupil=getattr(world, pupil), by=world.people[raiser], what_seen=f"Seen-by-{raiser}"
        )
        if decision != "open":
            by = outsider if raiser == "outsider" else senco
            status = Concern.Status.MONITOR if decision == "monitor" else Concern.Status.NO_FURTHER_ACTION
            services.concern_triage(concern=concern, by=by, decision=status, note=f"Note-for-{raiser}")
    return world


def markers(text: str) -> tuple[set[str], set[str]]:
    """Whose concerns (Seen-by-…) and whose triage notes (Note-for-…) a response shows."""
    return set(re.findall(r"Seen-by-([a-z_]+)", text)), set(re.findall(r"Note-for-([a-z_]+)", text))


def test_every_role_reads_the_same_concerns_and_notes_on_the_page_the_timeline_and_the_api(client, concerns):
    world = concerns
    pupils = [world.pupil_support, world.pupil_ehc, world.pupil_none, world.pupil_elsewhere]
    with_notes = {raiser for raiser, _, decision in RAISED if decision != "open"}
    problems = []
    for persona in PERSONAS:
        client.force_login(world.people[persona])
        page, timeline, api = (set(), set()), (set(), set()), (set(), set())
        for school in (world.school, world.other_school):
            response = client.get(reverse("concerns", args=[school.urn]))
            if response.status_code == 200:
                page = tuple(a | b for a, b in zip(page, markers(response.content.decode()), strict=True))
            response = client.get(f"/api/v1/schools/{school.urn}/concerns")
            if response.status_code == 200:
                items = response.json()["items"]
                api = tuple(
                    a | b
                    for a, b in zip(
                        api,
                        markers(" ".join(i["what_seen"] + " " + i["triage_note"] for i in items)),
                        strict=True,
                    )
                )
        for pupil in pupils:
            response = client.get(reverse("pupil", args=[pupil.school.urn, pupil.upn]))
            if response.status_code == 200:
                timeline = tuple(
                    a | b for a, b in zip(timeline, markers(response.content.decode()), strict=True)
                )
        want = (expected(persona), expected(persona) & with_notes)
        for channel, seen in (("concerns page", page), ("timeline", timeline), ("API", api)):
            if seen != want:
                problems.append(f"{persona} on the {channel} read concerns {sorted(seen[0])} and notes {sorted(seen[1])}, "
                                f"not {sorted(want[0])} and {sorted(want[1])}")  # fmt: skip
    assert not problems, "\n".join(problems)


def test_a_teacher_who_sees_the_pupil_reads_no_concern_raised_by_someone_else(client, concerns):
    world = concerns
    client.force_login(
        world.people["teacher"]
    )  # teaches class 3A, where the head raised a concern about Cara
    body = client.get(reverse("pupil", args=[world.school.urn, world.pupil_none.upn])).content.decode()
    assert world.pupil_none.surname in body and "Seen-by-head" not in body


def test_the_support_plan_page_lists_only_the_concerns_its_reader_may_read(client, concerns):
    from sencohub.support.models import SupportPlan

    world = concerns
    plan = SupportPlan.objects.create(pupil=world.pupil_support, school=world.school, starts_on=dt.date(2026, 9, 7),
                                      review_on=dt.date(2026, 12, 18))  # fmt: skip
    url = reverse("support_plan_edit", args=[world.school.urn, world.pupil_support.upn, plan.pk])
    for persona, shown in (("senco", {"teacher"}), ("send_admin", set())):
        client.force_login(world.people[persona])
        response = client.get(url)
        assert response.status_code == 200
        assert markers(response.content.decode())[0] == shown, persona
