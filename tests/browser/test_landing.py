"""Each role signs in and lands where their work is, in a real browser, with axe on every page."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from sencohub.provision.catalogue import catalogue_seed
from sencohub.provision.models import Intervention, PayBand, Provision
from sencohub.pupils.models import ParentCarer
from sencohub.support.models import Outcome, ParentViews, Strategy
from sencohub.support.services import passport_save, plan_start
from tests.browser.conftest import assert_accessible, sign_in, totp_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _plan(pupil):
    plan = plan_start(pupil=pupil, starts_on=timezone.localdate() - dt.timedelta(days=20))
    Outcome.objects.create(plan=plan, what="Asks for help with a card", success_criteria="Five times in a week")
    Outcome.objects.create(plan=plan, what="Joins in at group time")
    Strategy.objects.create(plan=plan, text="A visual timetable on the desk")
    return plan


def test_an_assistant_lands_on_my_pupils_on_a_phone_takes_a_register_and_records_evidence(browser, live_server, world):
    _plan(world.pupil_ehc)
    catalogue_seed(world.school)
    band = PayBand.objects.create(school=world.school, name="Teaching assistant", hourly_pence=1540)
    today = timezone.localdate()
    for name in ("Social skills group", "Reading group"):
        group = Provision.objects.create(
            school=world.school, intervention=Intervention.objects.filter(school=world.school).first(), name=name,
            pay_band=band, starts_on=today - dt.timedelta(days=7), ends_on=today + dt.timedelta(days=60),
            sessions_per_week=2, minutes=30,
        )  # fmt: skip
        group.pupils.set([world.pupil_ehc])
    context = browser.new_context(base_url=live_server.url, locale="en-GB", viewport={"width": 375, "height": 740},
                                  is_mobile=True, has_touch=True)  # fmt: skip
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill("ta@alder.test")
    page.get_by_label("Password").fill("correct-horse-battery")
    page.get_by_role("button", name="Sign in").click()
    page.get_by_label("Authenticator code").fill(totp_code())
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="My pupils with SEN")).to_be_visible()
    assert page.url.endswith(f"/schools/{world.school.urn}/my-pupils/")
    expect(page.get_by_role("heading", name="Your sessions today")).to_be_visible()
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.get_by_role("link", name="Take the register for Social skills group").click()
    assert_accessible(page)
    page.get_by_role("button", name="Save the register").click()
    expect(page.get_by_text("Register saved for Social skills group")).to_be_visible()
    page.goto("/")
    expect(page.get_by_role("link", name="Change today's register for Social skills group")).to_be_visible()
    expect(page.get_by_role("link", name="Take the register for Reading group")).to_be_visible()
    expect(page.get_by_text("No evidence recorded this cycle yet")).to_be_visible()

    page.get_by_role("link", name="Record evidence for Ben Marchbanks: Joins in at group time").click()
    assert_accessible(page)
    page.get_by_label("What you saw").fill("Joined the circle for the whole story.")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Your evidence was recorded.")).to_be_visible()
    assert page.url.endswith(f"/my-pupils/#pupil-{world.pupil_ehc.upn}")
    expect(page.get_by_text(f"1 piece of evidence this cycle, latest {today:%-d %b %Y}")).to_be_visible()
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    context.close()


def test_a_teacher_lands_on_my_pupils(page, world):
    _plan(world.pupil_support)
    sign_in(page, "teacher@alder.test")
    expect(page.get_by_role("heading", name="My pupils with SEN")).to_be_visible()
    expect(page.get_by_text("A visual timetable on the desk")).to_be_visible()
    expect(page.get_by_role("heading", name="Your sessions today")).to_have_count(0)
    assert_accessible(page)


@pytest.mark.parametrize("email", ["head@alder.test", "senco@alder.test"])
def test_the_head_and_the_senco_land_on_the_overview(page, world, email):
    sign_in(page, email)
    assert page.url.endswith(f"/schools/{world.school.urn}/overview/")
    assert_accessible(page)


def test_the_trust_lead_lands_on_the_trusts_schools(page, world):
    sign_in(page, "lead@alder-trust.test")
    expect(page.get_by_role("heading", name="Your trust's schools at a glance")).to_be_visible()
    table = page.locator("#trust-dashboard")
    expect(table.get_by_role("rowheader", name="Alder Primary")).to_be_visible()
    expect(table.get_by_text("Birch Primary")).to_have_count(0)
    assert_accessible(page)


def test_a_parent_of_two_chooses_a_child_reads_the_plan_and_gives_views(page, world):
    plan = _plan(world.pupil_ehc)
    passport_save(pupil=world.pupil_ehc, support_best="Show me, then let me try", important="My dog, Biscuit")
    ParentCarer.objects.create(pupil=world.pupil_support, user=world.people["parent"], name="Pat", relationship="Mother")
    sign_in(page, "parent@alder.test")
    expect(page.get_by_role("heading", name="Your children")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Ben Marchbanks").click()
    expect(page.get_by_text(f"Next review: {plan.review_on:%A %-d %B %Y}")).to_be_visible()
    expect(page.get_by_text("Asks for help with a card")).to_be_visible()
    expect(page.get_by_text("My dog, Biscuit")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Send to the school").click()
    expect(page.get_by_role("link", name="Write your views before you send them.")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Your views for the next review").fill("Ben is happier since the timetable started.")
    page.get_by_role("button", name="Send to the school").click()
    expect(page.get_by_text("Thank you. Your views have been sent")).to_be_visible()
    assert ParentViews.objects.get().views == "Ben is happier since the timetable started."
    page.goto("/family/")
    page.get_by_role("link", name="Ada Quillfeather").click()
    expect(page.get_by_text("Ada does not have a support plan at the moment.")).to_be_visible()
    assert_accessible(page)
