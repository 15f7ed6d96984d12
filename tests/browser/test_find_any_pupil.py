"""Finding any pupil on the register by name, whatever the filters, and adding a pupil without SEN to it."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from sencohub.pupils.models import Pupil
from tests.browser.conftest import assert_accessible, sign_in
from tests.factories import PupilFactory, put_on_register

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_name_search_finds_a_pupil_the_filters_hide_and_says_the_filters_were_cleared(page, world):
    put_on_register(
        PupilFactory(school=world.school, class_group=world.class_4b, surname="Lovelace", forename="Ada", year_group="5"),
        "K", "SEMH",
    )  # fmt: skip
    sign_in(page, "senco@alder.test")
    page.goto(f"/schools/{world.school.urn}/register/")
    status = page.get_by_role("status")
    expect(status).to_have_text("3 pupils match.")
    page.get_by_label("Year group").select_option("5")
    expect(status).to_have_text("1 pupil matches.")
    page.get_by_label("Type of need").select_option("SEMH")
    page.get_by_label("Class").select_option("4B")
    expect(page.get_by_role("link", name="Lovelace, Ada")).to_be_visible()
    expect(page.get_by_role("link", name="Quillfeather, Ada")).to_have_count(0)

    # Ada Quillfeather is in year 3 with SLCN: the filters would hide her, so the search clears them and says so.
    page.get_by_label("Name or UPN").fill("ada")
    page.get_by_label("Name or UPN").press("Enter")
    expect(status).to_have_text("Showing every pupil named ‘ada’: filters cleared. 2 pupils match.")
    expect(page.get_by_role("link", name="Quillfeather, Ada")).to_be_visible()
    expect(page.get_by_role("link", name="Lovelace, Ada")).to_be_visible()
    expect(page.locator("#filters-cleared")).to_contain_text("so they were cleared for this search")
    # The live region is the short status line alone, outside the table that is redrawn.
    assert page.locator("#results [role=status], #results [aria-live]").count() == 0
    assert page.locator("[aria-live], [role=status]").count() == 1
    assert "q=ada" in page.url
    assert_accessible(page)

    # A search the filters do not narrow keeps them.
    page.get_by_label("Name or UPN").fill("lovelace")
    page.get_by_label("Name or UPN").press("Enter")
    expect(status).to_have_text("1 pupil matches.")
    expect(page.locator("#filters-cleared")).to_have_count(0)

    # Clearing the filters makes them match what a name search shows.
    page.get_by_label("Name or UPN").fill("ada")
    page.get_by_label("Name or UPN").press("Enter")
    expect(status).to_contain_text("filters cleared")
    page.get_by_role("link", name="Clear the filters").click()
    expect(page.get_by_label("SEN provision")).to_have_value("all")
    expect(page.get_by_label("Year group")).to_have_value("")
    expect(page.get_by_role("link", name="Quillfeather, Ada")).to_be_visible()
    expect(status).to_have_text("2 pupils match.")
    assert_accessible(page)


def test_a_pupil_without_sen_is_found_by_name_and_added_to_the_register(page, world):
    sign_in(page, "senco@alder.test")
    page.goto(f"/schools/{world.school.urn}/register/")
    expect(page.get_by_role("link", name="Trelawney, Cara")).to_have_count(0)  # the register shows pupils with SEN
    page.get_by_label("Name or UPN").fill("Trelawney")
    page.get_by_label("Name or UPN").press("Enter")
    expect(page.get_by_role("status")).to_have_text("Showing every pupil named ‘Trelawney’: filters cleared. 1 pupil matches.")
    page.get_by_role("link", name="Trelawney, Cara").click()
    expect(page.get_by_role("heading", name="Cara Trelawney")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Add to the SEN register").click()
    expect(page.get_by_role("heading", name="Add to the SEN register")).to_be_visible()
    expect(page.get_by_label("SEN support")).to_be_checked()
    assert_accessible(page)
    page.get_by_role("button", name="Save").click()  # no reason, no need: field-specific messages, nothing saved
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)
    assert Pupil.objects.get(pk=world.pupil_none.pk).sen_provision == "N"

    page.get_by_label("Start date").fill(dt.date.today().isoformat())
    page.get_by_label("Reason for the change").fill("Assessment showed needs beyond ordinary teaching.")
    page.get_by_label("Primary need (rank 1)").select_option("SEMH")
    page.get_by_label("Secondary need (rank 2)").select_option("SLCN")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Cara Trelawney's SEN status is now SEN support")).to_be_visible()
    expect(page.get_by_role("button", name="Add to the SEN register")).to_have_count(0)
    pupil = Pupil.objects.get(pk=world.pupil_none.pk)
    assert pupil.sen_provision == "K"
    assert {n.rank: n.sen_type for n in pupil.needs.all()} == {1: "SEMH", 2: "SLCN"}
    page.goto(f"/schools/{world.school.urn}/register/")
    expect(page.get_by_role("link", name="Trelawney, Cara")).to_be_visible()
