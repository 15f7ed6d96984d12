"""Preparing an annual review from what is held: the invitees, progress towards section E, section F as
delivered, each section's text to edit, who attended, and the invitation letter as Word and PDF."""

import datetime as dt

import pytest
from django.utils import timezone

from sencohub.ehcp.models import (
    AdviceRequest,
    AnnualReview,
    AssessmentRequest,
    EhcPlan,
    PlanOutcome,
    PlanProvisionItem,
)
from sencohub.ehcp.preparation import invitees_for
from sencohub.provision.catalogue import catalogue_seed
from sencohub.provision.models import Attendance, Enrolment, Intervention, PayBand, Provision, Session
from sencohub.support.models import Evidence, Outcome
from sencohub.support.services import plan_start
from tests.ehcp.test_documents import docx_text
from tests.reauth import sign_in_confirmed

MEETING = dt.date(2026, 3, 11)


@pytest.fixture
def senco(client, world):
    sign_in_confirmed(client, world.people["senco"])
    return client


@pytest.fixture
def held(world):
    return prepared_review(world)


def prepared_review(world):
    """Ben's plan with an outcome, a termly step with evidence, a group he is measured in, and advice recorded."""
    plan = EhcPlan.objects.get(pupil=world.pupil_ehc)
    plan.section_b = "Autism: finds changes of routine hard."
    plan.section_f = "Small-group language work three times a week."
    plan.save()
    target = PlanOutcome.objects.create(plan=plan, text="Ben asks for help in a sentence", by_when="the end of Year 5")
    catalogue_seed(world.school)
    today = timezone.localdate()
    group = Provision.objects.create(
        school=world.school, intervention=Intervention.objects.get(school=world.school, name="Speech and language group"),
        name="Talk group", staff="Mrs Patel", pay_band=PayBand.objects.create(school=world.school, name="TA", hourly_pence=1500),
        starts_on=today - dt.timedelta(days=60), ends_on=today + dt.timedelta(days=20), sessions_per_week=2, minutes=30,
    )  # fmt: skip
    group.pupils.set([world.pupil_ehc])
    group.run_by.set([world.people["deputy_senco"]])
    Enrolment.objects.filter(provision=group).update(measure="standardised", entry_value=78, entry_on=dt.date(2026, 1, 5),
                                                     exit_value=86, exit_on=dt.date(2026, 2, 23))  # fmt: skip
    for days_ago, present in ((9, True), (2, False)):
        session = Session.objects.create(provision=group, held_on=today - dt.timedelta(days=days_ago))
        Attendance.objects.create(session=session, pupil=world.pupil_ehc, present=present)
    PlanProvisionItem.objects.create(plan=plan, description="Language group", hours_per_week=1.5, group_size=4, provision=group)
    support = plan_start(pupil=world.pupil_ehc, starts_on=dt.date(2026, 1, 5), today=dt.date(2026, 1, 5))
    step = Outcome.objects.create(plan=support, what="Uses 4-word sentences to ask for help", ehc_outcome=target,
                                  result="partly", result_note="Does so with a prompt card.")  # fmt: skip
    support.provisions.create(description="Talk group", provision=group)
    Evidence.objects.create(outcome=step, pupil=world.pupil_ehc, noted_on=dt.date(2026, 2, 10), note="Asked for a pencil unprompted.")
    request = AssessmentRequest.objects.create(pupil=world.pupil_ehc, school=world.school, local_authority=plan.local_authority)
    AdviceRequest.objects.create(request=request, pupil=world.pupil_ehc, adviser="Educational psychologist",
                                 requested_on=dt.date(2024, 11, 4))  # fmt: skip
    review = AnnualReview.objects.create(plan=plan, pupil=plan.pupil, meeting_on=MEETING)
    return plan, target, review


def url(world, review, tail="/"):
    return f"/schools/{world.school.urn}/pupils/{world.pupil_ehc.upn}/ehc/plans/{review.plan_id}/reviews/{review.pk}/{tail}"


def test_everyone_invited_comes_from_parents_staff_and_advisers(world, held):
    plan, _, _ = held
    labels = [i.label for i in invitees_for(plan)]
    ta, deputy = world.people["teaching_assistant"], world.people["deputy_senco"]
    assert labels == [
        "Pat Marchbanks (Mother)",
        f"{ta.get_full_name()} (Teaching assistant)",
        f"{deputy.get_full_name()} (Runs Talk group)",
        "Educational psychologist (Gave advice for the plan)",
    ]
    assert world.people["teacher"].get_full_name() not in " ".join(labels)  # teaches 3A, not Ben's class


