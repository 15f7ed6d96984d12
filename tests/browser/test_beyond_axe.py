"""What a keyboard walk found that axe cannot see: the warning before an idle sign-out, progress that keeps the
focus where it is and says its state in the title, error summaries and titles, the sign-in page's order and the
size of chart labels."""

import datetime as dt
import re
import time
from decimal import Decimal
from importlib import import_module

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from sencohub.support.models import PrintJob
from sencohub.workforce.models import Appointment
from sencohub.workforce.services import week_log_record
from tests.browser.conftest import assert_accessible, assert_chart_labels_legible, sign_in, totp_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FOCUSED = "() => document.activeElement && (document.activeElement.id || document.activeElement.textContent.trim())"


def _session_idle_for(page, seconds):
    """Make the browser's session look idle for `seconds`, as if the person had walked away."""
    key = next(c["value"] for c in page.context.cookies() if c["name"] == settings.SESSION_COOKIE_NAME)
    session = import_module(settings.SESSION_ENGINE).SessionStore(session_key=key)
    session["sencohub_last_seen"] = time.time() - seconds
    session.save()
    return session


# ---- The warning before an idle sign-out (WCAG 2.2.1) -------------------------------------------------------------


def test_a_warning_before_the_idle_sign_out_keeps_the_person_signed_in(page, world):
    limit = settings.SESSION_IDLE_TIMEOUT.total_seconds()
    page.clock.install()
    sign_in(page, "senco@alder.test")
    page.goto(f"/schools/{world.school.urn}/register/")
    expect(page.get_by_role("heading", name="SEN register", level=1)).to_be_visible()
    dialog = page.get_by_role("dialog", name="You will be signed out soon")
    expect(dialog).to_be_hidden()

    # 26 minutes with nothing done: the warning takes the focus, with minutes to spare.
    page.clock.fast_forward(int(limit - 4 * 60) * 1000)
    expect(dialog).to_be_visible()
    stay = dialog.get_by_role("button", name="Stay signed in")
    expect(stay).to_be_focused()
    expect(dialog).to_contain_text("you will be signed out in 4 minutes")
    assert_accessible(page)

    # Pressing Enter on it tells the server: the idle time starts again there too.
    session = _session_idle_for(page, limit - 4 * 60)
    page.keyboard.press("Enter")
    expect(dialog).to_be_hidden()
    session = import_module(settings.SESSION_ENGINE).SessionStore(session_key=session.session_key)
    assert time.time() - session["sencohub_last_seen"] < 30

    # Another 26 minutes: warned again; Escape also means "I am here".
    page.clock.fast_forward(int(limit - 4 * 60) * 1000)
    expect(stay).to_be_focused()
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    page.get_by_label("SEN provision").select_option("K")  # still signed in: the register answers
    expect(page).to_have_url(re.compile(r"/register/\?.*provision=K"))
    expect(page.get_by_role("heading", name="SEN register", level=1)).to_be_visible()


def test_with_no_answer_the_warning_says_the_person_has_been_signed_out(page, world):
    limit = settings.SESSION_IDLE_TIMEOUT.total_seconds()
    page.clock.install()
    sign_in(page, "senco@alder.test")
    page.goto(f"/schools/{world.school.urn}/register/")
    page.clock.fast_forward(int(limit + 5) * 1000)
    _session_idle_for(page, limit + 5)
    signed_out = page.get_by_role("dialog", name="You have been signed out")
    expect(signed_out).to_be_visible()
    again = signed_out.get_by_role("button", name="Sign in again")
    expect(again).to_be_focused()
    assert_accessible(page)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Sign in to sencohub")).to_be_visible()
    assert "next=" in page.url and "register" in page.url


def test_filtering_the_register_after_the_session_ended_goes_to_sign_in_as_a_whole_page(page, world):
    sign_in(page, "senco@alder.test")
    page.goto(f"/schools/{world.school.urn}/register/?year=3")
    expect(page.get_by_role("heading", name="SEN register", level=1)).to_be_visible()
    _session_idle_for(page, settings.SESSION_IDLE_TIMEOUT.total_seconds() + 5)
    page.get_by_label("SEN provision").select_option("E")  # an HTMX request for the results only
    page.wait_for_url("**/accounts/login/**")
    expect(page.get_by_role("heading", name="Sign in to sencohub", level=1)).to_have_count(1)
    expect(page.get_by_role("heading", name="SEN register")).to_have_count(0)  # not drawn inside the results
    expect(page.get_by_text("You were signed out because you had been inactive")).to_be_visible()
    assert "next=%2Fschools%2F" in page.url and "year%3D3" in page.url
    assert_accessible(page)
    page.get_by_label("Email").fill("senco@alder.test")
    page.get_by_label("Password").fill("correct-horse-battery")
    page.get_by_role("button", name="Sign in").click()
    # The code of the next period: the one used to sign in first is spent (each code is good once).
    page.get_by_label("Authenticator code").fill(totp_code(offset=1))
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(rf"/schools/{world.school.urn}/register/\?year=3$"))


# ---- Live progress ----------------------------------------------------------------------------------------------


