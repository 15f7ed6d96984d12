"""A step that had to happen before something that has since happened, and was never recorded, can no longer be done:
it reads "Not recorded" everywhere the milestones are shown, never "Overdue" (so it is not counted as overdue, not due
soon, and raises no digest or calendar alarm). Invitations and advice come before a review meeting (Regs 20),
a parent's comments on a draft before the final plan (Regs 13(1)), comments on amendments before the amended plan
(Regs 22)."""

import datetime as dt

import pytest
from icalendar import Calendar

from sencohub.ehcp import compliance, milestones
from sencohub.ehcp.models import AnnualReview, AssessmentRequest, EhcPlan
from sencohub.statutory import timelines as t
from tests.ehcp.test_review_order import milestone_rows
from tests.reauth import sign_in_confirmed

D = dt.date
TODAY = D(2026, 12, 2)


@pytest.fixture
def plan(world):
    """The tester's case: plan issued 15 Oct 2024; the 30 Sep 2026 meeting typed in first, then the forgotten 8 Oct 2025
    one, with no invitation or advice dates."""
    plan = EhcPlan.objects.get(pupil=world.pupil_ehc)
    plan.issued_on = D(2024, 10, 15)
    plan.save()
    AnnualReview.objects.create(plan=plan, pupil=plan.pupil, meeting_on=D(2026, 9, 30), invitations_sent_on=D(2026, 9, 1),
                                advice_circulated_on=D(2026, 9, 10), report_sent_on=D(2026, 10, 5), decision="maintain",
                                decision_on=D(2026, 10, 20))  # fmt: skip
    AnnualReview.objects.create(plan=plan, pupil=plan.pupil, meeting_on=D(2025, 10, 8), report_sent_on=D(2025, 10, 15),
                                decision="maintain", decision_on=D(2025, 10, 30))  # fmt: skip
    return milestones.plan_queryset().get(pk=plan.pk)


def test_invitations_and_advice_never_recorded_before_a_held_meeting_read_not_recorded_on_the_plan_page(client, world, plan):
    sign_in_confirmed(client, world.people["senco"])
    page = client.get(f"/schools/{world.school.urn}/pupils/{world.pupil_ehc.upn}/ehc/plans/{plan.pk}/").content.decode()
    rows = sorted(row for row in milestone_rows(page) if "review 1" in row[0] and row[1] == "24 Sep 2025")
    assert rows == [
        ("Advice gathered and circulated Annual review: review 1", "24 Sep 2025", "–", "Not recorded"),
        ("Invitations sent Annual review: review 1", "24 Sep 2025", "–", "Not recorded"),
    ]


def test_not_recorded_steps_are_not_counted_overdue_on_the_deadlines_page_its_downloads_or_the_calendar(client, world, plan):
    for today in (D(2026, 9, 1), TODAY):
        report = compliance.report(world.people["senco"], [world.school], today)
        assert not [m for m in report.rows if m.record == f"plan:{plan.pk}" and m.state in (t.OVERDUE, t.DUE_SOON)]
    report = compliance.report(world.people["senco"], [world.school], D(2026, 9, 1))  # listed for twelve months after due
    assert report.counts[milestones.NOT_RECORDED] == 2
    assert {(r[9], r[8], r[12]) for r in compliance.rows_for_download(report) if r[10] == "2025-09-24"} == {
        ("review 1", "Invitations sent", "not recorded"), ("review 1", "Advice gathered and circulated", "not recorded")}
    sign_in_confirmed(client, world.people["senco"])
    csv = client.get(f"/schools/{world.school.urn}/compliance.csv").content.decode()
    assert [line for line in csv.splitlines() if "Marchbanks" in line and ",overdue," in line] == []
    body = client.post("/calendar/").content.decode()
    start = body.index("http://testserver/calendar/feed/")
    url = body[start:body.index("</code>", start)].replace("http://testserver", "")
    client.logout()
    events = Calendar.from_ical(client.get(url).content).walk("VEVENT")
    assert not [e for e in events if e.decoded("dtstart") == D(2025, 9, 24)]


def test_invitations_before_a_meeting_not_yet_held_stay_overdue(world, plan):
    review = plan.reviews.get(meeting_on=D(2025, 10, 8))
    review.meeting_on = D(2026, 12, 10)  # arranged, not yet held
    review.save()
    plan = milestones.plan_queryset().get(pk=plan.pk)
    states = {m.key: m.state for m in milestones.for_plan(plan, TODAY) if m.detail == "review 2"}
    assert states["invitations_due"] == t.OVERDUE and states["advice_circulated_due"] == t.OVERDUE


@pytest.fixture
def draft(world):
    """Draft sent 14 Sep 2026 with no comments recorded; the final plan issued 5 Oct 2026."""
    return AssessmentRequest.objects.create(pupil=world.pupil_ehc, school=world.school, local_authority=world.school.local_authority,
                                            received_on=D(2026, 6, 1), decision_on=D(2026, 7, 1), decided_to_assess=True,
                                            draft_sent_on=D(2026, 9, 14))  # fmt: skip


def comments_state(request, today=TODAY):
    request = milestones.request_queryset().get(pk=request.pk)
    return {m.state for m in milestones.for_request(request, today) if m.key == "draft_comments_due"}


def test_draft_comments_never_recorded_read_not_recorded_once_the_final_plan_is_issued(client, world, draft):
    assert comments_state(draft) == {t.OVERDUE}
    draft.final_plan_on = D(2026, 10, 5)
    draft.save()
    assert comments_state(draft) == {milestones.NOT_RECORDED}
    client.force_login(world.people["la_officer"])
    page = client.get("/compliance/").content.decode()
    row = page[page.index("Parent or young person comments on the draft plan"):]
    assert row[:row.index("</tr>")].count("Not recorded</strong>") == 1


def test_amendment_comments_never_recorded_read_not_recorded_once_the_amended_plan_is_issued(world, plan):
    review = plan.reviews.get(meeting_on=D(2026, 9, 30))
    review.decision, review.amendments_sent_on = AnnualReview.Decision.AMEND, D(2026, 10, 20)
    review.save()
    found = lambda: {m.key: m.state for m in milestones.for_plan(milestones.plan_queryset().get(pk=plan.pk), TODAY) if m.detail == "review 2"}  # noqa: E731
    assert found()["amendment_comments_due"] == t.OVERDUE
    review.amended_plan_on = D(2026, 11, 20)
    review.save()
    assert found()["amendment_comments_due"] == milestones.NOT_RECORDED
