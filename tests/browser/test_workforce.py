"""The SENCo workforce in a browser: log a week's time, train the staff, the headteacher's confirmation, the
governors' summary and the trust dashboard, each page scanned with axe-core."""

import datetime as dt
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from sencohub.workforce.models import Appointment, Qualification
from tests.browser.conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_log_a_week_of_senco_time(page, world):
    senco = Appointment.objects.create(school=world.school, name="Sam Senco", user=world.people["senco"], starts_on=dt.date(2025, 1, 6),
                                       protected_hours=Decimal(8), hours_per_week=Decimal(20))  # fmt: skip
    sign_in(page, "senco@alder.test")
    page.goto(f"/schools/{world.school.urn}/senco/")
    page.get_by_role("link", name="Time log of Sam Senco").click()
    expect(page.get_by_text("No weeks logged in this school year yet.")).to_be_visible()
    page.get_by_role("button", name="Log this week").click()
    assert_accessible(page)
    page.get_by_label("Strategic leadership").fill("2")
    page.get_by_label("Direct work with pupils").fill("4")
    page.get_by_label("Administration").fill("99")
    page.get_by_role("button", name="Save the week").click()
    expect(page.get_by_role("alert").get_by_text("That adds up to 105.0 hours in one week; check the figures.")).to_be_visible()
    assert_accessible(page)  # the error state too
    page.get_by_label("Administration").fill("6")
    page.get_by_label("EHC paperwork").fill("3")
    page.get_by_label("of which in protected time").fill("5")
    page.get_by_role("button", name="Save the week").click()
    expect(page.get_by_text("The week was saved.")).to_be_visible()
    expect(page.get_by_role("listitem").filter(has_text="40.0% on administration")).to_be_visible()  # 6 of 15 hours
    expect(page.get_by_role("listitem").filter(has_text="60.0% on administration and EHC paperwork")).to_be_visible()
    expect(page.get_by_role("img", name="Hours by category this school year")).to_be_visible()
    assert_accessible(page)
    assert senco.weeks.count() == 1


def test_train_the_staff_and_the_headteacher_confirms(page, browser, live_server, world):
    teacher = world.people["teacher"]
    sign_in(page, "senco@alder.test")
    page.goto(f"/schools/{world.school.urn}/training/")
    expect(page.get_by_text("no member of staff has had training in it").first).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Record a training session").click()
    page.get_by_label("Topic").fill("Autism in the classroom")
    page.get_by_label("Communication and interaction").check()
    page.get_by_label("Date").fill("2026-10-07")
    page.get_by_label("Length in minutes").fill("60")
    page.get_by_label(teacher.get_full_name()).check()
    page.get_by_role("button", name="Save the session").click()
    expect(page.get_by_text("The training session was saved.")).to_be_visible()
    page.get_by_label(f"{teacher.get_full_name()}: before").select_option("2")
    page.get_by_role("button", name="Save the ratings").click()
    expect(page.get_by_text("The confidence ratings were saved.")).to_be_visible()
    assert_accessible(page)

    # The teacher rates how confident they feel now, on their own page.
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    other = context.new_page()
    sign_in(other, "teacher@alder.test")
    other.goto(f"/schools/{world.school.urn}/my-training/")
    other.get_by_label("Now, after Autism in the classroom").select_option("4")
    assert_accessible(other)
    other.get_by_role("button", name="Save my ratings").click()
    expect(other.get_by_text("Your confidence ratings were saved.")).to_be_visible()
    context.close()

    page.goto(f"/schools/{world.school.urn}/training/")
    expect(page.get_by_role("cell", name="2.0 → 4.0").first).to_be_visible()

    # The headteacher confirms they are satisfied the SENCo is working towards the qualification.
    senco = Appointment.objects.create(school=world.school, name="Sam Senco", starts_on=dt.date(2025, 1, 6))
    Qualification.objects.create(appointment=senco, kind="npq", started_on=dt.date(2025, 3, 3))
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    head = context.new_page()
    sign_in(head, "head@alder.test")
    head.goto(f"/schools/{world.school.urn}/senco/")
    assert_accessible(head)
    head.get_by_label("I am satisfied that the SENCo is working towards the qualification").check()
    head.get_by_role("button", name="Confirm for Sam Senco").click()
    expect(head.get_by_text("You confirmed that Sam Senco is working towards the qualification.")).to_be_visible()
    context.close()


def test_the_governors_summary_and_the_trust_dashboard(page, browser, live_server, world):
    Appointment.objects.create(school=world.school, name="Sam Senco", starts_on=dt.date(2025, 1, 6), protected_hours=Decimal(6))
    Appointment.objects.create(school=world.school, name="Former Senco", starts_on=dt.date(2015, 9, 1), ends_on=dt.date(2024, 12, 20),
                               leaving_reason="retired")  # fmt: skip
    sign_in(page, "governor@alder.test")
    page.goto("/")
    page.get_by_role("link", name="SENCo summary for governors").first.click()
    expect(page.get_by_role("heading", name="The SENCo role: a summary for governors")).to_be_visible()
    expect(page.get_by_text("Sam Senco")).to_have_count(0)
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download as PDF").click()
    assert download.value.suggested_filename.endswith(".pdf")

    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    lead = context.new_page()
    sign_in(lead, "lead@alder-trust.test")
    lead.goto("/sencos/")
    expect(lead.get_by_role("heading", name="SENCos across your schools")).to_be_visible()
    expect(lead.get_by_role("cell", name="Retired")).to_be_visible()
    expect(lead.get_by_role("cell", name="Sam Senco, since Jan 2025")).to_be_visible()
    assert_accessible(lead)
    with lead.expect_download() as download:
        lead.get_by_role("link", name="anonymised counts as CSV").click()
    text = open(download.value.path(), encoding="utf-8").read()
    assert "Sam Senco" not in text and ",c" in text
    context.close()
