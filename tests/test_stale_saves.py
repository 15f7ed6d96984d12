"""Two people edit the same record: the second save, made from a page opened before the first, is refused.

Each record kind is driven the way a person meets it: both open the edit page, the deputy SENCo saves a change, then
the SENCo saves theirs. The SENCo's save is refused with the deputy's words on the page and their own still in the
form; nothing the deputy saved is lost. Saving again, having seen theirs, goes through.
"""

import datetime as dt
from dataclasses import dataclass

import pytest
from django.test import Client

from sencohub.ehcp.models import AnnualReview, EhcPlan, PhaseTransfer
from sencohub.provision.catalogue import catalogue_seed
from sencohub.provision.models import Intervention, PayBand, Provision
from sencohub.register.models import Need
from sencohub.workforce.models import Appointment, Qualification, TrainingSession


def form_data(response) -> dict:
    """What the browser would send back for the page's form, untouched (hidden fields included)."""
    form = response.context["form"]
    data = {}
    for bound in form:
        value = bound.value()
        if value is None or value is False:
            continue
        if value is True:
            value = "on"
        elif isinstance(value, (list, tuple)):
            value = [str(v) for v in value]
        elif isinstance(value, (dt.date, dt.datetime)):
            value = value.isoformat()
        else:
            value = str(value)
        data[bound.html_name] = value
    return data


@dataclass
class Record:
    url: str
    field: str  # a field both people change
    stored: object  # () -> the field's value as saved now
    theirs: str = "Written by the deputy"
    mine: str = "Written by the SENCo"
    theirs_shown: str = ""  # how the page shows theirs, if not as typed

    def __post_init__(self):
        self.theirs_shown = self.theirs_shown or self.theirs


def _people(world):
    senco, deputy = Client(), Client()
    senco.force_login(world.people["senco"])
    deputy.force_login(world.people["deputy_senco"])
    return senco, deputy


def _ehc(world, tail=""):
    return f"/schools/{world.school.urn}/pupils/{world.pupil_ehc.upn}/ehc/{tail}"


def _plan(world):
    return EhcPlan.objects.get(pupil=world.pupil_ehc)


def ehc_plan(world):
    plan = _plan(world)
    return Record(_ehc(world, f"plans/{plan.pk}/edit/"), "section_b", lambda: EhcPlan.objects.get(pk=plan.pk).section_b)


def assessment_request_dates(world):
    request = world.pupil_support.assessment_requests.get()
    # The request went to another LA; the school's SENCo still records it.
    url = f"/schools/{world.school.urn}/pupils/{world.pupil_support.upn}/ehc/requests/{request.pk}/edit/"
    return Record(url, "notes", lambda: type(request).objects.get(pk=request.pk).notes)


def assessment_request_evidence(world):
    request = world.pupil_support.assessment_requests.get()
    url = f"/schools/{world.school.urn}/pupils/{world.pupil_support.upn}/ehc/requests/{request.pk}/evidence/"
    return Record(url, "summary", lambda: type(request).objects.get(pk=request.pk).summary)


def advice_returned(world):
    request = world.pupil_support.assessment_requests.get()
    advice = request.advice.create(pupil=world.pupil_support, adviser="Educational psychologist", requested_on=dt.date(2026, 9, 20))
    url = f"/schools/{world.school.urn}/pupils/{world.pupil_support.upn}/ehc/requests/{request.pk}/advice/{advice.pk}/returned/"
    stored = lambda: str(type(advice).objects.get(pk=advice.pk).returned_on)  # noqa: E731
    return Record(url, "returned_on", stored, theirs="2026-10-30", mine="2026-11-02", theirs_shown="30 October 2026")


def annual_review(world):
    plan = _plan(world)
    review = AnnualReview.objects.create(plan=plan, pupil=plan.pupil, meeting_on=dt.date(2026, 2, 20))
    url = _ehc(world, f"plans/{plan.pk}/reviews/{review.pk}/")
    return Record(url, "pupil_views", lambda: AnnualReview.objects.get(pk=review.pk).pupil_views)


