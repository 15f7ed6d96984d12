"""Every deadline the calculator knows is on the pages: for generated cases, the statutory dates on the plan page and
the request page are the dates `sencohub timeline` gives for the same facts."""

import datetime as dt
import html
import io
import json
import re

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sencohub.ehcp.models import AdviceRequest, AnnualReview, AssessmentRequest, EhcPlan
from sencohub.statutory import timelines as t
from tests.reauth import sign_in_confirmed

D = dt.date
TODAY = timezone.localdate()
# Longest first, so "Final amended plan issued" is not read as "Final EHC plan issued" and so on.
LABELS = sorted(((rule.label, key) for key, rule in t.RULES.items()), key=lambda pair: -len(pair[0]))
GENERATED = settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def timeline(*args) -> set[tuple[str, str]]:
    out = io.StringIO()
    call_command("timeline", *args, "--json", stdout=out)
    return {(t.REASSESSMENT_FIELDS.get(k, k), v) for k, v in json.loads(out.getvalue()).items()}


def page_dates(page: str) -> set[tuple[str, str]]:
    """(what is due, due by) of every row of the page's statutory dates table, named as the calculator names them."""
    table = page[page.index('class="govuk-table sh-milestones"'):]
    table = table[:table.index("</table>")]
    found = set()
    for row in re.findall(r"<tr class=\"govuk-table__row\">(.*?)</tr>", table, flags=re.S)[1:]:
        what = html.unescape(re.sub(r"<[^>]+>", " ", re.findall(r"<td[^>]*>(.*?)</td>", row, flags=re.S)[0])).strip()
        key = next(key for label, key in LABELS if what.startswith(label))
        found.add((key, re.search(r'<time datetime="([\d-]+)"', row).group(1)))
    return found


@pytest.fixture
def senco(client, world):
    sign_in_confirmed(client, world.people["senco"])
    return client


def in_a_savepoint(make, read):
    with transaction.atomic():
        made = make()
        result = read(made)
        transaction.set_rollback(True)
    return result


DAYS = st.integers(0, 200)


@GENERATED
@given(issued=st.dates(D(2022, 1, 1), TODAY - dt.timedelta(days=400)), meeting_after=st.none() | st.integers(200, 500),
       decision=st.sampled_from(["", "maintain", "amend"]), amendments_after=st.none() | st.integers(0, 60))  # fmt: skip
def test_the_plan_page_shows_every_annual_review_date_the_calculator_gives(senco, world, issued, meeting_after, decision, amendments_after):
    plan = EhcPlan.objects.get(pupil=world.pupil_ehc)
    meeting = None if meeting_after is None else issued + dt.timedelta(days=meeting_after)
    held = meeting is not None and meeting <= TODAY
    decided = decision if held else ""
    amendments = meeting + dt.timedelta(days=amendments_after) if decided == "amend" and amendments_after is not None else None
    if amendments is not None and amendments > TODAY:
        amendments = None

    def make():
        EhcPlan.objects.filter(pk=plan.pk).update(issued_on=issued)
        if meeting is not None:
            AnnualReview.objects.create(plan=plan, pupil=plan.pupil, meeting_on=meeting, decision=decided,
                                        decision_on=meeting + dt.timedelta(days=20) if decided else None,
                                        amendments_sent_on=amendments)  # fmt: skip

    def read(_):
        return page_dates(senco.get(f"/schools/{world.school.urn}/pupils/{world.pupil_ehc.upn}/ehc/plans/{plan.pk}/").content.decode())

    shown = in_a_savepoint(make, read)
    args = ["annual-review", "--plan-issued", issued.isoformat()]
    args += ["--meeting", meeting.isoformat()] if meeting else []
    args += ["--amendments-sent", amendments.isoformat()] if amendments else []
    expected = timeline(*args)
    if decided != "amend":  # the final amended plan is due only once the LA decides to amend the plan
        expected = {(k, v) for k, v in expected if k != "final_amended_plan_due"}
    if held:  # and the next review, counted from this meeting
        expected |= timeline("annual-review", "--last-review", meeting.isoformat())
    assert shown == expected


