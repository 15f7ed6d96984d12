"""Ceasing an EHC plan from its page, and the census SEN unit and resourced provision pages, by keyboard-reachable
controls, each scanned with axe-core."""

import pytest
from playwright.sync_api import expect

from sencohub.ehcp.models import EhcPlan
from tests.browser.conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_senco_ceases_a_plan_and_says_what_the_provision_becomes(page, world):
    plan = EhcPlan.objects.get(pupil=world.pupil_ehc)
    sign_in(page, "senco@alder.test")
    page.goto(f"/schools/{world.school.urn}/pupils/{world.pupil_ehc.upn}/ehc/plans/{plan.pk}/")
    page.get_by_role("button", name="Record that the plan has ceased").click()
    expect(page.get_by_role("heading", name="Record that the plan has ceased", level=1)).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Date the plan ceased").fill("2026-11-14")
    page.get_by_role("button", name="Record that the plan has ceased").click()  # no provision chosen
    expect(page.get_by_role("alert")).to_contain_text("Choose SEN support (K) or no SEN (N)")
    assert_accessible(page)
    page.get_by_label("SEN support (K)").check()
    page.get_by_role("button", name="Record that the plan has ceased").click()
    expect(page.get_by_text("Ceased 14 November 2026")).to_be_visible()
    page.goto(f"/schools/{world.school.urn}/pupils/{world.pupil_ehc.upn}/")
    expect(page.get_by_text("SEN support since 14 November 2026")).to_be_visible()


def test_the_census_sen_unit_and_resourced_provision_pages(page, world):
    sign_in(page, "senco@alder.test")
    page.goto(f"/schools/{world.school.urn}/census/units/")
    expect(page.get_by_role("heading", name="SEN unit and resourced provision", level=1)).to_be_visible()
    assert_accessible(page)
    page.get_by_label("The school has resourced provision recognised by the local authority").check()
    page.get_by_role("button", name="Save").click()
    page.goto(f"/schools/{world.school.urn}/pupils/{world.pupil_ehc.upn}/census/")
    assert_accessible(page)
    page.get_by_label("A member of the school's resourced provision").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Resourced provision", exact=True)).to_be_visible()
    assert_accessible(page)