def annual_review_report(world):
    plan = _plan(world)
    review = AnnualReview.objects.create(plan=plan, pupil=plan.pupil, meeting_on=dt.date(2026, 2, 20))
    url = _ehc(world, f"plans/{plan.pk}/reviews/{review.pk}/report/")
    return Record(url, "attendees", lambda: AnnualReview.objects.get(pk=review.pk).attendees)


def phase_transfer(world):
    plan = _plan(world)
    transfer = PhaseTransfer.objects.create(plan=plan, pupil=plan.pupil, transfer_on=dt.date(2027, 9, 6), to="school")
    url = _ehc(world, f"plans/{plan.pk}/transfers/{transfer.pk}/")
    return Record(url, "new_setting", lambda: PhaseTransfer.objects.get(pk=transfer.pk).new_setting)


def pupil_needs(world):
    url = f"/schools/{world.school.urn}/pupils/{world.pupil_ehc.upn}/needs/"
    return Record(url, "primary_notes", lambda: Need.objects.get(pupil=world.pupil_ehc, rank=1).notes)


def parents_told(world):
    status = world.pupil_support.sen_statuses.get()
    url = f"/schools/{world.school.urn}/pupils/{world.pupil_support.upn}/status/{status.pk}/parents-informed/"
    stored = lambda: str(type(status).objects.get(pk=status.pk).parents_informed_on)  # noqa: E731
    return Record(url, "informed_on", stored, theirs="2025-10-03", mine="2025-10-05", theirs_shown="3 October 2025")


def senco_appointment(world):
    appointment = Appointment.objects.create(school=world.school, name="Sam Okafor", starts_on=dt.date(2024, 9, 1))
    url = f"/schools/{world.school.urn}/senco/{appointment.pk}/"
    return Record(url, "name", lambda: Appointment.objects.get(pk=appointment.pk).name)


def senco_qualification(world):
    appointment = Appointment.objects.create(school=world.school, name="Sam Okafor", starts_on=dt.date(2024, 9, 1))
    qualification = Qualification.objects.create(appointment=appointment, kind="npq", started_on=dt.date(2024, 10, 1))
    url = f"/schools/{world.school.urn}/senco/{appointment.pk}/qualifications/{qualification.pk}/"
    return Record(url, "provider", lambda: Qualification.objects.get(pk=qualification.pk).provider)


def training_session(world):
    session = TrainingSession.objects.create(school=world.school, topic="Autism in the classroom", held_on=dt.date(2026, 1, 5))
    url = f"/schools/{world.school.urn}/training/{session.pk}/"
    return Record(url, "topic", lambda: TrainingSession.objects.get(pk=session.pk).topic)


def _provision(world):
    catalogue_seed(world.school)
    band = PayBand.objects.create(school=world.school, name="Teaching assistant", hourly_pence=1540)
    provision = Provision.objects.create(
        school=world.school, intervention=Intervention.objects.filter(school=world.school).first(), name="Reading group",
        staff="Mrs Patel", pay_band=band, starts_on=dt.date(2026, 9, 7), ends_on=dt.date(2026, 12, 18),
        sessions_per_week=3, minutes=20, days="024",
    )  # fmt: skip
    provision.pupils.set([world.pupil_support])
    return provision


def provision(world):
    made = _provision(world)
    url = f"/schools/{world.school.urn}/provision/groups/{made.pk}/"
    return Record(url, "when", lambda: Provision.objects.get(pk=made.pk).when)


RECORDS = [
    ehc_plan, assessment_request_dates, assessment_request_evidence, advice_returned, annual_review, annual_review_report,
    phase_transfer, pupil_needs, parents_told, senco_appointment, senco_qualification, training_session, provision,
]  # fmt: skip


