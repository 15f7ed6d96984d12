"""Finding the way: the school menu by job, shown to each role as the role table allows, the header's tools, the
overview on a phone and at 400% zoom, the Menu button, the header's focus style and the favicon."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from sencohub.schools.navigation import SCHOOL_PAGES
from sencohub.schools.permissions import CAPABILITIES
from sencohub.support.models import SupportPlan
from sencohub.support.services import plan_start
from tests.browser.conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROLES = {
    "senco": "senco@alder.test",
    "deputy_senco": "deputy_senco@alder.test",
    "send_admin": "send_admin@alder.test",
    "head": "head@alder.test",
    "teacher": "teacher@alder.test",
    "teaching_assistant": "ta@alder.test",
    "governor": "governor@alder.test",
    "trust_send_lead": "lead@alder-trust.test",
    "la_officer": "officer@bristol.test",
}


def permitted_urls(role: str, urn: str) -> set[str]:
    """Worked out from the role table itself, not from the menu under test."""
    allowed = CAPABILITIES[role]
    return {reverse(p.url_name, args=[urn]) for p in SCHOOL_PAGES if allowed & set(p.actions)}


def menu_urls(page) -> list[str]:
    """Every page the school menu leads to: each section, and the sub-navigation shown on each section's page."""
    sections = [link.get_attribute("href") for link in page.locator("#navigation a").all()]
    found = []
    for url in sections:
        page.goto(url)
        found.append(url)
        found += [link.get_attribute("href") for link in page.locator(".sh-subnav a").all()]
    return found


@pytest.mark.parametrize("role", ROLES)
def test_each_role_sees_only_the_pages_it_may_open_and_each_loads(page, world, role):
    sign_in(page, ROLES[role])
    page.goto(f"/schools/{world.school.urn}/figures/" if role == "governor" else f"/schools/{world.school.urn}/register/")
    expect(page.get_by_role("navigation", name="Menu")).to_be_visible()
    assert_accessible(page)
    shown = menu_urls(page)
    assert set(shown) == permitted_urls(role, world.school.urn)
    for url in set(shown):
        response = page.goto(url)
        assert response.status == 200, url
    # The header's tools: the calendar feed for everyone, API tokens only for staff who read the register.
    page.get_by_role("link", name="Calendar feed").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("calendar feed")
    # A page of no school still shows the menu of one's only school; across several schools, home lists them.
    one_school = role not in ("trust_send_lead", "la_officer")
    expect(page.get_by_role("navigation", name="Menu")).to_have_count(1 if one_school else 0)
    tokens = page.get_by_role("navigation", name="Your account and tools").get_by_role("link", name="API tokens")
    expect(tokens).to_have_count(0 if role == "governor" else 1)
    if role != "governor":
        tokens.click()
        expect(page.get_by_role("heading", name="API tokens", level=1)).to_be_visible()
        assert_accessible(page)


def test_a_parent_has_no_school_menu_and_no_api_tokens(page, world):
    sign_in(page, "parent@alder.test")
    expect(page.get_by_role("navigation", name="Menu")).to_have_count(0)
    header = page.get_by_role("navigation", name="Your account and tools")
    expect(header.get_by_role("link", name="API tokens")).to_have_count(0)
    header.get_by_role("link", name="Calendar feed").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("calendar feed")
    assert_accessible(page)


def test_any_page_is_two_clicks_from_a_pupils_page(page, world):
    sign_in(page, "senco@alder.test")
    pupil_page = f"/schools/{world.school.urn}/pupils/{world.pupil_support.upn}/"
    for section, sub_link, heading in [
        ("Staff", "Staff training", "Staff SEND training"),
        ("Provision", "Sessions", "Sessions"),
        ("Plans and reviews", "Term dates", "Term dates"),
        ("Pupils", "Import pupils", "Import pupils"),
        ("Reports", "SENCo summary for governors", "a summary for governors"),
    ]:
        page.goto(pupil_page)
        page.get_by_role("navigation", name="Menu").get_by_role("link", name=section).click()
        sub = page.get_by_role("navigation", name=section)
        expect(sub.get_by_role("link", name=sub_link)).to_be_visible()
        sub.get_by_role("link", name=sub_link).click()
        expect(page.get_by_role("heading", level=1)).to_contain_text(heading)
        expect(page.get_by_role("navigation", name=section).get_by_role("link", name=sub_link)).to_have_attribute(
            "aria-current", "page"
        )
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Statutory work").click()
    expect(page.get_by_role("heading", name="Statutory deadlines", level=1)).to_be_visible()
    assert_accessible(page)


def assert_no_sideways_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), page.url


