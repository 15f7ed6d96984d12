"""The pages a person meets when something went wrong behind their back pass axe-core: a print whose worker
stopped, and measures someone else saved while the page was open."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from sencohub.provision.catalogue import catalogue_seed
from sencohub.provision.models import Enrolment, Intervention, PayBand, Provision
from sencohub.support.models import PrintJob
from tests.browser.conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_print_whose_worker_stopped_says_so_and_offers_to_try_again(page, world):
    long_ago = timezone.now() - dt.timedelta(minutes=5)
    job = PrintJob.objects.create(school=world.school, requested_by=world.people["senco"], what="plans", fmt="pdf",
                                  status=PrintJob.Status.RUNNING, done=1, total=3)  # fmt: skip
    PrintJob.objects.filter(pk=job.pk).update(created_at=long_ago, progress_at=long_ago)
    sign_in(page, "senco@alder.test")
    page.goto(f"/schools/{world.school.urn}/print/{job.pk}/")
    expect(page.get_by_role("heading", name="The file could not be made")).to_be_visible()
    expect(page.get_by_text("The background worker stopped while making this file")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Try again").click()
    expect(page.get_by_role("heading", name="Print")).to_be_visible()


def test_measures_saved_by_someone_else_meanwhile_are_shown_and_not_overwritten(page, world):
    catalogue_seed(world.school)
    band = PayBand.objects.create(school=world.school, name="Teaching assistant", hourly_pence=1540)
    group = Provision.objects.create(
        school=world.school, intervention=Intervention.objects.get(school=world.school, name="Reading fluency"),
        name="Reading group", staff="Mrs Patel", pay_band=band, days="024", starts_on=dt.date(2026, 9, 7),
        ends_on=dt.date(2026, 12, 18), sessions_per_week=3, minutes=20,
    )  # fmt: skip
    group.pupils.add(world.pupil_support)
    sign_in(page, "senco@alder.test")
    page.goto(f"/schools/{world.school.urn}/provision/groups/{group.pk}/measures/")
    Enrolment.objects.filter(provision=group).update(measure="standardised", entry_value=84)  # the deputy, meanwhile
    page.get_by_label("Measure", exact=True).select_option(label="Standardised score")
    page.get_by_label("On entry (optional)", exact=True).fill("91")
    page.get_by_role("button", name="Save the measures").click()
    expect(page.get_by_text("Not saved: someone else changed this set of measures")).to_be_visible()
    expect(page.get_by_label("On entry (optional)", exact=True)).to_have_value("91")
    assert_accessible(page)
    assert Enrolment.objects.get(provision=group).entry_value == 84