@pytest.mark.parametrize("make", RECORDS, ids=[make.__name__ for make in RECORDS])
def test_a_save_from_a_page_opened_before_someone_elses_save_is_refused_and_keeps_what_was_typed(world, make):
    record = make(world)
    senco, deputy = _people(world)
    senco_page, deputy_page = senco.get(record.url), deputy.get(record.url)
    assert senco_page.status_code == deputy_page.status_code == 200

    theirs = {**form_data(deputy_page), record.field: record.theirs}
    assert deputy.post(record.url, theirs).status_code == 302
    assert record.stored() == record.theirs

    mine = {**form_data(senco_page), record.field: record.mine}
    refused = senco.post(record.url, mine)
    page = refused.content.decode()
    assert refused.status_code == 200 and "Not saved" in page
    assert record.theirs_shown in page  # their version, shown
    assert f"{world.people['deputy_senco']} saved this" in page  # and who saved it
    assert refused.context["form"][record.field].value() == record.mine  # mine, kept in the form
    assert record.stored() == record.theirs  # nothing of theirs overwritten

    again = senco.post(record.url, form_data(refused))
    assert again.status_code == 302
    assert record.stored() == record.mine


def test_a_save_refused_as_stale_names_who_saved_and_when(world):
    record = ehc_plan(world)
    senco, deputy = _people(world)
    senco_page, deputy_page = senco.get(record.url), deputy.get(record.url)
    deputy.post(record.url, {**form_data(deputy_page), "placement": "Oak Academy"})
    page = senco.post(record.url, {**form_data(senco_page), "section_a": "Likes trains"}).content.decode()
    assert "deputy_senco@alder.test" in page or world.people["deputy_senco"].get_full_name() in page
    listed = page.split("Where their version differs")[1].split("</dl>")[0]
    assert "Named placement" in listed and "Oak Academy" in listed
    assert "Section A" in listed and "(empty)" in listed  # I wrote section A; theirs has none
    assert "Section B" not in listed  # the same in both: not listed


def test_saving_a_form_unchanged_twice_from_the_same_page_is_refused_the_second_time_without_losing_anything(world):
    """A double click on Save: the second post is stale, and says so, but both carried the same words."""
    record = pupil_needs(world)
    senco, _ = _people(world)
    data = {**form_data(senco.get(record.url)), record.field: "Speech and language therapy weekly"}
    assert senco.post(record.url, data).status_code == 302
    second = senco.post(record.url, data)
    assert second.status_code == 200 and "Their version holds the same as yours" in second.content.decode()
    assert record.stored() == "Speech and language therapy weekly"


def test_a_pupil_added_to_a_provision_by_someone_else_is_not_dropped_by_a_stale_save(world):
    record = provision(world)
    senco, deputy = _people(world)
    senco_page, deputy_page = senco.get(record.url), deputy.get(record.url)
    both = [str(world.pupil_support.pk), str(world.pupil_ehc.pk)]
    assert deputy.post(record.url, {**form_data(deputy_page), "pupils": both}).status_code == 302

    refused = senco.post(record.url, {**form_data(senco_page), "name": "Reading group A"})
    listed = refused.content.decode().split("Where their version differs")[1].split("</dl>")[0]
    assert "Pupils" in listed and world.pupil_ehc.full_name in listed and "Reading group" in listed
    provision_now = Provision.objects.get(name="Reading group")
    assert set(provision_now.pupils.all()) == {world.pupil_support, world.pupil_ehc}


def test_a_concern_triaged_by_someone_else_since_the_page_was_opened_is_not_decided_again_unseen(world):
    from sencohub.register.models import Concern

    concern = Concern.objects.create(pupil=world.pupil_none, raised_by=world.people["teacher"], what_seen="Quiet in class")
    url = f"/schools/{world.school.urn}/concerns/{concern.pk}/triage/"
    senco, deputy = _people(world)
    senco_page, deputy_page = senco.get(url), deputy.get(url)
    assert deputy.post(url, {**form_data(deputy_page), "decision": "monitor", "note": "Watch in PE"}).status_code == 302
    refused = senco.post(url, {**form_data(senco_page), "decision": "no_further_action", "note": "Settled now"})
    page = refused.content.decode()
    assert "Not saved" in page and "Watch in PE" in page and "Monitor" in page
    concern.refresh_from_db()
    assert (concern.status, concern.triage_note) == ("monitor", "Watch in PE")
    assert senco.post(url, form_data(refused)).status_code == 302  # having seen the deputy's decision
    concern.refresh_from_db()
    assert (concern.status, concern.triage_note) == ("no_further_action", "Settled now")
    closed = senco.post(url, {**form_data(refused), "version": concern.version})
    assert "This concern has already been triaged." in closed.content.decode()


