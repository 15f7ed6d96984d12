"""Two people edit the same EHC plan in two browsers: the later save is refused, shows theirs, keeps mine."""

import pytest
from playwright.sync_api import expect

from sencohub.ehcp.models import EhcPlan
from tests.browser.conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_two_people_editing_an_ehc_plan_at_once_never_overwrite_each_other(page, browser, live_server, world):
    plan = EhcPlan.objects.get(pupil=world.pupil_ehc)
    url = f"/schools/{world.school.urn}/pupils/{world.pupil_ehc.upn}/ehc/plans/{plan.pk}/edit/"
    other = browser.new_context(base_url=live_server.url, locale="en-GB")
    deputy = other.new_page()
    deputy.set_default_timeout(15_000)
    try:
        sign_in(page, "senco@alder.test")
        sign_in(deputy, "deputy_senco@alder.test")
        page.goto(url)
        deputy.goto(url)

        deputy.get_by_label("Section B: Special educational needs").fill("Needs a quiet space to work")
        deputy.get_by_role("button", name="Save").click()
        expect(deputy.get_by_text("The plan was saved.")).to_be_visible()

        page.get_by_label("Section B: Special educational needs").fill("Visual timetable every lesson")
        page.get_by_role("button", name="Save").click()
        expect(page.get_by_role("heading", name="Not saved: someone else changed this EHC plan")).to_be_visible()
        banner = page.get_by_role("region", name="Not saved: someone else changed this EHC plan")
        expect(banner).to_contain_text("Needs a quiet space to work")
        expect(page.get_by_label("Section B: Special educational needs")).to_have_value("Visual timetable every lesson")
        assert_accessible(page)
        assert EhcPlan.objects.get(pk=plan.pk).section_b == "Needs a quiet space to work"

        page.get_by_role("button", name="Save").click()  # having seen theirs, mine replaces it
        expect(page.get_by_text("The plan was saved.")).to_be_visible()
        assert EhcPlan.objects.get(pk=plan.pk).section_b == "Visual timetable every lesson"
    finally:
        other.close()
