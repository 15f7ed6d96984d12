"""In a browser: a pupil recorded as E without an EHC plan record is flagged on the SENCo's overview and the
statutory deadlines pages, each scanned with axe-core."""

import pytest
from playwright.sync_api import expect

from sencohub.ehcp.selectors import PLAN_NOT_RECORDED
from tests.browser.conftest import assert_accessible, sign_in
from tests.factories import PupilFactory, put_on_register

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_flag_on_the_overview_and_the_deadlines_pages(page, browser, live_server, world):
    put_on_register(PupilFactory(school=world.school, class_group=world.class_4b, surname="Fairweather", forename="Eve"), "E", "SLCN")
    sign_in(page, "senco@alder.test")
    for url in (f"/schools/{world.school.urn}/overview/", f"/schools/{world.school.urn}/compliance/"):
        page.goto(url)
        expect(page.get_by_role("listitem").filter(has_text=PLAN_NOT_RECORDED)).to_have_text(f"Eve Fairweather: {PLAN_NOT_RECORDED}")
        assert_accessible(page)
    page.get_by_role("link", name="Eve Fairweather").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("EHC needs assessment and plan")
    expect(page.get_by_text("Eve Fairweather").first).to_be_visible()
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    lead = context.new_page()
    sign_in(lead, "lead@alder-trust.test")
    lead.goto("/compliance/")
    expect(lead.get_by_role("listitem").filter(has_text=PLAN_NOT_RECORDED)).to_have_text(f"Eve Fairweather, Alder Primary: {PLAN_NOT_RECORDED}")
    assert_accessible(lead)
    context.close()
