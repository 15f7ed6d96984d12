"""Multiple-choice forms keep what they show: a provision's pupils and days, a training session's attendees.

Opened and saved without a change, nothing is lost; saved with several boxes ticked, exactly those are kept.
Every multiple choice in the code is drawn as GOV.UK checkboxes in a fieldset whose legend names the question.
"""

import ast
import datetime as dt
import pathlib

import pytest
from django.utils import timezone
from playwright.sync_api import expect

import sencohub
from sencohub.provision.catalogue import catalogue_seed
from sencohub.provision.models import Enrolment, Intervention, PayBand, Provision
from sencohub.schools.models import Membership
from sencohub.workforce.models import TrainingAttendance, TrainingSession
from tests.browser.conftest import assert_accessible, sign_in
from tests.factories import PupilFactory, put_on_register

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _group_of_four(world) -> Provision:
    catalogue_seed(world.school)
    band = PayBand.objects.create(school=world.school, name="Teaching assistant", hourly_pence=1540)
    extra = [
        put_on_register(PupilFactory(school=world.school, class_group=world.class_4b, surname="Pennyworth", forename="Eli"), "K", "SpLD"),
        put_on_register(PupilFactory(school=world.school, class_group=world.class_3a, surname="Ashdown", forename="Fay"), "K", "MLD"),
    ]  # fmt: skip
    put_on_register(PupilFactory(school=world.school, class_group=world.class_3a, surname="Holloway", forename="Gil"), "K", "SLCN")
    provision = Provision.objects.create(
        school=world.school, intervention=Intervention.objects.get(school=world.school, name="Reading fluency"),
        name="Reading group", staff="Mrs Patel", pay_band=band, days="024", starts_on=dt.date(2026, 9, 7),
        ends_on=dt.date(2026, 12, 18), sessions_per_week=3, minutes=20,
    )  # fmt: skip
    provision.run_by.add(world.people["teaching_assistant"], world.people["teacher"])
    for index, pupil in enumerate([world.pupil_support, world.pupil_ehc, *extra]):
        Enrolment.objects.create(provision=provision, pupil=pupil, measure="standardised", entry_value=80 + index,
                                 entry_on=dt.date(2026, 9, 7), exit_value=90 + index, exit_on=dt.date(2026, 12, 14))  # fmt: skip
    return provision


def _enrolments(provision):
    return sorted(Enrolment.objects.filter(provision=provision).values_list(
        "pupil__surname", "measure", "entry_value", "entry_on", "exit_value", "exit_on"))  # fmt: skip


def _in_the_group(provision):
    return sorted(Enrolment.objects.current().filter(provision=provision).values_list("pupil__surname", flat=True))


def test_a_provision_saved_unchanged_keeps_its_four_pupils_their_measures_and_three_days(page, world):
    provision = _group_of_four(world)
    before = _enrolments(provision)
    sign_in(page, "senco@alder.test")
    page.goto(f"/schools/{world.school.urn}/provision/groups/{provision.pk}/")
    days = page.get_by_role("group", name="Days", exact=True)
    pupils = page.get_by_role("group", name="Pupils (optional)")
    for day in ("Monday", "Wednesday", "Friday"):
        expect(days.get_by_role("checkbox", name=day)).to_be_checked()
    for day in ("Tuesday", "Thursday"):
        expect(days.get_by_role("checkbox", name=day)).not_to_be_checked()
    expect(pupils.get_by_role("checkbox", checked=True)).to_have_count(4)
    expect(page.get_by_role("group", name="Staff who run it (optional)").get_by_role("checkbox", checked=True)).to_have_count(2)
    expect(page.get_by_role("radio", name="Monday")).to_have_count(0)  # checkboxes, not radios
    assert_accessible(page)
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("Reading group was saved.")).to_be_visible()
    provision.refresh_from_db()
    assert provision.days == "024"
    assert _in_the_group(provision) == ["Ashdown", "Marchbanks", "Pennyworth", "Quillfeather"]
    assert _enrolments(provision) == before  # the entry and exit measures too
    assert set(provision.run_by.all()) == {world.people["teaching_assistant"], world.people["teacher"]}