def test_the_report_page_is_filled_in_from_what_is_held(senco, world, held):
    _, target, review = held
    page = senco.get(url(world, review, "report/")).content.decode()
    assert "Pat Marchbanks (Mother)" in page and "Educational psychologist (Gave advice for the plan)" in page
    assert "25 February 2026" in page and "25 March 2026" in page  # papers out by, report by
    assert "Uses 4-word sentences to ask for help: Partly achieved. Does so with a prompt card." in page
    assert "Asked for a pencil unprompted." in page and "Talk group, standardised score: 78 on entry" in page
    assert "attended 1 of 2 sessions held" in page and "Attended 1 of 2 sessions held." in page  # a shortfall
    assert "Autism: finds changes of routine hard.</textarea>" in page  # the section's text, ready to edit


def _as_shown(senco, world, review) -> dict:
    form = senco.get(url(world, review, "report/")).context["form"]
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if value in (None, ""):
            continue
        data[name] = value
    return data


def test_a_report_saved_as_it_was_filled_in_keeps_nothing_of_its_own(senco, world, held):
    _, _, review = held
    before = AnnualReview.objects.filter(pk=review.pk).values("attended", "attendees", "amendments", "outcome_progress").get()
    response = senco.post(url(world, review, "report/"), _as_shown(senco, world, review))
    assert response.status_code == 302
    assert AnnualReview.objects.filter(pk=review.pk).values("attended", "attendees", "amendments", "outcome_progress").get() == before


def test_ticked_attendees_edited_progress_and_a_changed_section_go_into_the_report(senco, world, held):
    _, target, review = held
    ta = world.people["teaching_assistant"].get_full_name()
    data = _as_shown(senco, world, review) | {
        "attended": ["Pat Marchbanks (Mother)", f"{ta} (Teaching assistant)", "Educational psychologist (Gave advice for the plan)"],
        "attendees": "Sam Patel, speech and language therapist",
        f"progress_{target.pk}": "Asks for help in a sentence most days, with a prompt card.",
        "amend_b": "Autism: finds changes of routine hard; now copes with a visual timetable.",
        "recommendation": "amend",
    }
    assert senco.post(url(world, review, "report/"), data).status_code == 302
    review.refresh_from_db()
    assert review.attended == data["attended"] and review.amendments == {"b": data["amend_b"]}
    assert review.outcome_progress == {str(target.pk): data[f"progress_{target.pk}"]}
    text = docx_text(senco.get(url(world, review, "report.docx")).content)
    assert f"Pat Marchbanks (Mother); {ta} (Teaching assistant); Educational psychologist" in text
    assert "Sam Patel, speech and language therapist" in text
    assert "Asks for help in a sentence most days, with a prompt card." in text and "Ben asks for help in a sentence" in text
    assert "Language group" in text and "Attended 1 of 2 sessions held." in text
    assert "now copes with a visual timetable" in text
    assert senco.get(url(world, review, "report.pdf")).content[:5] == b"%PDF-"


def test_someone_not_invited_cannot_be_ticked(senco, world, held):
    _, _, review = held
    response = senco.post(url(world, review, "report/"), {"attended": ["Someone Else (Mother)"]})
    assert response.status_code == 200
    assert "Select who attended from the people invited" in response.content.decode()


def test_the_invitation_letter_names_everyone_invited_and_the_dates_the_papers_go_round(senco, world, held):
    import datetime as dt_

    from sencohub.workforce.models import Appointment

    _, _, review = held
    Appointment.objects.create(school=world.school, name="Siân O'Connor", starts_on=dt_.date(2020, 9, 1), qts=True)
    word = senco.get(url(world, review, "invitation.docx"))
    assert word["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "ben-marchbanks" in word["Content-Disposition"] and world.pupil_ehc.upn not in word["Content-Disposition"]
    text = docx_text(word.content)
    assert "11 March 2026" in text and "by 25 February 2026" in text and "by 25 March 2026" in text
    assert "Pat Marchbanks" in text and "Educational psychologist" in text
    assert "Yours sincerely" in text and "Siân O'Connor" in text  # signed by the school's SENCo
    pdf = senco.get(url(world, review, "invitation.pdf"))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content[:5] == b"%PDF-"


def test_an_invitation_before_the_meeting_is_arranged_says_so(senco, world):
    plan = EhcPlan.objects.get(pupil=world.pupil_ehc)
    review = AnnualReview.objects.create(plan=plan, pupil=plan.pupil)
    text = docx_text(senco.get(url(world, review, "invitation.docx")).content)
    assert "a date still to be arranged" in text and "Please send your advice" not in text


def test_the_invitation_is_read_only_for_those_who_may_see_the_pupil(client, world, held):
    _, _, review = held
    client.force_login(world.people["outsider"])
    assert client.get(url(world, review, "invitation.pdf")).status_code == 404
    client.force_login(world.people["head"])
    assert client.get(url(world, review, "invitation.pdf")).status_code == 200
