"""A SENCo prepares an EHC annual review from what is held, in a real browser with axe scans: the report page
filled in, several attendees ticked, sections edited rather than retyped, the review recorded, and the invitation
letter and the report downloaded as Word and PDF."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from sencohub.ehcp.models import AnnualReview
from tests.browser.conftest import assert_accessible, sign_in
from tests.ehcp.test_review_preparation import MEETING, prepared_review

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _download(page, link: str) -> str:
    with page.expect_download() as download:
        page.get_by_role("link", name=link).click()
    return download.value.suggested_filename


def test_prepare_an_annual_review_from_what_is_held(page, world):
    plan, target, review = prepared_review(world)
    ta = world.people["teaching_assistant"].get_full_name()
    deputy = world.people["deputy_senco"].get_full_name()
    sign_in(page, "senco@alder.test")
    page.goto(f"/schools/{world.school.urn}/pupils/{world.pupil_ehc.upn}/ehc/plans/{plan.pk}/")
    expect(page.get_by_role("heading", name="EHC plan issued")).to_be_visible()
    assert _download(page, "Word copy of the invitation letter for review 1").endswith(".docx")
    assert _download(page, "PDF of the invitation letter for review 1").endswith(".pdf")

    page.get_by_role("link", name="Write the report for review 1").click()
    expect(page.get_by_role("heading", name="Write the review report")).to_be_visible()
    expect(page.get_by_text("25 February 2026").first).to_be_visible()  # invitations and advice by
    expect(page.get_by_text("25 March 2026").first).to_be_visible()  # the report by
    expect(page.get_by_role("table", name="Section F provision, specified and delivered")).to_contain_text("Attended 1 of 2 sessions held.")
    progress = page.get_by_label("Progress towards: Ben asks for help in a sentence")
    expect(progress).to_contain_text("Uses 4-word sentences to ask for help: Partly achieved.")
    section_b = page.get_by_label("Section B: Special educational needs: proposed change")
    expect(section_b).to_have_value("Autism: finds changes of routine hard.")
    assert_accessible(page)
    assert _download(page, "Word copy of the invitation letter").endswith(".docx")
    assert _download(page, "PDF of the invitation letter").endswith(".pdf")

    attended = page.get_by_role("group", name="Who attended (optional)")
    expect(attended.get_by_role("checkbox")).to_have_count(4)
    attended.get_by_role("checkbox", name="Pat Marchbanks (Mother)").check()
    attended.get_by_role("checkbox", name=f"{ta} (Teaching assistant)").check()
    attended.get_by_role("checkbox", name=f"{deputy} (Runs Talk group)").check()
    page.get_by_label("Anyone else who took part").fill("Sam Patel, speech and language therapist")
    progress.fill("Asks for help in a sentence most days, with a prompt card.")
    section_b.press("End")
    section_b.type(" A visual timetable now helps.")
    page.get_by_label("Amend the plan").check()
    page.get_by_role("button", name="Save the report").click()
    expect(page.get_by_text("The review report was saved.")).to_be_visible()
    saved = AnnualReview.objects.get(pk=review.pk)
    assert saved.attended == ["Pat Marchbanks (Mother)", f"{ta} (Teaching assistant)", f"{deputy} (Runs Talk group)"]
    assert saved.amendments == {"b": "Autism: finds changes of routine hard. A visual timetable now helps."}
    assert saved.outcome_progress == {str(target.pk): "Asks for help in a sentence most days, with a prompt card."}

    # Opened again, the report shows what was kept; one attendee less and one more are kept exactly.
    page.get_by_role("link", name="Write the report for review 1").click()
    attended = page.get_by_role("group", name="Who attended (optional)")
    expect(attended.get_by_role("checkbox", checked=True)).to_have_count(3)
    attended.get_by_role("checkbox", name=f"{deputy} (Runs Talk group)").uncheck()
    attended.get_by_role("checkbox", name="Educational psychologist (Gave advice for the plan)").check()
    page.get_by_role("button", name="Save the report").click()
    expect(page.get_by_text("The review report was saved.")).to_be_visible()
    assert AnnualReview.objects.get(pk=review.pk).attended == [
        "Pat Marchbanks (Mother)", f"{ta} (Teaching assistant)", "Educational psychologist (Gave advice for the plan)"
    ]  # fmt: skip

    page.get_by_role("link", name="Record review 1").click()
    expect(page.get_by_text("Invitations and advice go to everyone invited by 25 February 2026")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Date invitations were sent").fill((MEETING - dt.timedelta(days=15)).isoformat())
    page.get_by_label("Date advice was circulated").fill((MEETING - dt.timedelta(days=14)).isoformat())
    page.get_by_label("Date the review report was sent").fill((MEETING + dt.timedelta(days=9)).isoformat())
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("The annual review was saved.")).to_be_visible()
    assert_accessible(page)
    assert _download(page, "Word copy of the report for review 1").endswith(".docx")
    assert _download(page, "PDF of the report for review 1").endswith(".pdf")
    saved = AnnualReview.objects.get(pk=review.pk)
    assert saved.report_sent_on == MEETING + dt.timedelta(days=9)
    assert saved.amendments == {"b": "Autism: finds changes of routine hard. A visual timetable now helps."}


def test_a_review_report_saved_unchanged_keeps_every_attendee_even_one_no_longer_invited(page, world):
    plan, _, review = prepared_review(world)
    AnnualReview.objects.filter(pk=review.pk).update(
        attended=["Pat Marchbanks (Mother)", "Lee Former (Class teacher)"], attendees="Sam Patel, speech and language therapist"
    )  # fmt: skip
    before = AnnualReview.objects.filter(pk=review.pk).values("attended", "attendees", "amendments", "outcome_progress").get()
    sign_in(page, "senco@alder.test")
    page.goto(f"/schools/{world.school.urn}/pupils/{world.pupil_ehc.upn}/ehc/plans/{plan.pk}/reviews/{review.pk}/report/")
    attended = page.get_by_role("group", name="Who attended (optional)")
    expect(attended.get_by_role("checkbox")).to_have_count(5)
    expect(attended.get_by_role("checkbox", checked=True)).to_have_count(2)
    assert_accessible(page)
    page.get_by_role("button", name="Save the report").click()
    expect(page.get_by_text("The review report was saved.")).to_be_visible()
    assert AnnualReview.objects.filter(pk=review.pk).values("attended", "attendees", "amendments", "outcome_progress").get() == before
