"""A SENCo sets when plans are reviewed, reviews a plan with each outcome's evidence in view, and starts the next
cycle dropping what is no longer needed; axe on each page."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from sencohub.provision.catalogue import catalogue_seed
from sencohub.provision.models import Attendance, Enrolment, Intervention, PayBand, Provision, Session
from sencohub.schools.models import Term
from sencohub.support.models import Evidence, Outcome, PlannedProvision, ReviewSchedule, Strategy, SupportPlan
from sencohub.support.services import plan_start
from tests.browser.conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_senco_chooses_when_plans_are_reviewed(page, world):
    today = timezone.localdate()
    Term.objects.create(school=world.school, name="This term", starts_on=today - dt.timedelta(days=70), ends_on=today + dt.timedelta(days=10))
    Term.objects.create(school=world.school, name="Next term", starts_on=today + dt.timedelta(days=24), ends_on=today + dt.timedelta(days=100))
    sign_in(page, "senco@alder.test")
    page.goto(f"/schools/{world.school.urn}/terms/")
    expect(page.get_by_text("the end of Next term, as This term ends within 6 weeks")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("A number of weeks after the start of the cycle").check()
    page.get_by_role("combobox", name="Number of weeks").select_option("8")
    page.get_by_role("button", name="Save the review schedule").click()
    expect(page.get_by_text("The review schedule was saved.")).to_be_visible()
    expect(page.get_by_text("8 weeks after the start of the cycle")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("combobox", name="Number of weeks").select_option("11")
    page.get_by_role("button", name="Save the review schedule").click()
    expect(page.get_by_text("11 weeks after the start of the cycle")).to_be_visible()
    assert (ReviewSchedule.objects.get().rule, ReviewSchedule.objects.get().weeks) == ("weeks", 11)
    page.get_by_label("At the end of the term").check()
    page.get_by_role("button", name="Save the review schedule").click()
    expect(page.get_by_text("the end of Next term, as This term ends within 6 weeks")).to_be_visible()
    assert ReviewSchedule.objects.get().rule == "term"


def _plan_with_evidence(world, today):
    catalogue_seed(world.school)
    band = PayBand.objects.create(school=world.school, name="Teaching assistant", hourly_pence=1540)
    group = Provision.objects.create(
        school=world.school, intervention=Intervention.objects.get(school=world.school, name="Reading fluency"),
        name="Reading group", staff="Mrs Patel", pay_band=band, days="024", starts_on=today - dt.timedelta(days=40),
        ends_on=today + dt.timedelta(days=40), sessions_per_week=3, minutes=20,
    )  # fmt: skip
    group.pupils.set([world.pupil_support])
    for days_ago, present in ((20, True), (18, True), (16, False)):
        session = Session.objects.create(provision=group, held_on=today - dt.timedelta(days=days_ago))
        Attendance.objects.create(session=session, pupil=world.pupil_support, present=present)
    Enrolment.objects.filter(provision=group, pupil=world.pupil_support).update(
        measure="standardised", entry_value=82, entry_on=today - dt.timedelta(days=40), exit_value=89, exit_on=today - dt.timedelta(days=2)
    )
    plan = plan_start(pupil=world.pupil_support, starts_on=today - dt.timedelta(days=42))
    reading = Outcome.objects.create(plan=plan, what="Reads 40 words a minute", success_criteria="Three timed readings in a row",
                                     baseline="28 words a minute", target="40 words a minute")  # fmt: skip
    Outcome.objects.create(plan=plan, what="Asks for help when stuck", baseline="Waits for an adult")
    Outcome.objects.create(plan=plan, what="Writes two sentences unaided", baseline="One sentence")
    Strategy.objects.create(plan=plan, text="Pre-teach the week's vocabulary", owner="Class teacher")
    Strategy.objects.create(plan=plan, text="Help cards on the desk", owner="All staff")
    PlannedProvision.objects.create(plan=plan, description="Reading group", provision=group, outcome=reading)
    PlannedProvision.objects.create(plan=plan, description="Lunchtime club", staff="Mr Khan")
    Evidence.objects.create(outcome=reading, pupil=world.pupil_support, noted_on=today - dt.timedelta(days=5), note="Read 36 words a minute today.")
    return plan


def test_a_review_with_the_evidence_beside_each_outcome_starts_the_next_cycle(page, world):
    today = timezone.localdate()
    plan = _plan_with_evidence(world, today)
    sign_in(page, "senco@alder.test")
    page.goto(f"/schools/{world.school.urn}/pupils/{world.pupil_support.upn}/support/")
    page.get_by_role("button", name="Review the plan").click()
    expect(page.get_by_role("heading", name="Review support plan 1")).to_be_visible()
    expect(page.get_by_text("Read 36 words a minute today.")).to_be_visible()
    expect(page.get_by_text("attended 2 of 3 sessions; standardised score 82 on entry, 89 on exit")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Record the review").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary.get_by_role("link", name="Select what happens next.")).to_be_visible()
    expect(summary.get_by_role("link", name="Select a result for outcome 2: Asks for help when stuck")).to_be_visible()
    expect(page.get_by_text("This field is required")).to_have_count(0)
    assert_accessible(page)

    outcome = {n: page.get_by_role("group", name=f"Result for outcome {n}", exact=False) for n in (1, 2, 3)}
    outcome[1].get_by_label("Partly achieved").check()
    outcome[2].get_by_label("Not achieved").check()
    outcome[3].get_by_label("Achieved", exact=True).check()
    page.get_by_label("Evidence for the result of outcome 2: Asks for help when stuck").fill("Asks a friend, not yet an adult")
    page.get_by_label("The pupil's views").fill("Reading is getting easier.")
    page.get_by_label("Refer to an outside agency, and continue").check()
    page.get_by_label("About the decision").fill("Referred to the speech and language therapy service.")
    carry_outcomes = page.get_by_role("group", name="Outcomes to carry over")
    carry_outcomes.get_by_label("Outcome 3: Writes two sentences unaided").uncheck()  # achieved: it would not carry anyway
    page.get_by_role("group", name="Strategies to carry over").get_by_label("Help cards on the desk").uncheck()
    page.get_by_role("group", name="Provision to carry over").get_by_label("Lunchtime club").uncheck()
    page.get_by_role("group", name="Strategies to carry over").get_by_label("Pre-teach the week's vocabulary").uncheck()
    page.get_by_role("button", name="Record the review").click()
    expect(page.get_by_text("The review was recorded.")).to_be_visible()

    nxt = SupportPlan.objects.get(pupil=world.pupil_support, status="current")
    assert nxt.cycle == 2 and nxt.previous_id == plan.pk
    outcomes = {o.what: o for o in nxt.outcomes.all()}
    assert set(outcomes) == {"Reads 40 words a minute", "Asks for help when stuck"}
    assert outcomes["Reads 40 words a minute"].baseline.startswith("Standardised score 89 on leaving Reading group")
    assert outcomes["Asks for help when stuck"].baseline == "Asks a friend, not yet an adult"
    assert all(o.by_when == nxt.review_on for o in outcomes.values())
    assert not nxt.strategies.exists()
    assert [p.description for p in nxt.provisions.all()] == ["Reading group"]
    reviewed = SupportPlan.objects.get(pk=plan.pk)
    assert reviewed.decision == "refer" and reviewed.decision_note == "Referred to the speech and language therapy service."
