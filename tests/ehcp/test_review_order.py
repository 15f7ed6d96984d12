"""Annual reviews are taken in the order their meetings were held (CFA s.44(1): each next review is due 12 months
after the previous review meeting), never in the order they were typed in."""

import datetime as dt
import io
import re

import pytest
from django.db import transaction
from django.utils import timezone
from docx import Document
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from icalendar import Calendar

from sencohub.ehcp import compliance, milestones
from sencohub.ehcp.digest import digest_text
from sencohub.ehcp.models import AnnualReview, EhcPlan
from sencohub.statutory import timelines as t
from tests.reauth import sign_in_confirmed

D = dt.date
ISSUED = D(2023, 3, 1)
LATER_REVIEW, EARLIER_REVIEW = D(2025, 2, 20), D(2024, 2, 25)


@pytest.fixture
def plan(world):
    """The worked example: plan issued 1 March 2023; the February 2025 review typed in first, then February 2024's."""
    plan = EhcPlan.objects.get(pupil=world.pupil_ehc)
    plan.issued_on = ISSUED
    plan.save()
    for meeting in (LATER_REVIEW, EARLIER_REVIEW):
        AnnualReview.objects.create(plan=plan, pupil=plan.pupil, meeting_on=meeting, invitations_sent_on=meeting - dt.timedelta(days=20),
                                    advice_circulated_on=meeting - dt.timedelta(days=15), report_sent_on=meeting + dt.timedelta(days=7),
                                    decision="maintain", decision_on=meeting + dt.timedelta(days=21))  # fmt: skip
    return milestones.plan_queryset().get(pk=plan.pk)


def reviews_due(found):
    return {m.detail: (m.due, m.done_on, m.state) for m in found if m.key == "review_due"}


def test_the_next_review_is_due_a_year_after_the_latest_meeting_whatever_order_they_were_typed_in(plan):
    found = milestones.for_plan(plan, D(2025, 6, 1))
    assert reviews_due(found) == {
        "review 1": (D(2024, 3, 1), EARLIER_REVIEW, "met"),
        "review 2": (D(2025, 2, 25), LATER_REVIEW, "met"),
        "review 3: not yet arranged": (D(2026, 2, 20), None, "upcoming"),
    }
    assert not [m for m in found if m.state == t.OVERDUE]
    assert {m.detail for m in found if m.key == "la_decision_due" and m.done_on == D(2024, 3, 17)} == {"review 1"}


