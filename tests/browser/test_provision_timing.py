"""In a browser: a provision's timing entered once (three days ticked give three sessions a week, and saving it
unchanged changes nothing), the clashes summarised above the provisions, and the impact page read at a glance in a
1280 px window; each page scanned with axe-core."""

import datetime as dt

import pytest
from auditlog.models import LogEntry
from django.forms.models import model_to_dict
from playwright.sync_api import expect

from sencohub.provision.catalogue import catalogue_seed
from sencohub.provision.models import Enrolment, Intervention, PayBand, Provision
from tests.browser.conftest import assert_accessible, sign_in
from tests.factories import PupilFactory, put_on_register

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _snapshot(provision):
    provision.refresh_from_db()
    return (
        model_to_dict(provision, exclude=["pupils"]) | {"run_by": sorted(u.pk for u in provision.run_by.all())},
        sorted(Enrolment.objects.filter(provision=provision).values_list("pupil_id", "joined_on", "left_on")),
        LogEntry.objects.exclude(action=LogEntry.Action.ACCESS).count(),  # reading the page is audited; no change is
    )


def test_the_senco_ticks_three_days_once_and_saving_unchanged_changes_nothing(page, world):
    catalogue_seed(world.school)
    PayBand.objects.create(school=world.school, name="Teaching assistant", hourly_pence=1540)
    PayBand.objects.create(school=world.school, name="Higher level teaching assistant", hourly_pence=1820)
    sign_in(page, "senco@alder.test")
    page.goto(f"/schools/{world.school.urn}/provision/groups/new/")
    expect(page.get_by_label("Sessions a week")).to_have_count(0)  # worked out from the days
    page.get_by_label("Intervention").select_option(label="Reading fluency")
    page.get_by_label("Group name").fill("Reading group")
    page.get_by_label("Wave 3: specialist").check()
    page.get_by_label("Wave 2: targeted").check()
    staff = page.get_by_role("group", name="Staff who run it", exact=False)
    staff.get_by_role("checkbox").nth(0).check()
    staff.get_by_role("checkbox").nth(1).check()
    page.get_by_label("Pay band").select_option(label="Higher level teaching assistant (£18.20 an hour)")
    page.get_by_label("Pay band").select_option(label="Teaching assistant (£15.40 an hour)")
    days = page.get_by_role("group", name="Days", exact=True)
    for day in ("Monday", "Tuesday", "Wednesday", "Thursday"):
        days.get_by_role("checkbox", name=day).check()
    days.get_by_role("checkbox", name="Tuesday").uncheck()
    page.get_by_label("Start time").fill("09:10")
    page.get_by_label("Minutes a session").fill("20")
    page.get_by_label("Notes about timing").fill("Mon and Wed in the library")
    page.get_by_label("Start", exact=True).fill("2026-09-07")
    page.get_by_label("End", exact=True).fill("2027-07-16")
    pupils = page.get_by_role("group", name="Pupils", exact=False)
    pupils.get_by_role("checkbox", name="Ada Quillfeather", exact=False).check()
    pupils.get_by_role("checkbox", name="Ben Marchbanks", exact=False).check()
    page.get_by_role("button", name="Save", exact=True).click()
    # Notes that give days would say it twice: refused on that field, with what was typed kept.
    expect(page.get_by_role("link", name="Notes about timing cannot give days, times or lengths", exact=False)).to_be_visible()
    assert_accessible(page)
    expect(page.get_by_role("group", name="Days", exact=True).get_by_role("checkbox", checked=True)).to_have_count(3)
    page.get_by_label("Notes about timing").fill("In the library; bring reading records")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("Reading group was saved.")).to_be_visible()
    provision = Provision.objects.get(name="Reading group")
    assert provision.days == "023" and provision.sessions_per_week == 3 and provision.minutes == 20
    assert provision.starts_at == dt.time(9, 10) and provision.run_by.count() == 2 and provision.pupils.count() == 2
    card = page.get_by_role("region", name="Reading group")
    expect(card.get_by_text("Monday, Wednesday and Thursday at 09:10, 20 minutes a session (3 a week)", exact=False)).to_be_visible()
    expect(card.get_by_text("In the library; bring reading records")).to_be_visible()
    assert_accessible(page)

    before = _snapshot(provision)
    page.get_by_role("link", name="Change Reading group").click()
    for day in ("Monday", "Wednesday", "Thursday"):
        expect(page.get_by_role("group", name="Days", exact=True).get_by_role("checkbox", name=day)).to_be_checked()
    assert_accessible(page)
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("Reading group was saved.")).to_be_visible()
    assert _snapshot(provision) == before


