"""A form is sent once: a second click on Save while the page is on its way makes no second record.

Chromium itself drops a second submission of the same form while the first is under way; other browsers do
not, so every page's script refuses to send a form twice (for a few seconds, or until the page is left).
"""

import time

import pytest
from playwright.sync_api import expect

from sencohub.provision import services as provision_services
from sencohub.provision.catalogue import catalogue_seed
from sencohub.provision.models import PayBand, Provision
from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SEND_TWICE = """() => {
    const form = document.querySelector("main form[method=post]");
    const sent = [];
    window.addEventListener("submit", (event) => { sent.push(!event.defaultPrevented); event.preventDefault(); });
    for (let i = 0; i < 2; i++) form.dispatchEvent(new SubmitEvent("submit", {bubbles: true, cancelable: true}));
    return sent;
}"""


def _fill_new_provision(page, urn):
    page.goto(f"/schools/{urn}/provision/groups/new/")
    page.get_by_label("Intervention").select_option(label="Reading fluency")
    page.get_by_label("Group name").fill("Reading group")
    page.get_by_label("Delivered by").fill("Mrs Patel")
    page.get_by_label("Pay band").select_option(label="Teaching assistant (£15.40 an hour)")
    page.get_by_label("Start", exact=True).fill("2026-09-07")
    page.get_by_label("End", exact=True).fill("2027-07-16")
    days = page.get_by_role("group", name="Days", exact=True)
    for day in ("Monday", "Wednesday", "Friday"):
        days.get_by_role("checkbox", name=day).check()
    page.get_by_label("Minutes a session").fill("20")


def test_a_second_click_on_save_while_the_page_is_on_its_way_makes_one_provision(page, world, monkeypatch):
    catalogue_seed(world.school)
    PayBand.objects.create(school=world.school, name="Teaching assistant", hourly_pence=1540)
    sign_in(page, "senco@alder.test")
    _fill_new_provision(page, world.school.urn)
    # A busy server: the page takes a while to come back, so the second click lands before it does.
    slow = provision_services.provision_pupils_set
    monkeypatch.setattr(provision_services, "provision_pupils_set", lambda **kwargs: (time.sleep(0.6), slow(**kwargs)))
    save = page.get_by_role("button", name="Save")
    save.scroll_into_view_if_needed()
    box = save.bounding_box()
    page.mouse.click(box["x"] + 5, box["y"] + 5)
    page.wait_for_timeout(150)
    page.mouse.click(box["x"] + 5, box["y"] + 5)
    expect(page.get_by_text("Reading group was saved.")).to_be_visible()
    assert Provision.objects.filter(school=world.school, name="Reading group").count() == 1


def test_every_page_refuses_to_send_a_form_twice(page, world):
    catalogue_seed(world.school)
    PayBand.objects.create(school=world.school, name="Teaching assistant", hourly_pence=1540)
    sign_in(page, "senco@alder.test")
    _fill_new_provision(page, world.school.urn)
    assert page.evaluate(SEND_TWICE) == [True, False]


def test_a_form_can_be_sent_again_after_coming_back_to_it(page, world):
    sign_in(page, "senco@alder.test")
    page.goto(f"/schools/{world.school.urn}/provision/catalogue/")
    page.get_by_role("button", name="Add the common interventions").click()
    expect(page.get_by_role("cell", name="Phonics catch-up")).to_be_visible()
    page.go_back()
    page.get_by_role("button", name="Add the common interventions").click()
    expect(page.get_by_text("0 common interventions added")).to_be_visible()
