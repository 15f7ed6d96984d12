"""The review report and the evidence pack, as Word and PDF, and a school's own Word template."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document

from sencohub.documents.models import DocumentTemplate
from sencohub.ehcp.documents import REVIEW_REPORT
from sencohub.ehcp.models import AnnualReview, AssessmentRequest, EhcPlan
from tests.reauth import sign_in_confirmed


def docx_text(content: bytes) -> str:
    return "\n".join(p.text for p in Document(io.BytesIO(content)).paragraphs)


@pytest.fixture
def review(world):
    plan = EhcPlan.objects.get(pupil=world.pupil_ehc)
    plan.section_b = "Autism: finds changes of routine hard."
    plan.save()
    return AnnualReview.objects.create(plan=plan, pupil=plan.pupil, meeting_on=dt.date(2026, 3, 2))


@pytest.fixture
def senco(client, world):
    sign_in_confirmed(client, world.people["senco"])
    return client


def report_url(world, review):
    return f"/schools/{world.school.urn}/pupils/{world.pupil_ehc.upn}/ehc/plans/{review.plan_id}/reviews/{review.pk}/report"


def test_the_review_report_is_prefilled_and_comes_as_word_and_pdf(senco, world, review):
    response = senco.post(report_url(world, review) + "/", {
        "attendees": "Mum, SENCo, class teacher", "pupil_views": "I like the quiet room.\nLunch is noisy.",
        "parent_views": "Settled well & happier.", "recommendation": "amend", "amend_f": "Add 2 lunchtime club sessions a week.",
    })  # fmt: skip
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.amendments == {"f": "Add 2 lunchtime club sessions a week."} and review.recommendation == "amend"
    word = senco.get(report_url(world, review) + ".docx")
    assert word["Content-Type"].startswith("application/vnd.openxmlformats")
    text = docx_text(word.content)
    assert "Ben Marchbanks" in text and "Settled well & happier." in text
    assert "Autism: finds changes of routine hard." in text and "Add 2 lunchtime club sessions a week." in text
    assert "16 March 2026" in text  # report due: meeting + 14 days
    assert "No change proposed." in text and "Amend the plan" in text
    pdf = senco.get(report_url(world, review) + ".pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content[:5] == b"%PDF-"
    assert senco.get(report_url(world, review) + ".odt").status_code == 404


def test_the_evidence_pack_gathers_what_is_held(senco, world):
    request = AssessmentRequest.objects.get(pupil=world.pupil_support)
    url = f"/schools/{world.school.urn}/pupils/{world.pupil_support.upn}/ehc/requests/{request.pk}/evidence"
    senco.post(url + "/", {"summary": "Language well below age.", "tried": "Talk boost for two terms."})
    text = docx_text(senco.get(url + ".docx").content)
    assert "Language well below age." in text and "Talk boost for two terms." in text
    assert "SEN support from 8 September 2025" in text  # the register's history
    assert senco.get(url + ".pdf").content[:5] == b"%PDF-"


def test_documents_are_read_only_for_those_who_may_see_the_pupil(client, world, review):
    client.force_login(world.people["outsider"])
    assert client.get(report_url(world, review) + ".pdf").status_code == 404
    client.force_login(world.people["head"])
    assert client.get(report_url(world, review) + ".pdf").status_code == 200
    assert client.get(report_url(world, review) + "/").status_code == 404  # heads read; they do not write


def test_a_school_uses_its_own_word_template(senco, world, review):
    base = f"/schools/{world.school.urn}/documents/"
    standard = senco.get(base + "annual_review_report/template.docx").content
    edited = Document(io.BytesIO(standard))
    edited.paragraphs[0].text = "Alder Primary: annual review for {{ pupil_name }}"
    out = io.BytesIO()
    edited.save(out)
    response = senco.post(base + "annual_review_report/upload/", {
        "annual_review_report-file": SimpleUploadedFile("ours.docx", out.getvalue())})  # fmt: skip
    assert response.status_code == 302 and DocumentTemplate.objects.filter(school=world.school).count() == 1
    assert "Alder Primary: annual review for Ben Marchbanks" in docx_text(senco.get(report_url(world, review) + ".docx").content)
    senco.post(base + "annual_review_report/reset/")
    assert not DocumentTemplate.objects.exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"not a word file", "not a Word document"), (None, "a field in it is not right")],
)
def test_a_broken_template_is_refused_with_a_reason(senco, world, content, message):
    if content is None:
        doc = Document(io.BytesIO(REVIEW_REPORT.build_default()))
        doc.add_paragraph("{% for x in %}")
        out = io.BytesIO()
        doc.save(out)
        content = out.getvalue()
    response = senco.post(f"/schools/{world.school.urn}/documents/annual_review_report/upload/",
                          {"annual_review_report-file": SimpleUploadedFile("bad.docx", content)})  # fmt: skip
    assert response.status_code == 200 and message in response.content.decode()
    assert not DocumentTemplate.objects.exists()


def test_the_evidence_pack_holds_every_support_cycle(senco, world):
    from sencohub.support.models import Outcome
    from sencohub.support.services import plan_start, review_record

    plan = plan_start(pupil=world.pupil_support, starts_on=dt.date(2026, 9, 7), today=dt.date(2026, 11, 23))
    outcome = Outcome.objects.create(plan=plan, what="Uses 4-word sentences to ask for help")
    plan.provisions.create(description="Speech and language group", sessions_per_week=2, minutes=30)
    review_record(plan=plan, expected_version=plan.version, reviewed_on=dt.date(2026, 11, 20),
                  results={outcome.pk: ("partly", "")}, pupil_voice="Talking is easier", parent_voice="", decision="continue",
                  today=dt.date(2026, 11, 23))  # fmt: skip
    request = AssessmentRequest.objects.get(pupil=world.pupil_support)
    url = f"/schools/{world.school.urn}/pupils/{world.pupil_support.upn}/ehc/requests/{request.pk}/evidence.docx"
    text = docx_text(senco.get(url).content)
    assert "Support plan 1, 7 September 2026 to 20 November 2026" in text
    assert "Uses 4-word sentences to ask for help: Partly achieved" in text and "Speech and language group" in text


def test_the_evidence_pack_holds_the_costed_provision(senco, world):
    from django.utils import timezone

    from sencohub.provision.catalogue import catalogue_seed
    from sencohub.provision.models import Attendance, Enrolment, Intervention, PayBand, Provision, Session

    catalogue_seed(world.school)
    today = timezone.localdate()
    group = Provision.objects.create(
        school=world.school, intervention=Intervention.objects.get(school=world.school, name="Speech and language group"),
        name="Talk group", staff="Mrs Patel", pay_band=PayBand.objects.create(school=world.school, name="TA", hourly_pence=1500),
        starts_on=today - dt.timedelta(days=20), ends_on=today + dt.timedelta(days=20), sessions_per_week=2, minutes=30,
    )  # fmt: skip
    group.pupils.set([world.pupil_support])
    Enrolment.objects.filter(provision=group).update(measure="standardised", entry_value=78)
    session = Session.objects.create(provision=group, held_on=today - dt.timedelta(days=2))
    Attendance.objects.create(session=session, pupil=world.pupil_support, present=True)
    request = AssessmentRequest.objects.get(pupil=world.pupil_support)
    url = f"/schools/{world.school.urn}/pupils/{world.pupil_support.upn}/ehc/requests/{request.pk}/evidence.docx"
    text = docx_text(senco.get(url).content)
    assert "Talk group:" in text and "2 a week, 30 minutes, group of 1" in text
    assert "attended 1 of 1 sessions" in text and "Standardised score: 78.0 on entry" in text and "cost to the school £" in text
