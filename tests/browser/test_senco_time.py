"""The SENCo's time, measured: two support cycles and an EHC annual review done in a real browser, counting every
field typed and every fact typed that sencohub already held (docs/performance.md, "The SENCo's time").

A fact already held is any date, baseline, outcome, evidence note or name in the database when the job starts; a
field typed is a box filled in by hand (ticks and choices are not typing). The target is no fact typed twice."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from sencohub.ehcp.models import AnnualReview
from sencohub.provision.catalogue import catalogue_seed
from sencohub.provision.models import Attendance, Enrolment, Intervention, PayBand, Provision, Session
from sencohub.support.models import Evidence, Outcome, SupportPlan
from tests.browser.conftest import assert_accessible, sign_in
from tests.ehcp.test_review_preparation import prepared_review

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def facts_held() -> set[str]:
    """Every fact a SENCo might be tempted to type again, as it would be typed."""
    held = set()
    for plan in SupportPlan.objects.all():
        held |= {plan.review_on.isoformat(), plan.starts_on.isoformat(), plan.assessment}
    for o in Outcome.objects.all():
        held |= {o.what, o.baseline, o.target, o.success_criteria, o.result_note}
        if o.by_when:
            held.add(o.by_when.isoformat())
    held |= set(Evidence.objects.values_list("note", flat=True))
    for review in AnnualReview.objects.all():
        held |= set(review.attended or [])
    return {fact for fact in held if fact}


class Typing:
    """Fills boxes as a person types them, and counts what they typed that sencohub already held."""

    def __init__(self):
        self.typed: list[str] = []
        self.retyped: list[str] = []

    def into(self, locator, value: str) -> None:
        if value in facts_held():
            self.retyped.append(value)
        locator.fill(value)
        self.typed.append(value)


def _reading_group(world, today):
    catalogue_seed(world.school)
    band = PayBand.objects.create(school=world.school, name="Teaching assistant", hourly_pence=1540)
    group = Provision.objects.create(
        school=world.school, intervention=Intervention.objects.get(school=world.school, name="Reading fluency"),
        name="Reading group", staff="Mrs Patel", pay_band=band, days="024", starts_on=today - dt.timedelta(days=40),
        ends_on=today + dt.timedelta(days=60), sessions_per_week=3, minutes=20,
    )  # fmt: skip
    group.pupils.set([world.pupil_support])
    for days_ago, present in ((9, True), (7, True), (2, False)):
        session = Session.objects.create(provision=group, held_on=today - dt.timedelta(days=days_ago))
        Attendance.objects.create(session=session, pupil=world.pupil_support, present=present)
    Enrolment.objects.filter(provision=group, pupil=world.pupil_support).update(
        measure="standardised", entry_value=82, entry_on=today - dt.timedelta(days=40)
    )
    return group


def _review(page, typing: Typing, cycle: int, views: str) -> None:
    page.get_by_role("button", name="Review the plan").click()
    expect(page.get_by_role("heading", name=f"Review support plan {cycle}")).to_be_visible()
    page.get_by_role("group", name="Result for outcome 1", exact=False).get_by_label("Partly achieved").check()
    typing.into(page.get_by_label("The pupil's views"), views)
    page.get_by_label("Continue with a new cycle").check()
    page.get_by_role("button", name="Record the review").click()
    expect(page.get_by_text("The review was recorded.")).to_be_visible()


def test_two_support_cycles_and_an_annual_review_type_no_fact_twice(page, world):
    today = timezone.localdate()
    _reading_group(world, today)
    jobs = {}
    sign_in(page, "senco@alder.test")

    # Support plan 1, written in one go.
    typing = Typing()
    page.goto(f"/schools/{world.school.urn}/pupils/{world.pupil_support.upn}/support/")
    page.get_by_role("button", name="Start a support plan").click()
    typing.into(page.locator("#id_assessment"), "Reads two years behind; strong spoken vocabulary.")
    typing.into(page.locator("#id_outcomes-0-what"), "Reads 40 words a minute from a year 3 book")
    typing.into(page.locator("#id_outcomes-0-success_criteria"), "Three timed readings in a row")
    typing.into(page.locator("#id_outcomes-0-baseline"), "28 words a minute")
    typing.into(page.locator("#id_outcomes-0-target"), "40 words a minute")
    typing.into(page.locator("#id_strategies-0-text"), "Pre-teach the week's vocabulary")
    typing.into(page.locator("#id_strategies-0-owner"), "Class teacher")
    page.locator("#id_provisions-0-provision").select_option(label="Reading group")
    page.get_by_role("button", name="Save the plan").click()
    expect(page.get_by_text("The support plan was saved.")).to_be_visible()
    first = SupportPlan.objects.get(pupil=world.pupil_support)
    outcome = first.outcomes.get()
    assert outcome.by_when == first.review_on  # the by-when date, not typed
    assert first.review_on >= first.starts_on + dt.timedelta(weeks=6)  # a cycle long enough to show progress
    jobs["Write support plan 1"] = typing

    # The teacher's evidence, recorded in the classroom (their job, not the SENCo's).
    Evidence.objects.create(outcome=outcome, pupil=world.pupil_support, noted_on=today, note="Read 36 words a minute today.")
    Enrolment.objects.filter(pupil=world.pupil_support).update(exit_value=89, exit_on=today)

    # Review 1, with the evidence in view, carrying over into plan 2 without retyping.
    typing = Typing()
    page.goto(f"/schools/{world.school.urn}/pupils/{world.pupil_support.upn}/support/")
    _review(page, typing, 1, "Reading is getting easier.")
    second = SupportPlan.objects.get(pupil=world.pupil_support, status="current")
    carried = second.outcomes.get()
    assert carried.by_when == second.review_on and "89" in carried.baseline  # moved on and measured, not typed
    assert second.strategies.count() == 1 and second.provisions.get().provision is not None
    page.get_by_role("button", name="Save the plan").click()  # plan 2 as carried over, saved unchanged
    expect(page.get_by_text("The support plan was saved.")).to_be_visible()
    jobs["Review plan 1 and start plan 2"] = typing

    # Review 2.
    typing = Typing()
    page.goto(f"/schools/{world.school.urn}/pupils/{world.pupil_support.upn}/support/")
    _review(page, typing, 2, "I read to my little brother now.")
    assert SupportPlan.objects.filter(pupil=world.pupil_support).count() == 3
    jobs["Review plan 2 and start plan 3"] = typing

    # An EHC annual review: the report pre-filled, who attended ticked from the invitees.
    typing = Typing()
    plan, _, review = prepared_review(world)
    page.goto(f"/schools/{world.school.urn}/pupils/{world.pupil_ehc.upn}/ehc/plans/{plan.pk}/")
    page.get_by_role("link", name="Write the report for review 1").click()
    expect(page.get_by_role("table", name="Section F provision, specified and delivered")).to_be_visible()
    attended = page.get_by_role("group", name="Who attended (optional)")
    attended.get_by_role("checkbox", name="Pat Marchbanks (Mother)").check()
    attended.get_by_role("checkbox").nth(1).check()
    page.get_by_label("Amend the plan").check()
    page.get_by_role("button", name="Save the report").click()
    expect(page.get_by_text("The review report was saved.")).to_be_visible()
    assert_accessible(page)
    assert len(AnnualReview.objects.get(pk=review.pk).attended) == 2
    jobs["Write an EHC annual review report"] = typing

    figures = {job: (len(t.typed), len(t.retyped)) for job, t in jobs.items()}
    print("\nThe SENCo's time: fields typed, facts retyped", figures)
    assert all(retyped == 0 for _, retyped in figures.values()), figures
    assert figures == {
        "Write support plan 1": (7, 0),
        "Review plan 1 and start plan 2": (1, 0),
        "Review plan 2 and start plan 3": (1, 0),
        "Write an EHC annual review report": (0, 0),
    }