def test_a_print_in_progress_keeps_the_focus_and_says_its_state_in_the_title(page, world):
    sign_in(page, "senco@alder.test")
    job = PrintJob.objects.create(school=world.school, requested_by=world.people["senco"], what=PrintJob.What.PLANS,
                                  fmt="pdf", status=PrintJob.Status.RUNNING, done=4, total=10, progress_at=timezone.now())  # fmt: skip
    page.goto(f"/schools/{world.school.urn}/print/{job.pk}/")
    expect(page.get_by_role("heading", name="Making the file")).to_be_visible()
    expect(page.get_by_role("status")).to_have_text("Made 4 of 10.")
    expect(page).to_have_title(f"Making the file – 40% – Current support plans – {world.school.name} – sencohub")
    assert_accessible(page)
    refresh = page.get_by_role("link", name="Refresh the page")
    refresh.focus()
    status_id = page.get_by_role("status").get_attribute("id")

    PrintJob.objects.filter(pk=job.pk).update(done=7, progress_at=timezone.now())
    expect(page.get_by_role("status")).to_have_text("Made 7 of 10.")
    expect(page).to_have_title(f"Making the file – 70% – Current support plans – {world.school.name} – sencohub")
    page.wait_for_timeout(2500)  # two more polls
    expect(refresh).to_be_focused()  # the focus never dropped to the page's body
    assert page.get_by_role("status").get_attribute("id") == status_id  # the same element, its words changed
    expect(page.get_by_role("status")).to_have_count(1)

    PrintJob.objects.filter(pk=job.pk).update(status=PrintJob.Status.DONE, done=10, result=b"%PDF-1.4\n", filename="plans.pdf")
    expect(page.get_by_role("heading", name="Your file is ready")).to_be_visible()
    expect(page).to_have_title(f"Your file is ready – Current support plans – {world.school.name} – sencohub")
    assert_accessible(page)


# ---- Error summaries, messages and titles ------------------------------------------------------------------------


def test_a_refused_status_change_names_each_field_and_its_summary_takes_the_keyboard_to_the_first_radio(page, world):
    pupil = world.pupil_support
    sign_in(page, "senco@alder.test")
    page.goto(f"/schools/{world.school.urn}/pupils/{pupil.upn}/status/")
    expect(page).not_to_have_title(re.compile("^Error:"))
    page.get_by_label("Start date").fill("")
    page.get_by_role("button", name="Save").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Select the new SEN provision")
    expect(summary).to_contain_text("Enter the start date")
    expect(summary).to_contain_text("Enter the reason for the change")
    expect(page.get_by_text("This field is required.")).to_have_count(0)
    assert page.title().startswith("Error: Change SEN status")
    assert_accessible(page)

    summary.get_by_role("link", name="Select the new SEN provision").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#id_provision_0")).to_be_focused()
    summary.get_by_role("link", name="Enter the start date").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_label("Start date")).to_be_focused()

    # Several values tried in the radio group: each is kept when the rest of the form is refused.
    for value in ("N", "E", "K"):
        page.locator(f"input[name=provision][value={value}]").check()
        page.get_by_label("Start date").fill("")
        page.get_by_role("button", name="Save").click()
        expect(page.locator(f"input[name=provision][value={value}]")).to_be_checked()
        expect(page.locator(".govuk-error-summary")).not_to_contain_text("Select the new SEN provision")
        assert page.title().startswith("Error: ")


def test_signing_in_with_nothing_typed_names_both_fields_in_an_error_summary(page, world):
    page.goto("/accounts/login/")
    expect(page).to_have_title("Sign in – sencohub")
    # The order a keyboard meets: email, password, the button, then the link for a forgotten password.
    page.get_by_label("Email address").focus()
    order = []
    for _ in range(3):
        page.keyboard.press("Tab")
        order.append(page.evaluate(FOCUSED))
    assert order == ["id_password", "Sign in", "Forgotten your password?"]
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_title("Error: Sign in – sencohub")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter your email address")
    expect(summary).to_contain_text("Enter your password")
    assert_accessible(page)
    summary.get_by_role("link", name="Enter your password").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_label("Password")).to_be_focused()

    page.get_by_label("Email address").fill("senco@alder.test")
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_title("Error: Sign in – sencohub")
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)


# ---- Charts ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("width", [1280, 375])
def test_the_time_log_chart_labels_stay_legible_on_a_wide_and_a_narrow_screen(page, world, width):
    senco = Appointment.objects.create(school=world.school, name="Sam Senco", user=world.people["senco"],
                                       starts_on=dt.date(2025, 1, 6), protected_hours=Decimal(8))  # fmt: skip
    monday = timezone.localdate() - dt.timedelta(days=timezone.localdate().weekday())
    week_log_record(appointment=senco, by=world.people["senco"], week_of=monday, strategic=Decimal(2),
                    pupils=Decimal(4), administration=Decimal(6), ehc_paperwork=Decimal(3))  # fmt: skip
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, "senco@alder.test")
    page.goto(f"/schools/{world.school.urn}/senco/{senco.pk}/time/")
    chart = page.get_by_role("img", name="Hours by category this school year")
    expect(chart).to_be_visible()
    assert page.locator("svg text").count() >= 8
    assert_chart_labels_legible(page)
    assert_accessible(page)
    # On a narrow screen the chart scrolls sideways, and a keyboard can reach it to scroll it.
    page.get_by_role("region", name="Chart of hours by category").focus()
    expect(page.get_by_role("region", name="Chart of hours by category")).to_be_focused()
