"""Writing a support plan in one go in a real browser: rows added and removed on the page, the quality check
while writing, errors named by row, with JavaScript and without; axe on each state of the page."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from sencohub.provision.catalogue import catalogue_seed
from sencohub.provision.models import Intervention, PayBand, Provision
from sencohub.support.models import PlannedProvision, SupportPlan
from tests.browser.conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _on_the_map(world):
    """Two groups the pupil is in, so the provision list has more than one choice."""
    catalogue_seed(world.school)
    ta = PayBand.objects.create(school=world.school, name="Teaching assistant", hourly_pence=1540)
    today = dt.date.today()
    for name, intervention in (("Reading group", "Reading fluency"), ("Precision teaching group", "Precision teaching")):
        provision = Provision.objects.create(
            school=world.school, intervention=Intervention.objects.get(school=world.school, name=intervention),
            name=name, staff="Mrs Patel", pay_band=ta, starts_on=today - dt.timedelta(days=30),
            ends_on=today + dt.timedelta(days=60), sessions_per_week=3, minutes=20,
        )  # fmt: skip
        provision.pupils.set([world.pupil_support])


def test_a_senco_writes_a_plan_in_one_go(page, world):
    _on_the_map(world)
    sign_in(page, "senco@alder.test")
    page.goto(f"/schools/{world.school.urn}/pupils/{world.pupil_support.upn}/support/")
    page.get_by_role("button", name="Start a support plan").click()
    expect(page.get_by_role("heading", name="Support plan 1")).to_be_visible()
    expect(page.get_by_text("Nothing is saved until you save the plan")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Back to support plans").click()  # leaving the page leaves no plan behind
    expect(page.get_by_role("button", name="Start a support plan")).to_be_visible()
    assert not SupportPlan.objects.filter(pupil=world.pupil_support).exists()

    page.get_by_role("button", name="Start a support plan").click()
    page.locator("#id_assessment").fill("Reads two years behind; strong spoken vocabulary.")
    page.locator("#id_outcomes-0-what").fill("Reads 40 words a minute from a year 3 book")
    page.locator("#id_outcomes-0-success_criteria").fill("Three timed readings in a row")
    page.locator("#id_outcomes-0-by_when").fill((dt.date.today() + dt.timedelta(weeks=10)).isoformat())
    expect(page.locator("#plan-quality-summary")).to_have_text("Nothing to make clearer: the plan passes every check.")

    page.get_by_role("button", name="Add another outcome").click()
    expect(page.locator("#id_outcomes-1-what")).to_be_focused()
    expect(page.locator("#id_outcomes-0-what")).to_have_value("Reads 40 words a minute from a year 3 book")
    page.locator("#id_outcomes-1-what").fill("Improve confidence")
    page.locator("#id_outcomes-1-baseline").fill("Will not read aloud")  # a change: the quality check looks again
    expect(page.locator("#plan-quality-summary")).to_have_text("3 things to make this plan clearer.")  # a blank date is the review date
    expect(page.locator("#plan-quality")).to_contain_text("An outcome is only a direction")
    assert_accessible(page)
    page.get_by_role("button", name="Add another outcome").click()
    page.locator("#id_outcomes-2-what").fill("Spells 20 of the year 3 words")
    page.get_by_role("button", name="Remove outcome 3").click()
    expect(page.get_by_text("Outcome removed: it will not be in the plan when you save.")).to_be_visible()
    expect(page.locator("#id_outcomes-1-what")).to_have_value("Improve confidence")

    page.locator("#id_strategies-0-text").fill("Pre-teach the week's vocabulary")
    page.locator("#id_strategies-0-owner").fill("Class teacher")
    page.get_by_role("button", name="Add another strategy").click()
    page.locator("#id_strategies-1-text").fill("Reading ruler in every lesson")
    page.locator("#id_strategies-1-owner").fill("All staff")
    page.locator("#id_provisions-0-provision").select_option(label="Reading group")
    page.locator("#id_provisions-0-sessions_per_week").fill("3")
    page.get_by_role("button", name="Add another provision").click()
    page.locator("#id_provisions-1-provision").select_option(label="Precision teaching group")
    page.locator("#id_provisions-1-sessions_per_week").fill("1.5")
    page.get_by_role("button", name="Add another provision").click()
    page.locator("#id_provisions-2-provision").select_option(label="Not on the provision map")
    page.locator("#id_provisions-2-description").fill("Speech and language therapy")
    page.locator("#id_provisions-2-sessions_per_week").fill("1.25")
    page.locator("#id_outcomes-0-what").fill("")
    assert not SupportPlan.objects.filter(pupil=world.pupil_support).exists()  # nothing saved while writing

    page.get_by_role("button", name="Save the plan").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary.get_by_role("link", name="Outcome 1: enter what the pupil will achieve")).to_be_visible()
    expect(summary.get_by_role("link", name="Provision 3: enter the sessions a week to one decimal place at most, like 1.5")).to_be_visible()
    assert_accessible(page)
    summary.get_by_role("link", name="Outcome 1: enter what the pupil will achieve").click()
    expect(page.locator("#id_outcomes-0-what")).to_be_focused()
    page.locator("#id_outcomes-0-what").fill("Reads 40 words a minute from a year 3 book")
    page.locator("#id_provisions-2-sessions_per_week").fill("1")
    page.locator("#id_provisions-2-minutes").fill("45")
    page.get_by_role("button", name="Save the plan").click()
    expect(page.get_by_text("The support plan was saved.")).to_be_visible()
    expect(page.get_by_text("Reading group, 3 a week for 20 minutes")).to_be_visible()
    expect(page.get_by_text("Precision teaching group, 1.5 a week for 20 minutes")).to_be_visible()
    expect(page.get_by_text("Speech and language therapy, 1 a week for 45 minutes")).to_be_visible()
    assert_accessible(page)
    plan = SupportPlan.objects.get(pupil=world.pupil_support)
    assert [o.what for o in plan.outcomes.order_by("pk")] == [
        "Reads 40 words a minute from a year 3 book",
        "Improve confidence",
    ]
    assert plan.strategies.count() == 2 and plan.provisions.count() == 3


def test_without_javascript_rows_are_added_and_removed_by_sending_the_form(browser, live_server, world):
    # axe runs in the page's JavaScript, so these states are scanned with JavaScript on, in the test above.
    context = browser.new_context(base_url=live_server.url, locale="en-GB", java_script_enabled=False)
    page = context.new_page()
    sign_in(page, "senco@alder.test")
    page.goto(f"/schools/{world.school.urn}/pupils/{world.pupil_support.upn}/support/new/")
    page.locator("#id_outcomes-0-what").fill("Reads 40 words a minute from a year 3 book")
    page.locator("#id_provisions-0-description").fill("Reading group")
    page.locator("#id_provisions-0-sessions_per_week").fill("2.5")
    page.get_by_role("button", name="Add another outcome").click()
    expect(page.locator("#id_outcomes-1-what")).to_be_visible()
    expect(page.locator("#id_outcomes-0-what")).to_have_value("Reads 40 words a minute from a year 3 book")
    expect(page.locator(".govuk-error-summary")).to_have_count(0)
    page.locator("#id_outcomes-1-what").fill("Asks for help with 4-word sentences")
    page.get_by_role("button", name="Add another provision").click()
    page.locator("#id_provisions-1-description").fill("Lego therapy")
    page.get_by_role("button", name="Remove provision 2").click()
    expect(page.get_by_text("Provision removed: it will not be in the plan when you save.")).to_be_visible()
    expect(page.locator("#id_provisions-0-sessions_per_week")).to_have_value("2.5")
    assert not SupportPlan.objects.filter(pupil=world.pupil_support).exists()
    page.locator("#id_outcomes-1-baseline").press("Enter")  # Enter in a box saves the plan, never removes a row
    expect(page.get_by_text("The support plan was saved.")).to_be_visible()
    expect(page.get_by_text("Reading group, 2.5 a week")).to_be_visible()
    plan = SupportPlan.objects.get(pupil=world.pupil_support)
    assert plan.outcomes.count() == 2
    assert list(PlannedProvision.objects.filter(plan=plan).values_list("description", flat=True)) == ["Reading group"]
    context.close()
