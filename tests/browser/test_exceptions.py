"""Recording exceptions to the EHC time limits, and reading 20-week timeliness per year, in a real browser with axe."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from sencohub.ehcp.models import AdviceRequest, AssessmentRequest, TimelineException
from tests.browser.conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_missed_appointment_warns_and_a_short_closure_is_refused(page, world):
    received = timezone.localdate() - dt.timedelta(weeks=25)
    request = AssessmentRequest.objects.create(
        pupil=world.pupil_none, school=world.school, local_authority=world.school.local_authority, received_on=received,
        decision_on=received + dt.timedelta(weeks=5), decided_to_assess=True, final_plan_on=received + dt.timedelta(weeks=22),
    )  # fmt: skip
    asked = received + dt.timedelta(weeks=6)
    AdviceRequest.objects.create(request=request, pupil=request.pupil, adviser="Educational psychologist", requested_on=asked)
    sign_in(page, "senco@alder.test")
    page.goto(f"/schools/{world.school.urn}/pupils/{world.pupil_none.upn}/ehc/requests/{request.pk}/")

    page.get_by_role("button", name="Record an exception").click()
    expect(page.get_by_role("heading", name="Record an exception to the time limits")).to_be_visible()
    page.get_by_label("A missed appointment (advice only)").check()
    page.get_by_label("First day").fill((asked + dt.timedelta(days=10)).isoformat())
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("alert")).to_contain_text("It excuses the 6 weeks for advice from Educational psychologist")
    expect(page.get_by_role("region", name="Important")).to_contain_text("It does not excuse the 16-week decision not to issue")
    expect(page.get_by_role("listitem").filter(has_text="A missed appointment")).to_contain_text("It excuses the 6 weeks")
    assert_accessible(page)

    page.get_by_role("button", name="Record an exception").click()
    page.get_by_label("Advice asked of a head teacher around a school closure of 4 weeks or more").check()
    page.get_by_label("First day").fill((asked + dt.timedelta(days=3)).isoformat())
    page.get_by_label("Last day").fill((asked + dt.timedelta(days=16)).isoformat())
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(page.get_by_text("is 14 days").first).to_be_visible()
    assert_accessible(page)
    assert TimelineException.objects.count() == 1

    page.goto(f"/schools/{world.school.urn}/compliance/?group=la")
    table = page.get_by_role("table", name="Final plans issued within 20 weeks, by calendar year of issue")
    expect(table).to_contain_text("Bristol, City of (801)")
    expect(table).to_contain_text("0 of 1 (0.0%)")  # late, and a missed appointment does not excuse the 20 weeks
    expect(table).to_contain_text("Every year and local authority together (pooled)")
    assert_accessible(page)