@pytest.mark.parametrize("width", [320, 375])
def test_overview_register_and_pupil_page_fit_a_narrow_screen(page, world, width):
    page.set_viewport_size({"width": width, "height": 800})
    sign_in(page, "senco@alder.test")
    urn = world.school.urn
    for url in [f"/schools/{urn}/overview/", f"/schools/{urn}/register/", f"/schools/{urn}/pupils/{world.pupil_ehc.upn}/"]:
        page.goto(url)
        page.locator("main h1").first.wait_for()
        assert_no_sideways_scroll(page)
        # A data table wider than the screen scrolls in its own labelled region, reachable by keyboard.
        for region in page.locator("main .sh-scroll[tabindex='0']").all():
            expect(region).to_have_attribute("role", "region")
            assert "scrolls sideways" in region.get_attribute("aria-label")
        assert_accessible(page)


def test_the_menu_button_opens_and_closes_with_the_keyboard(page, world):
    page.set_viewport_size({"width": 320, "height": 800})
    sign_in(page, "senco@alder.test")
    page.goto(f"/schools/{world.school.urn}/register/")
    button = page.get_by_role("button", name="Menu")
    menu = page.locator("#navigation")
    expect(button).to_be_visible()
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(menu).to_be_hidden()
    button.focus()
    page.keyboard.press("Enter")
    expect(button).to_have_attribute("aria-expanded", "true")
    expect(menu.get_by_role("link", name="Staff")).to_be_visible()
    page.keyboard.press("Space")
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(menu).to_be_hidden()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")  # into the open menu
    assert page.evaluate("document.activeElement.textContent.trim()") == "Overview"
    assert_accessible(page)
    page.set_viewport_size({"width": 1024, "height": 800})  # a wide screen shows the menu with no button
    expect(button).to_be_hidden()
    expect(menu.get_by_role("link", name="Reports")).to_be_visible()


@pytest.mark.parametrize("name", ["sencohub", "Statutory dates", "Calendar feed", "API tokens", "Two-factor authentication"])
def test_header_links_take_the_yellow_focus_style(page, world, name):
    sign_in(page, "senco@alder.test")
    page.goto(f"/schools/{world.school.urn}/overview/")
    link = page.locator("header").get_by_role("link", name=name, exact=True)
    link.focus()
    colours = link.evaluate("el => [getComputedStyle(el).color, getComputedStyle(el).backgroundColor]")
    assert colours == ["rgb(11, 12, 12)", "rgb(255, 221, 0)"]  # black on yellow, 14.9:1


def test_sign_out_button_takes_the_yellow_focus_style_too(page, world):
    sign_in(page, "senco@alder.test")
    button = page.locator("header").get_by_role("button", name="Sign out")
    button.focus()
    assert button.evaluate("el => getComputedStyle(el).backgroundColor") == "rgb(255, 221, 0)"
    assert button.evaluate("el => getComputedStyle(el).color") == "rgb(11, 12, 12)"


def test_the_overview_leads_with_counts_and_collapses_what_is_empty(page, world):
    today = timezone.localdate()
    plan = plan_start(pupil=world.pupil_support, starts_on=today - dt.timedelta(days=60), today=today)
    SupportPlan.objects.filter(pk=plan.pk).update(review_on=today - dt.timedelta(days=3))
    sign_in(page, "senco@alder.test")
    page.goto(f"/schools/{world.school.urn}/overview/")
    counts = page.locator(".sh-overview-counts")
    rows = counts.locator(".govuk-summary-list__key").all_inner_texts()
    assert rows.index("Support plan reviews overdue") < rows.index("Support plan reviews due in the next two weeks")
    assert rows.index("Statutory deadlines overdue") < rows.index("Plans with no outcomes")
    overdue = counts.locator(".govuk-summary-list__row", has_text="Support plan reviews overdue")
    expect(overdue).to_contain_text("1")
    overdue.get_by_role("link", name="See them").click()
    expect(page.get_by_role("heading", name="Support plan reviews overdue (1)")).to_be_visible()
    expect(page.get_by_role("link", name=plan.pupil.full_name).first).to_be_visible()
    due = counts.locator(".govuk-summary-list__row", has_text="Support plan reviews due in the next two weeks")
    expect(due).to_contain_text("None due")
    expect(page.get_by_role("heading", name="Support plan reviews due in the next two weeks")).to_have_count(0)
    expect(page.get_by_text("None.", exact=True)).to_have_count(0)
    assert_accessible(page)


def test_the_favicon_is_served(page, world):
    assert page.request.get("/favicon.ico").status == 200
    sign_in(page, "senco@alder.test")
    for icon in page.locator("link[rel~='icon']").all():
        assert page.request.get(icon.get_attribute("href")).status == 200