def _formset_data(response) -> dict:
    """What the browser would send back for a page's formset, untouched."""
    formset = response.context["formset"]
    data = {}
    for form in [formset.management_form, *formset.forms]:
        for bound in form:
            value = bound.value()
            if value not in (None, ""):
                data[bound.html_name] = value.isoformat() if isinstance(value, dt.date) else str(value)
    return data


def test_a_pupils_measures_saved_by_someone_else_since_the_page_was_opened_are_not_overwritten(world):
    from sencohub.provision.models import Enrolment

    made = _provision(world)
    made.pupils.add(world.pupil_support)
    url = f"/schools/{world.school.urn}/provision/groups/{made.pk}/measures/"
    senco, deputy = _people(world)
    senco_page, deputy_page = senco.get(url), deputy.get(url)
    theirs = {**_formset_data(deputy_page), "form-0-measure": "standardised", "form-0-entry_value": "84"}
    assert deputy.post(url, theirs).status_code == 302

    mine = {**_formset_data(senco_page), "form-0-measure": "standardised", "form-0-entry_value": "91"}
    refused = senco.post(url, mine)
    page = refused.content.decode()
    assert refused.status_code == 200 and "Not saved: someone else changed this" in page and "84" in page
    assert 'value="91"' in page  # what the SENCo typed is still in the form
    assert Enrolment.objects.get(pupil=world.pupil_support).entry_value == 84

    again = senco.post(url, _formset_data(refused))
    assert again.status_code == 302 and Enrolment.objects.get(pupil=world.pupil_support).entry_value == 91


def test_confidence_ratings_a_member_of_staff_gave_themselves_are_not_overwritten_by_a_page_opened_before(world):
    from sencohub.workforce.models import TrainingAttendance

    session = TrainingSession.objects.create(school=world.school, topic="Autism in the classroom", held_on=dt.date(2026, 1, 5))
    row = TrainingAttendance.objects.create(session=session, user=world.people["teaching_assistant"])
    senco, assistant = _people(world)[0], Client()
    assistant.force_login(world.people["teaching_assistant"])
    session_url, own_url = f"/schools/{world.school.urn}/training/{session.pk}/", f"/schools/{world.school.urn}/my-training/"
    senco_page, own_page = senco.get(session_url), assistant.get(own_url)
    seen = {"senco": senco_page.context["ratings"]["seen"].value(), "own": own_page.context["ratings"]["seen"].value()}

    mine = {"before_%d" % row.pk: "1", "after_%d" % row.pk: "3", "seen": seen["own"]}
    assert assistant.post(own_url, mine).status_code == 302
    refused = senco.post(session_url, {"ratings": "1", f"before_{row.pk}": "2", f"after_{row.pk}": "4", "seen": seen["senco"]})
    page = refused.content.decode()
    assert refused.status_code == 200 and "Not saved: someone else changed this set of confidence ratings" in page
    row.refresh_from_db()
    assert (row.confidence_before, row.confidence_after) == (1, 3)  # the assistant's own ratings are kept

    again = {"ratings": "1", f"before_{row.pk}": "2", f"after_{row.pk}": "4", "seen": refused.context["ratings"]["seen"].value()}
    assert senco.post(session_url, again).status_code == 302
    row.refresh_from_db()
    assert (row.confidence_before, row.confidence_after) == (2, 4)


def test_a_refused_ehc_plan_save_lists_the_other_persons_top_up_funding_so_a_second_save_cannot_undo_it_unseen(world):
    record = ehc_plan(world)
    senco, deputy = _people(world)
    senco_page, deputy_page = senco.get(record.url), deputy.get(record.url)
    assert deputy.post(record.url, {**form_data(deputy_page), "element3_pounds": "3100"}).status_code == 302

    refused = senco.post(record.url, {**form_data(senco_page), "section_b": "Written by the SENCo"})
    listed = refused.content.decode().split("Where their version differs")[1].split("</dl>")[0]
    assert "Top-up funding a year (element 3)" in listed and "3100" in listed
