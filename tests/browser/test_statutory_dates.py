"""The statutory dates calculator in a real browser, with axe-core scans."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_work_out_annual_review_dates(page, world):
    sign_in(page, "senco@alder.test")
    page.get_by_role("link", name="Statutory dates").click()
    expect(page.get_by_role("heading", name="Statutory dates", level=1)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Annual review").click()
    assert_accessible(page)
    page.get_by_label("Date the plan was issued").fill("2025-06-01")
    page.get_by_label("Date of this review meeting").fill("2025-05-01")
    page.get_by_role("button", name="Work out the dates").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(page.locator(".govuk-error-summary")).to_contain_text("before the date the plan was issued")
    assert_accessible(page)
    page.get_by_label("Date the plan was issued").fill("2024-02-29")
    page.get_by_label("Date of this review meeting").fill("2025-02-20")
    page.get_by_label("Date the LA sent its proposed amendments").fill("2025-03-20")
    page.get_by_role("button", name="Work out the dates").click()
    results = page.get_by_role("table")
    expect(results.get_by_role("row", name="Annual review meeting held")).to_contain_text("Friday 28 February 2025")
    expect(results.get_by_role("row", name="Final amended plan issued")).to_contain_text("Thursday 15 May 2025")
    assert_accessible(page)


def test_a_parent_checks_the_appeal_deadline(page, world):
    sign_in(page, "parent@alder.test")
    page.goto("/statutory-dates/appeal/")
    page.get_by_label("Date of the decision").fill("2026-06-15")
    page.get_by_role("button", name="Work out the dates").click()
    expect(page.get_by_role("row", name="Appeal to the First-tier Tribunal (SEND)")).to_contain_text("Tuesday 1 September 2026")
    assert_accessible(page)
    # Saturday 2 May 2026, then the early May bank holiday: the Tuesday (HESC Tribunal Rules 2008 r.12(2))
    page.get_by_label("Date of the decision").fill("2026-03-02")
    page.get_by_role("button", name="Work out the dates").click()
    expect(page.get_by_role("row", name="Appeal to the First-tier Tribunal (SEND)")).to_contain_text("Tuesday 5 May 2026")