def test_a_provision_edited_with_several_boxes_ticked_keeps_exactly_those(page, world):
    provision = _group_of_four(world)
    sign_in(page, "senco@alder.test")
    page.goto(f"/schools/{world.school.urn}/provision/groups/{provision.pk}/")
    days = page.get_by_role("group", name="Days", exact=True)
    days.get_by_role("checkbox", name="Tuesday").check()
    days.get_by_role("checkbox", name="Friday").uncheck()
    pupils = page.get_by_role("group", name="Pupils (optional)")
    pupils.get_by_role("checkbox", name="Ada Quillfeather", exact=False).uncheck()
    pupils.get_by_role("checkbox", name="Gil Holloway", exact=False).check()
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("Reading group was saved.")).to_be_visible()
    provision.refresh_from_db()
    assert provision.days == "012"
    assert _in_the_group(provision) == ["Ashdown", "Holloway", "Marchbanks", "Pennyworth"]
    kept = {row[0]: row for row in _enrolments(provision)}
    assert kept["Marchbanks"][1:] == ("standardised", 81, dt.date(2026, 9, 7), 91, dt.date(2026, 12, 14))
    # Ada was taken out: her enrolment is ended today, not deleted, and keeps her measures
    assert kept["Quillfeather"][1:] == ("standardised", 80, dt.date(2026, 9, 7), 90, dt.date(2026, 12, 14))
    assert Enrolment.objects.get(provision=provision, pupil=world.pupil_support).left_on == timezone.localdate()
    page.goto(f"/schools/{world.school.urn}/provision/groups/")
    expect(page.get_by_text(f"Ada Quillfeather left the group on {timezone.localdate():%-d %b %Y}")).to_be_visible()
    assert_accessible(page)


def _training_with_three(world) -> TrainingSession:
    session = TrainingSession.objects.create(school=world.school, topic="Autism in the classroom", area_of_need="communication and interaction",
                                             held_on=dt.date(2026, 10, 7), minutes=60)  # fmt: skip
    for person, before in (("teacher", 2), ("teaching_assistant", 3), ("deputy_senco", None)):
        TrainingAttendance.objects.create(session=session, user=world.people[person], confidence_before=before)
    return session


def _attendance(session):
    return sorted(TrainingAttendance.objects.filter(session=session).values_list("user__email", "confidence_before", "confidence_after"))


def test_a_training_session_saved_unchanged_keeps_every_attendee_and_their_ratings(page, world):
    session = _training_with_three(world)
    before = _attendance(session)
    sign_in(page, "senco@alder.test")
    page.goto(f"/schools/{world.school.urn}/training/{session.pk}/")
    attendees = page.get_by_role("group", name="Who attended (optional)")
    expect(attendees.get_by_role("checkbox", checked=True)).to_have_count(3)
    assert_accessible(page)
    page.get_by_role("button", name="Save the session").click()
    expect(page.get_by_text("The training session was saved.")).to_be_visible()
    assert _attendance(session) == before


def test_a_training_session_edited_with_several_attendees_ticked_keeps_exactly_those(page, world):
    session = _training_with_three(world)
    sign_in(page, "senco@alder.test")
    page.goto(f"/schools/{world.school.urn}/training/{session.pk}/")
    attendees = page.get_by_role("group", name="Who attended (optional)")
    attendees.get_by_role("checkbox", name=world.people["deputy_senco"].get_full_name()).uncheck()
    attendees.get_by_role("checkbox", name=world.people["send_admin"].get_full_name()).check()
    attendees.get_by_role("checkbox", name=world.people["head"].get_full_name()).check()
    page.get_by_role("button", name="Save the session").click()
    expect(page.get_by_text("The training session was saved.")).to_be_visible()
    kept = {email: (b, a) for email, b, a in _attendance(session)}
    assert set(kept) == {world.people[p].email for p in ("teacher", "teaching_assistant", "send_admin", "head")}
    assert kept["teacher@alder.test"] == (2, None) and kept["ta@alder.test"] == (3, None)


def test_a_training_session_saved_unchanged_keeps_an_attendee_who_has_since_left_the_school(page, world):
    session = _training_with_three(world)
    Membership.objects.filter(user=world.people["deputy_senco"]).delete()  # the deputy has left
    before = _attendance(session)
    sign_in(page, "senco@alder.test")
    page.goto(f"/schools/{world.school.urn}/training/{session.pk}/")
    expect(page.get_by_role("group", name="Who attended (optional)").get_by_role("checkbox", checked=True)).to_have_count(3)
    page.get_by_role("button", name="Save the session").click()
    expect(page.get_by_text("The training session was saved.")).to_be_visible()
    assert _attendance(session) == before


def _multiple_choice_forms() -> set[str]:
    """Every module that names CheckboxSelectMultiple (outside the template tag that draws it)."""
    root = pathlib.Path(sencohub.__file__).parent
    found = set()
    for path in root.rglob("*.py"):
        if path.name == "govuk.py":
            continue
        tree = ast.parse(path.read_text())
        if any(isinstance(n, ast.Attribute) and n.attr == "CheckboxSelectMultiple" for n in ast.walk(tree)):
            found.add(str(path.relative_to(root)))
    return found


def test_every_multiple_choice_in_the_code_is_one_of_those_drawn_as_checkboxes_here():
    # A new form with a multiple choice fails here until it has its own save-unchanged test above.
    # pupils, days, staff; attendees; who attended an annual review (tests/browser/test_annual_review_preparation.py);
    # what carries over from a support plan review, several unticked at once (tests/browser/test_review_with_evidence.py)
    assert _multiple_choice_forms() == {"provision/forms.py", "workforce/forms.py", "ehcp/forms.py", "support/forms.py"}
