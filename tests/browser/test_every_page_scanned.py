"""Pages no journey opens, each scanned with axe-core: lists, help pages and the views across schools."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from sencohub.ehcp.models import AssessmentRequest, EhcPlan
from sencohub.workforce.models import Appointment
from tests.browser.conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_sencos_remaining_pages(page, world):
    plan = EhcPlan.objects.get(pupil=world.pupil_ehc)
    request = AssessmentRequest.objects.get(pupil=world.pupil_support)
    pupil_ehc = f"/schools/{world.school.urn}/pupils/{world.pupil_ehc.upn}"
    pupil_support = f"/schools/{world.school.urn}/pupils/{world.pupil_support.upn}"
    sign_in(page, "senco@alder.test")
    for url, heading in [
        (f"/schools/{world.school.urn}/terms/", "Term dates"),
        (f"/schools/{world.school.urn}/provision/groups/", "Provisions"),
        (f"/schools/{world.school.urn}/provision/groups/new/", None),
        (f"{pupil_ehc}/ehc/plans/{plan.pk}/edit/", "Edit the EHC plan"),
        (f"{pupil_ehc}/ehc/plans/{plan.pk}/transfers/new/", "Phase transfer"),
        (f"{pupil_support}/ehc/requests/{request.pk}/evidence/", "Complete the evidence for the request"),
        (f"{pupil_support}/ehc/views/request/{request.pk}/pupil/", "Ada's views"),
        (f"{pupil_support}/support/", "Support plans"),
        ("/help/plan-quality/", "How support plans are checked"),
        ("/calendar/", "Your calendar feed"),
        ("/statutory-dates/senco-qualification/", "SENCo qualification"),
    ]:
        page.goto(url)
        if heading:
            expect(page.get_by_role("heading", name=heading, level=1)).to_be_visible()
        assert_accessible(page)


def test_the_views_across_schools(page, world):
    Appointment.objects.create(school=world.school, name="Sam Senco", starts_on=dt.date(2025, 1, 6))
    sign_in(page, "lead@alder-trust.test")
    page.goto("/sencos/")
    expect(page.get_by_role("cell", name="Sam Senco, since Jan 2025")).to_be_visible()
    assert_accessible(page)
    page.goto("/compliance/")
    expect(page.get_by_role("heading", name="Statutory deadlines")).to_be_visible()
    assert_accessible(page)


def test_the_workforce_forms_and_the_overview_warning(page, world):
    senco = Appointment.objects.create(school=world.school, name="Sam Senco", starts_on=dt.date(2025, 1, 6))
    sign_in(page, "senco@alder.test")
    page.goto(f"/schools/{world.school.urn}/overview/")
    expect(page.get_by_text("The mandatory SENCo qualification for Sam Senco")).to_be_visible()
    assert_accessible(page)
    page.goto(f"/schools/{world.school.urn}/senco/{senco.pk}/qualifications/new/")
    expect(page.get_by_label("Certificate (optional)")).to_be_visible()
    page.get_by_role("button", name="Save").click()  # nothing filled in: the error summary
    expect(page.get_by_role("alert")).to_be_visible()
    assert_accessible(page)
    page.goto(f"/schools/{world.school.urn}/my-training/")
    expect(page.get_by_role("heading", name="My SEND training")).to_be_visible()
    assert_accessible(page)


def test_a_qualification_with_its_certificate_kept(page, world, settings, tmp_path):
    from django.core.files.base import ContentFile

    from sencohub.workforce.models import Qualification

    settings.MEDIA_ROOT = tmp_path
    senco = Appointment.objects.create(school=world.school, name="Sam Senco", starts_on=dt.date(2025, 1, 6))
    q = Qualification.objects.create(appointment=senco, kind="npq", started_on=dt.date(2025, 1, 6))
    q.certificate.save("npq-certificate.pdf", ContentFile(b"%PDF-1.4\n"))
    sign_in(page, "senco@alder.test")
    page.goto(f"/schools/{world.school.urn}/senco/{senco.pk}/qualifications/{q.pk}/")
    expect(page.get_by_text("Current file: npq-certificate.pdf")).to_be_visible()
    expect(page.get_by_label("Remove the file")).not_to_be_checked()
    assert page.locator("a[href*='certificates/']").count() == 0
    assert_accessible(page)


def test_the_support_page_with_an_evidence_file(page, world, settings, tmp_path):
    from django.core.files.base import ContentFile

    from sencohub.support.models import Evidence, Outcome, SupportPlan

    settings.MEDIA_ROOT = tmp_path
    plan = SupportPlan.objects.create(pupil=world.pupil_support, school=world.school, starts_on=dt.date(2026, 9, 7),
                                      review_on=dt.date(2026, 12, 18))  # fmt: skip
    outcome = Outcome.objects.create(plan=plan, what="Reads 40 words a minute")
    evidence = Evidence(outcome=outcome, pupil=world.pupil_support, noted_on=dt.date(2026, 11, 20), note="Score sheet.")
    evidence.file.save("scores.png", ContentFile(b"\x89PNG example"))
    sign_in(page, "senco@alder.test")
    page.goto(f"/schools/{world.school.urn}/pupils/{world.pupil_support.upn}/support/")
    with page.expect_download() as download:
        page.get_by_role("link", name="download the file noted 20 Nov").click()
    assert download.value.suggested_filename == "scores.png"
    assert_accessible(page)
