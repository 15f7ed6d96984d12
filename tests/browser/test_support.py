"""The graduated approach in a real browser: plan, evidence as a teacher, review, next cycle; axe on each page."""

import pytest
from playwright.sync_api import expect

from sencohub.support.models import SupportPlan
from tests.browser.conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_whole_cycle(page, browser, live_server, world):
    sign_in(page, "senco@alder.test")
    page.goto(f"/schools/{world.school.urn}/pupils/{world.pupil_support.upn}/")
    page.get_by_role("link", name="Support plans").click()
    assert_accessible(page)
    page.get_by_role("button", name="Start a support plan").click()
    expect(page.get_by_role("heading", name="Support plan 1")).to_be_visible()
    assert_accessible(page)
    page.locator("#id_outcomes-0-what").fill("Reads 40 words a minute from a year 3 book")
    page.locator("#id_outcomes-0-success_criteria").fill("Three timed readings in a row")
    page.locator("#id_outcomes-0-by_when").fill("2026-12-18")
    page.locator("#id_strategies-0-text").fill("Pre-teach the week's vocabulary")
    page.locator("#id_strategies-0-owner").fill("Class teacher")
    page.get_by_role("button", name="Save the plan").click()
    expect(page.get_by_text("The support plan was saved.")).to_be_visible()
    expect(page.get_by_role("heading", name="Reads 40 words a minute from a year 3 book")).to_be_visible()
    assert_accessible(page)

    teacher = browser.new_context(base_url=live_server.url, locale="en-GB").new_page()
    sign_in(teacher, "teacher@alder.test")
    teacher.goto(f"/schools/{world.school.urn}/my-pupils/")
    expect(teacher.get_by_text("Pre-teach the week's vocabulary")).to_be_visible()
    assert_accessible(teacher)
    teacher.get_by_role("link", name="Record evidence for Ada Quillfeather").click()
    assert_accessible(teacher)
    teacher.get_by_label("What you saw").fill("Read 36 words a minute today.")
    teacher.get_by_role("button", name="Save").click()
    expect(teacher.get_by_text("Your evidence was recorded.")).to_be_visible()
    teacher.context.close()

    page.reload()
    expect(page.get_by_text("Read 36 words a minute today.")).to_be_visible()
    page.get_by_role("button", name="Review the plan").click()
    expect(page.get_by_role("heading", name="Review support plan 1")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Partly achieved").check()
    page.get_by_label("The pupil's views").fill("Reading is getting easier.")
    page.get_by_label("Continue with a new cycle").check()
    page.get_by_role("button", name="Record the review").click()
    expect(page.get_by_role("heading", name="Support plan 2")).to_be_visible()
    expect(page.locator("#id_outcomes-0-what")).to_have_value("Reads 40 words a minute from a year 3 book")
    assert SupportPlan.objects.filter(pupil=world.pupil_support).count() == 2


def test_print_plans_and_work_with_parents(page, world):
    from sencohub.support.models import Outcome
    from sencohub.support.services import plan_start

    plan = plan_start(pupil=world.pupil_support)
    Outcome.objects.create(plan=plan, what="Reads 40 words a minute", success_criteria="Three timed readings")
    sign_in(page, "senco@alder.test")
    page.get_by_role("link", name="Plans and reviews").click()
    page.get_by_role("link", name="Print plans").click()
    expect(page.get_by_role("heading", name="Print plans or passports")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Make the file").click()
    expect(page.get_by_role("heading", name="Your file is ready")).to_be_visible()
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("button", name="Download").click()
    assert download.value.suggested_filename.endswith(".pdf")

    page.goto(f"/schools/{world.school.urn}/pupils/{world.pupil_support.upn}/parents/")
    expect(page.get_by_role("heading", name="Working with parents")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Who came").fill("Mother and class teacher")
    page.get_by_role("button", name="Record the meeting").click()
    expect(page.get_by_text("The meeting was recorded.")).to_be_visible()
    page.goto(f"/schools/{world.school.urn}/pupils/{world.pupil_support.upn}/passport/edit/")
    assert_accessible(page)
    page.get_by_label("How best to support me").fill("Give me time to answer.")
    page.get_by_role("button", name="Save the passport").click()
    expect(page.get_by_text("Give me time to answer.")).to_be_visible()
    assert_accessible(page)


def test_a_register_on_a_phone(browser, live_server, world):
    import datetime as dt

    from django.core.cache import cache
    from django.utils import timezone

    from sencohub.provision.catalogue import catalogue_seed
    from sencohub.provision.models import Attendance, Intervention, PayBand, Provision
    from tests.browser.conftest import totp_code

    cache.clear()
    catalogue_seed(world.school)
    band = PayBand.objects.create(school=world.school, name="Teaching assistant", hourly_pence=1540)
    group = Provision.objects.create(
        school=world.school, intervention=Intervention.objects.get(school=world.school, name="Reading fluency"),
        name="Reading group", staff="Mrs Patel", pay_band=band, starts_on=timezone.localdate() - dt.timedelta(days=7),
        ends_on=timezone.localdate() + dt.timedelta(days=60), sessions_per_week=3, minutes=20,
    )  # fmt: skip
    group.pupils.set([world.pupil_ehc])
    context = browser.new_context(base_url=live_server.url, locale="en-GB", viewport={"width": 375, "height": 740},
                                  is_mobile=True, has_touch=True)  # fmt: skip
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill("ta@alder.test")
    page.get_by_label("Password").fill("correct-horse-battery")
    page.get_by_role("button", name="Sign in").click()
    page.get_by_label("Authenticator code").fill(totp_code())
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"/schools/{world.school.urn}/sessions/")
    assert_accessible(page)
    page.get_by_role("button", name="Take the register for Reading group").click()
    assert_accessible(page)
    page.get_by_label("Ben Marchbanks").uncheck()
    page.get_by_label("Note").fill("Ben at the dentist")
    page.get_by_role("button", name="Save the register").click()
    expect(page.get_by_text("Register saved for Reading group: 0 of 1 there.")).to_be_visible()
    assert not Attendance.objects.get(pupil=world.pupil_ehc).present
    context.close()


def test_provision_map_from_catalogue_to_impact(page, world):
    sign_in(page, "senco@alder.test")
    page.get_by_role("link", name="Provision", exact=True).click()
    page.get_by_role("link", name="Provision map").click()
    assert_accessible(page)
    page.get_by_role("link", name="Catalogue").click()
    page.get_by_role("button", name="Add the common interventions").click()
    expect(page.get_by_role("cell", name="Phonics catch-up")).to_be_visible()
    assert_accessible(page)
    page.goto(f"/schools/{world.school.urn}/provision/pay-bands/")
    page.get_by_label("Name").fill("Teaching assistant")
    page.get_by_label("Hourly cost, £").fill("15.40")
    page.get_by_role("button", name="Save the pay band").click()
    assert_accessible(page)
    page.goto(f"/schools/{world.school.urn}/provision/groups/new/")
    page.get_by_label("Intervention").select_option(label="Reading fluency")
    page.get_by_label("Group name").fill("Reading group")
    page.get_by_label("Delivered by").fill("Mrs Patel")
    page.get_by_label("Pay band").select_option(label="Teaching assistant (£15.40 an hour)")
    page.get_by_label("Start", exact=True).fill("2026-09-07")
    page.get_by_label("End", exact=True).fill("2027-07-16")
    days = page.get_by_role("group", name="Days", exact=True)
    for day in ("Monday", "Wednesday", "Friday"):
        days.get_by_role("checkbox", name=day).check()
    page.get_by_label("Minutes a session").fill("20")
    page.get_by_label("Ada Quillfeather").check()
    assert_accessible(page)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="Reading group")).to_be_visible()
    page.get_by_role("link", name="Measures for Reading group").click()
    assert_accessible(page)
    page.get_by_label("Measure", exact=True).select_option(label="Standardised score")
    page.get_by_label("On entry (optional)", exact=True).fill("85")
    page.get_by_role("button", name="Save the measures").click()
    expect(page.get_by_role("heading", name="Which provision works")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="The map").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Excel").click()
    assert download.value.suggested_filename.endswith(".xlsx")


def test_record_a_senco_appointment_and_qualification(page, world):
    sign_in(page, "senco@alder.test")
    page.goto(f"/schools/{world.school.urn}/senco/")
    assert_accessible(page)
    page.get_by_role("button", name="Record an appointment").click()
    assert_accessible(page)
    page.get_by_label("Name").fill("Sam Senco")
    page.get_by_label("Appointed on").fill("2025-01-06")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Not started", exact=True)).to_be_visible()
    # Neither QTS nor being the headteacher was recorded: the page says so, and what to do (CFA s.67, Regs 49).
    expect(page.get_by_text("No qualified teacher status is recorded.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Change Sam Senco's appointment").click()
    expect(page.get_by_text("A SENCo must be a qualified teacher working at the school")).to_be_visible()
    page.get_by_label("holds qualified teacher status (QTS)").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("No qualified teacher status is recorded.")).to_have_count(0)
    page.get_by_role("link", name="Add a qualification for Sam Senco").click()
    page.get_by_label("NPQ for SENCOs").check()
    page.get_by_label("Course started").fill("2025-03-03")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("In progress", exact=True)).to_be_visible()
    expect(page.get_by_text("due by 6 January 2028")).to_be_visible()
    assert_accessible(page)