@GENERATED
@given(received=st.dates(D(2024, 1, 1), TODAY - dt.timedelta(days=250)), decided_after=st.none() | st.integers(10, 60),
       advice_after=st.none() | DAYS, draft_after=st.none() | st.integers(1, 120))  # fmt: skip
def test_the_request_page_shows_every_assessment_date_the_calculator_gives(senco, world, received, decided_after, advice_after, draft_after):
    request = AssessmentRequest.objects.get(pupil=world.pupil_support)
    decided = None if decided_after is None else received + dt.timedelta(days=decided_after)
    advice = None if advice_after is None else received + dt.timedelta(days=advice_after)
    draft = decided + dt.timedelta(days=draft_after) if decided and draft_after else None

    def make():
        AssessmentRequest.objects.filter(pk=request.pk).update(received_on=received, decision_on=decided,
                                                               decided_to_assess=True if decided else None, draft_sent_on=draft)  # fmt: skip
        if advice is not None:
            AdviceRequest.objects.create(request=request, pupil=request.pupil, adviser="Educational psychologist", requested_on=advice)

    def read(_):
        return page_dates(senco.get(f"/schools/{world.school.urn}/pupils/{world.pupil_support.upn}/ehc/requests/{request.pk}/").content.decode())

    shown = in_a_savepoint(make, read)
    args = ["ehc-assessment", "--received", received.isoformat()]
    args += ["--advice-requested", advice.isoformat()] if advice else []
    args += ["--draft-sent", draft.isoformat()] if draft else []
    assert shown == timeline(*args)


def test_worked_example_amendments_sent_give_the_family_15_days_to_comment(senco, world):
    """Regs 22: amendments sent 24 March 2026, comments due 8 April 2026; once recorded, the date is met."""
    plan = EhcPlan.objects.get(pupil=world.pupil_ehc)  # issued 3 March 2025
    review = AnnualReview.objects.create(plan=plan, pupil=plan.pupil, meeting_on=D(2026, 2, 23), decision="amend",
                                         decision_on=D(2026, 3, 20), amendments_sent_on=D(2026, 3, 24))  # fmt: skip
    url = f"/schools/{world.school.urn}/pupils/{world.pupil_ehc.upn}/ehc/plans/{plan.pk}/"
    assert ("amendment_comments_due", "2026-04-08") in page_dates(senco.get(url).content.decode())
    posted = {"meeting_on": "2026-02-23", "decision": "amend", "decision_on": "2026-03-20", "amendments_sent_on": "2026-03-24"}
    refused = senco.post(url + f"reviews/{review.pk}/", {**posted, "amendment_comments_on": "2026-03-20"})
    assert refused.status_code == 200 and "cannot be before the date amendments were sent (24 March 2026)" in refused.content.decode()
    response = senco.post(url + f"reviews/{review.pk}/", {**posted, "amendment_comments_on": "2026-04-02"})
    assert response.status_code == 302
    page = senco.get(url).content.decode()
    row = re.search(r"Comments on the proposed amendments.*?</tr>", page, flags=re.S).group(0)
    assert '<time datetime="2026-04-02">' in row and ">Met<" in row


def test_worked_example_the_16_week_date_shows_while_the_assessment_runs(senco, world):
    """Regs 10(1): received 14 September 2026, the LA must say by 4 January 2027 if it will not issue a plan."""
    request = AssessmentRequest.objects.get(pupil=world.pupil_support)
    url = f"/schools/{world.school.urn}/pupils/{world.pupil_support.upn}/ehc/requests/{request.pk}/"
    assert ("decision_not_to_issue_due", "2027-01-04") in page_dates(senco.get(url).content.decode())
