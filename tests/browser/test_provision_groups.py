"""In a browser: the teaching assistant who runs a group takes its register for every pupil in it, and the LA
officer's register gives counts without percentages; each page scanned with axe-core."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from sencohub.provision.catalogue import catalogue_seed
from sencohub.provision.models import Attendance, Intervention, PayBand, Provision
from tests.browser.conftest import assert_accessible, sign_in
from tests.factories import PupilFactory, put_on_register

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_teaching_assistant_who_runs_a_group_takes_its_register_for_all_six(page, world):
    catalogue_seed(world.school)
    today = timezone.localdate()
    pupils = [world.pupil_support, world.pupil_ehc] + [
        put_on_register(PupilFactory(school=world.school, class_group=group, surname=name, forename="Sam"), "K", "SpLD")
        for name, group in [("Ashdown", world.class_3a), ("Birtles", world.class_3a), ("Cray", world.class_4b), ("Dunmore", world.class_4b)]
    ]  # fmt: skip
    provision = Provision.objects.create(
        school=world.school, intervention=Intervention.objects.get(school=world.school, name="Reading fluency"),
        name="Reading group", pay_band=PayBand.objects.create(school=world.school, name="TA", hourly_pence=1540),
        starts_on=today - dt.timedelta(days=7), ends_on=today + dt.timedelta(days=7), sessions_per_week=5, minutes=20,
        days=str(today.weekday()) if today.weekday() < 5 else "",
    )  # fmt: skip
    provision.pupils.set(pupils)
    provision.run_by.add(world.people["teaching_assistant"])
    sign_in(page, "ta@alder.test")
    page.goto(f"/schools/{world.school.urn}/sessions/")
    assert_accessible(page)
    page.get_by_role("button", name="Take the register for Reading group").click()
    who = page.get_by_role("group", name="Who was there")
    expect(who.get_by_role("checkbox")).to_have_count(6)
    who.get_by_role("checkbox", name="Sam Ashdown").uncheck()
    assert_accessible(page)
    page.get_by_role("button", name="Save the register").click()
    expect(page.get_by_text("Register saved for Reading group: 5 of 6 there.")).to_be_visible()
    assert Attendance.objects.filter(session__provision=provision).count() == 6


def test_the_la_officers_register_page_shows_no_percentages_of_the_pupils_they_see(page, world):
    sign_in(page, "officer@bristol.test")
    page.goto(f"/schools/{world.school.urn}/register/")
    expect(page.get_by_text("no percentages are shown")).to_be_visible()
    expect(page.get_by_text("%")).to_have_count(0)
    assert_accessible(page)
