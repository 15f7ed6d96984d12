"""An EHC needs assessment and an annual review, start to LA decision, in a real browser with axe scans."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from sencohub.ehcp.models import AnnualReview, AssessmentRequest, EhcPlan
from tests.browser.conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def iso(day: dt.date) -> str:
    return day.isoformat()


def test_a_needs_assessment_request_to_the_final_plan(page, world):
    today = timezone.localdate()
    received = today - dt.timedelta(weeks=21)
    sign_in(page, "senco@alder.test")
    page.goto(f"/schools/{world.school.urn}/pupils/{world.pupil_none.upn}/")
    page.get_by_role("link", name="EHC needs assessment and plan").click()
    expect(page.get_by_role("heading", name="EHC needs assessment and plan")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Start a request").click()
    assert_accessible(page)
    page.get_by_label("Local authority asked to assess").select_option(label="Bristol, City of (801)")
    page.get_by_label("Date the request was sent").fill(iso(received - dt.timedelta(days=2)))
    page.get_by_label("Date the LA received the request").fill(iso(received))
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="EHC needs assessment", level=1)).to_be_visible()
    decision_row = page.get_by_role("row", name="LA decides whether to assess")
    expect(decision_row).to_contain_text("Overdue")
    assert_accessible(page)

    page.get_by_role("button", name="Record a request for advice").click()
    page.get_by_label("Advice from").fill("Educational psychologist")
    page.get_by_label("Date advice was requested").fill(iso(received + dt.timedelta(weeks=6)))
    page.get_by_label("Date advice was returned").fill(iso(received + dt.timedelta(weeks=13)))
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("row", name="Advice returned")).to_contain_text("Met late")

    page.get_by_role("button", name="Record dates and decisions").click()
    page.get_by_label("Date of the decision whether to assess").fill(iso(received + dt.timedelta(weeks=5)))
    page.get_by_label("To assess", exact=True).check()
    page.get_by_label("Date the draft plan was sent").fill(iso(received + dt.timedelta(weeks=14)))
    page.get_by_label("Date the final plan was issued").fill(iso(received - dt.timedelta(days=1)))
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Date the final plan was issued").fill(iso(received + dt.timedelta(weeks=19)))
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("row", name="Final EHC plan issued")).to_contain_text("Met")
    assert AssessmentRequest.objects.get(pupil=world.pupil_none).outcome == "issued"


def test_an_annual_review_to_the_la_decision(page, world):
    today = timezone.localdate()
    plan = EhcPlan.objects.get(pupil=world.pupil_ehc)
    plan.issued_on = today - dt.timedelta(days=340)
    plan.save()
    sign_in(page, "senco@alder.test")
    page.goto(f"/schools/{world.school.urn}/compliance/")
    expect(page.get_by_role("heading", name="Statutory deadlines")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("table", name="Coming up in the next three months").get_by_role("link", name="Ben Marchbanks").click()
    expect(page.get_by_role("heading", name="EHC plan issued")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Arrange an annual review").click()
    meeting = today + dt.timedelta(days=10)
    page.get_by_label("Date of the review meeting").fill(iso(meeting))
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("row", name="Invitations sent")).to_contain_text("Overdue")

    held = today - dt.timedelta(days=20)
    page.get_by_role("link", name="Record review 1").click()
    assert_accessible(page)
    page.get_by_label("Date of the review meeting").fill(iso(held))
    page.get_by_label("Date invitations were sent").fill(iso(held - dt.timedelta(days=15)))
    page.get_by_label("Date the review report was sent").fill(iso(held + dt.timedelta(days=10)))
    page.get_by_label("Amend the plan").check()
    page.get_by_label("Date of the LA decision").fill(iso(held + dt.timedelta(days=18)))
    page.get_by_label("Date proposed amendments were sent").fill(iso(held + dt.timedelta(days=19)))
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("row", name="LA decides to maintain, amend or cease the plan")).to_contain_text("Met")
    # amendments sent + 8 weeks, but never later than the meeting + 12 weeks
    final_due = min(held + dt.timedelta(weeks=12), held + dt.timedelta(days=19) + dt.timedelta(weeks=8))
    expect(page.get_by_role("row", name="Final amended plan issued")).to_contain_text(final_due.strftime("%-d %b %Y"))
    assert_accessible(page)


def test_write_a_review_report_and_manage_word_templates(page, world):
    plan = EhcPlan.objects.get(pupil=world.pupil_ehc)
    AnnualReview.objects.create(plan=plan, pupil=plan.pupil, meeting_on=timezone.localdate() - dt.timedelta(days=3))
    sign_in(page, "senco@alder.test")
    page.goto(f"/schools/{world.school.urn}/pupils/{world.pupil_ehc.upn}/ehc/plans/{plan.pk}/")
    page.get_by_role("link", name="Write the report for review 1").click()
    expect(page.get_by_role("heading", name="Write the review report")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("The pupil's views").fill("I like the quiet room.")
    page.get_by_label("Amend the plan").check()
    page.get_by_label("Section F: Special educational provision: proposed change").fill("Two lunchtime club sessions a week.")
    page.get_by_role("button", name="Save").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Word copy of the report for review 1").click()
    assert download.value.suggested_filename.endswith(".docx")
    page.get_by_role("link", name="Plans and reviews").click()
    page.get_by_role("link", name="Word templates").click()
    expect(page.get_by_role("heading", name="Word templates", level=1)).to_be_visible()
    assert_accessible(page)


def test_a_parent_gives_their_views_on_a_phone(browser, live_server, world):
    from django.core.cache import cache

    from tests.browser.conftest import totp_code

    cache.clear()
    plan = EhcPlan.objects.get(pupil=world.pupil_ehc)
    review = AnnualReview.objects.create(plan=plan, pupil=plan.pupil, meeting_on=timezone.localdate() + dt.timedelta(days=21))
    context = browser.new_context(base_url=live_server.url, locale="en-GB", viewport={"width": 375, "height": 740},
                                  is_mobile=True, has_touch=True)  # fmt: skip
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill("parent@alder.test")
    page.get_by_label("Password").fill("correct-horse-battery")
    page.get_by_role("button", name="Sign in").click()
    page.get_by_label("Authenticator code").fill(totp_code())
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Ben Marchbanks")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Give your views for the annual review").click()
    assert_accessible(page)
    page.get_by_role("button", name="Send to the school").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Answer at least one question")
    page.get_by_label("What is going well for your child?").fill("He is reading at bedtime now.")
    page.get_by_role("button", name="Send to the school").click()
    expect(page.get_by_text("Thank you. Your answers have been sent")).to_be_visible()
    review.refresh_from_db()
    assert "He is reading at bedtime now." in review.parent_views
    context.close()