def milestone_rows(page: str) -> list[tuple[str, str, str, str]]:
    """(what, due, done, state) of each row of the statutory dates table on a page."""
    table = page[page.index('class="govuk-table sh-milestones"'):]
    table = table[:table.index("</table>")]
    rows = []
    for row in re.findall(r"<tr class=\"govuk-table__row\">(.*?)</tr>", table, flags=re.S)[1:]:
        cells = [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", c)).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, flags=re.S)]
        rows.append((cells[0], cells[1], cells[2], cells[3]))
    return rows


def test_the_plan_page_numbers_reviews_by_meeting_and_shows_the_next_one_from_the_latest(client, world, plan):
    sign_in_confirmed(client, world.people["senco"])
    page = client.get(f"/schools/{world.school.urn}/pupils/{world.pupil_ehc.upn}/ehc/plans/{plan.pk}/").content.decode()
    reviews = page[page.index("<h2 class=\"govuk-heading-m\">Annual reviews</h2>"):]
    assert reviews.index("Review 1</td><td class=\"govuk-table__cell\">25 Feb 2024") < reviews.index("Review 2</td><td class=\"govuk-table__cell\">20 Feb 2025")
    held = [row for row in milestone_rows(page) if row[0].startswith("Annual review meeting held")]
    assert held == [
        ("Annual review meeting held Annual review: review 1", "1 Mar 2024", "25 Feb 2024", "Met"),
        ("Annual review meeting held Annual review: review 2", "25 Feb 2025", "20 Feb 2025", "Met"),
        ("Annual review meeting held Annual review: review 3: not yet arranged", "20 Feb 2026", "–",
         "Overdue" if timezone.localdate() > D(2026, 2, 20) else "Upcoming"),
    ]  # fmt: skip


def test_the_review_report_is_numbered_by_meeting(client, world, plan):
    sign_in_confirmed(client, world.people["senco"])
    for meeting, number in ((EARLIER_REVIEW, "1"), (LATER_REVIEW, "2")):
        review = plan.reviews.get(meeting_on=meeting)
        word = client.get(f"/schools/{world.school.urn}/pupils/{world.pupil_ehc.upn}/ehc/plans/{plan.pk}/reviews/{review.pk}/report.docx")
        text = "\n".join(p.text for p in Document(io.BytesIO(word.content)).paragraphs)
        assert f"Review: {number}\nMeeting: {meeting:%-d %B %Y}" in text


def test_the_deadlines_page_and_its_downloads_follow_the_meetings(client, world, plan):
    today = D(2025, 6, 1)
    report = compliance.report(world.people["senco"], [world.school], today)
    rows = [r for r in compliance.rows_for_download(report) if r[8] == "Annual review meeting held"]
    assert [(r[9], r[10], r[11], r[12]) for r in rows] == [("review 2", "2025-02-25", "2025-02-20", "met")]
    upcoming = [m for m in report.rows if m.key == "review_due" and m.done_on is None]
    assert upcoming == [] and report.counts[t.OVERDUE] == 0  # review 3, due 20 Feb 2026, is beyond three months


def test_the_calendar_feed_and_the_digest_follow_the_meetings(client, world, plan):
    client.force_login(world.people["senco"])
    body = client.post("/calendar/").content.decode()
    start = body.index("http://testserver/calendar/feed/")
    url = body[start:body.index("</code>", start)].replace("http://testserver", "")
    client.logout()
    events = Calendar.from_ical(client.get(url).content).walk("VEVENT")
    review_dates = {e.decoded("dtstart") for e in events if str(e["summary"]).startswith("Due: Annual review meeting held")}
    assert review_dates == {D(2026, 2, 20)}
    found = [m for m in milestones.for_plan(plan, D(2026, 3, 1)) if m.state in (t.OVERDUE, t.DUE_SOON)]
    text = digest_text(world.people["senco"], found, D(2026, 3, 1))
    assert "20 Feb 2026: Annual review meeting held" in text and "25 Feb 2025" not in text


MEETINGS = st.lists(st.integers(20, 3 * 365), min_size=1, max_size=4, unique=True)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(gaps=MEETINGS, order=st.randoms(use_true_random=False), today_offset=st.integers(0, 800))
def test_the_next_review_due_does_not_depend_on_the_order_reviews_were_entered(world, gaps, order, today_offset):
    """Property (CFA s.44(1)): the reviews' dates are the same whichever order the meetings were typed in, and the
    next review is due 12 months after the latest meeting held."""
    plan = EhcPlan.objects.get(pupil=world.pupil_ehc)
    meetings, day = [], plan.issued_on
    for gap in gaps:
        day = day + dt.timedelta(days=gap)
        meetings.append(day)
    today = meetings[-1] + dt.timedelta(days=today_offset)

    def dates_when_typed_in(sequence):
        with transaction.atomic():
            for meeting in sequence:
                AnnualReview.objects.create(plan=plan, pupil=plan.pupil, meeting_on=meeting)
            found = milestones.for_plan(milestones.plan_queryset().get(pk=plan.pk), today)
            transaction.set_rollback(True)
        return sorted((m.key, m.detail, m.due, m.done_on, m.state) for m in found)

    shuffled = list(meetings)
    order.shuffle(shuffled)
    in_order, typed = dates_when_typed_in(meetings), dates_when_typed_in(shuffled)
    assert typed == in_order
    next_due = [(detail, due) for key, detail, due, _, _ in typed if key == "review_due" and detail.endswith("not yet arranged")]
    assert next_due == [(f"review {len(meetings) + 1}: not yet arranged", t.add_months(meetings[-1], 12))]


def test_review_report_files_are_named_by_the_reviews_number_and_the_pupils_name_not_the_upn(client, world, plan):
    sign_in_confirmed(client, world.people["senco"])
    base = f"/schools/{world.school.urn}/pupils/{world.pupil_ehc.upn}/ehc/plans/{plan.pk}/reviews"
    for meeting, number in ((EARLIER_REVIEW, 1), (LATER_REVIEW, 2)):
        review = plan.reviews.get(meeting_on=meeting)
        for fmt in ("docx", "pdf"):
            response = client.get(f"{base}/{review.pk}/report.{fmt}")
            assert response["Content-Disposition"] == f'attachment; filename="annual-review-{number}-ben-marchbanks.{fmt}"'


def test_the_evidence_pack_file_is_named_by_the_pupils_name_not_the_upn(client, world):
    from sencohub.ehcp.models import AssessmentRequest

    sign_in_confirmed(client, world.people["senco"])
    request = AssessmentRequest.objects.get(pupil=world.pupil_support)
    response = client.get(f"/schools/{world.school.urn}/pupils/{world.pupil_support.upn}/ehc/requests/{request.pk}/evidence.docx")
    assert response["Content-Disposition"] == 'attachment; filename="evidence-ada-quillfeather-2026-09-14.docx"'
    assert world.pupil_support.upn.lower() not in response["Content-Disposition"].lower()


def test_a_plan_with_no_reviews_says_the_date_its_first_is_due(client, world):
    plan = EhcPlan.objects.get(pupil=world.pupil_ehc)
    plan.issued_on = D(2024, 10, 15)
    plan.save()
    sign_in_confirmed(client, world.people["senco"])
    page = client.get(f"/schools/{world.school.urn}/pupils/{world.pupil_ehc.upn}/ehc/plans/{plan.pk}/").content.decode()
    assert "None yet. The first is due by 15 October 2025." in page and "+ 12 months" not in page