def _measured_groups(world):
    """A standardised-score group and a reading-age group, with long names, so the page has something to fit."""
    catalogue_seed(world.school)
    band = PayBand.objects.create(school=world.school, name="Teaching assistant", hourly_pence=1540)
    extra = [
        put_on_register(PupilFactory(school=world.school, class_group=world.class_3a, surname=s, forename="Sam"), "K", "SpLD")
        for s in ("Ashdown", "Birtles", "Cray")
    ]  # fmt: skip
    pupils = [world.pupil_support, world.pupil_ehc, *extra]
    made = []
    for name, measure, start, days in (("Reading fluency", "standardised", (9, 0), "024"), ("Phonics catch-up", "reading_age", (9, 10), "02")):
        provision = Provision.objects.create(
            school=world.school, intervention=Intervention.objects.get(school=world.school, name=name),
            name=f"{name} group for Years 3 and 4, autumn and spring terms", staff="Mrs Patel", pay_band=band, days=days,
            starts_at=dt.time(*start), starts_on=dt.date(2026, 9, 7), ends_on=dt.date(2027, 3, 26),
            sessions_per_week=len(days), minutes=20,
        )  # fmt: skip
        for index, pupil in enumerate(pupils):
            Enrolment.objects.create(provision=provision, pupil=pupil, measure=measure, entry_value=80 + 3 * index,
                                     entry_on=dt.date(2026, 9, 7), exit_value=86 + 4 * index, exit_on=dt.date(2026, 12, 14))  # fmt: skip
        made.append(provision)
    return made


def test_the_provisions_page_counts_its_clashes_by_kind_with_each_behind_a_disclosure(page, world):
    _measured_groups(world)
    sign_in(page, "senco@alder.test")
    page.goto(f"/schools/{world.school.urn}/provision/groups/")
    expect(page.get_by_text("clashes in the timetable", exact=False)).to_be_visible()
    counts = page.locator("#clash-counts li")
    expect(counts).to_have_text([
        "1 staff clash: someone is down for two groups at the same time",
        "5 pupil clashes: a pupil is down for two groups at the same time",
        "2 groups missing the same lesson: a group meets at the same time every week for more than 6 weeks",
    ])  # fmt: skip
    message = page.get_by_text("Mrs Patel is down for", exact=False)
    expect(message).to_be_hidden()
    assert_accessible(page)
    page.get_by_text("See each clash").click()
    expect(message).to_be_visible()
    expect(page.get_by_text("Ada Quillfeather is in", exact=False)).to_be_visible()
    assert_accessible(page)


def test_the_impact_page_fits_1280_pixels_groups_scales_and_explains_effect_size(page, world):
    _measured_groups(world)
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, "senco@alder.test")
    page.goto(f"/schools/{world.school.urn}/provision/impact/")
    expect(page.get_by_role("heading", name="Which provision works")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    for region in page.locator(".sh-scroll").all():  # no table scrolls sideways inside the page either
        assert region.evaluate("r => r.scrollWidth <= r.clientWidth")
    expect(page.get_by_role("heading", level=2, name="Standardised score")).to_be_visible()
    expect(page.get_by_role("heading", level=2, name="Reading age (months)")).to_be_visible()
    standardised = page.get_by_role("table", name="Impact, cost and attendance: standardised score")
    expect(standardised.get_by_role("columnheader", name="Ratio gain")).to_have_count(0)
    expect(page.get_by_role("table", name="Impact, cost and attendance: reading age (months)").get_by_role("columnheader", name="Ratio gain")).to_be_visible()
    expect(page.locator("#effect-size-meaning")).to_have_text(
        "Effect size says how far the group's average moved, counted in the usual spread of its pupils' scores: "
        "about 0.2 is a small change, 0.5 a medium one and 0.8 or more a large one, and the interval beside it "
        "shows how sure that figure is."
    )
    menu = page.get_by_role("navigation", name="Provision map")
    expect(menu.get_by_role("link", name="Pay bands")).to_be_visible()
    assert_accessible(page)
    menu.get_by_role("link", name="Pay bands").click()
    expect(page.get_by_role("heading", name="Pay bands")).to_be_visible()
