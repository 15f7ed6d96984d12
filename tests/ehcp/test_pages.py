"""EHC pages as their users see them: record a request to its final plan, run a review, read compliance."""

import datetime as dt

import pytest

from sencohub.ehcp.models import AdviceRequest, AnnualReview, AssessmentRequest, EhcPlan, TimelineException
from tests.factories import LocalAuthorityFactory, PupilFactory, put_on_register
from tests.reauth import sign_in_confirmed


@pytest.fixture
def senco(client, world):
    sign_in_confirmed(client, world.people["senco"])
    return client


def base(world, pupil):
    return f"/schools/{world.school.urn}/pupils/{pupil.upn}/ehc/"


def test_a_request_from_start_to_final_plan(senco, world):
    pupil = world.pupil_none
    put_on_register(pupil, "K", "SEMH")
    url = base(world, pupil)
    assert "Start a request" in senco.get(url).content.decode()
    response = senco.post(url + "requests/new/", {
        "local_authority": world.school.local_authority_id, "kind": "assessment", "requested_by": "school",
        "sent_on": "2026-06-01", "received_on": "2026-06-03", "notes": "",
    })  # fmt: skip
    request = AssessmentRequest.objects.get(pupil=pupil)
    assert response.status_code == 302 and response.url == f"{url}requests/{request.pk}/"
    page = senco.get(response.url).content.decode()
    assert "LA decides whether to assess" in page and "15 Jul 2026" in page  # received + 6 weeks

    senco.post(f"{url}requests/{request.pk}/advice/new/", {"adviser": "Educational psychologist", "requested_on": "2026-07-20"})
    senco.post(f"{url}requests/{request.pk}/exceptions/new/", {"reason": "closure", "starts_on": "2026-07-15", "ends_on": "2026-09-07"})
    assert AdviceRequest.objects.filter(request=request).count() == 1
    assert TimelineException.objects.filter(request=request).count() == 1
    response = senco.post(f"{url}requests/{request.pk}/edit/", {
        "sent_on": "2026-06-01", "received_on": "2026-06-03", "decision_on": "2026-07-10", "decided_to_assess": "yes",
        "draft_sent_on": "2026-09-28", "comments_sent_on": "2026-10-10", "final_plan_on": "2026-10-21", "notes": "",
    })  # fmt: skip
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.outcome == "issued"
    page = senco.get(response.url).content.decode()
    assert "Record the plan" in page and "Final EHC plan issued" in page

    response = senco.post(f"{url}plans/new/?request={request.pk}", {
        "local_authority": world.school.local_authority_id, "issued_on": "2026-10-21", "placement": "Alder Primary",
        "element3_pounds": "4500.00",
    })  # fmt: skip
    plan = EhcPlan.objects.get(pupil=pupil)
    assert response.url == f"{url}plans/{plan.pk}/"
    assert plan.request == request and plan.element3_pence == 450000
    pupil.refresh_from_db()
    assert pupil.sen_provision == "E"
    page = senco.get(response.url).content.decode()
    assert "£4,500.00 a year" in page and "21 Oct 2027" in page  # the first review, 12 months on


def test_impossible_dates_are_explained_and_nothing_is_saved(senco, world):
    request = AssessmentRequest.objects.get(pupil=world.pupil_support)
    url = base(world, world.pupil_support) + f"requests/{request.pk}/edit/"
    response = senco.post(url, {"received_on": "2026-09-14", "decision_on": "2026-09-01", "decided_to_assess": "yes"})
    page = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in page and "cannot be before" in page
    request.refresh_from_db()
    assert request.decision_on is None


def test_a_review_from_arranging_to_the_la_decision(senco, world):
    plan = EhcPlan.objects.get(pupil=world.pupil_ehc)
    url = base(world, world.pupil_ehc) + f"plans/{plan.pk}/"
    senco.post(url + "reviews/new/", {"meeting_on": "2026-12-10"})
    review = AnnualReview.objects.get(plan=plan)
    page = senco.get(url).content.decode()
    assert "Invitations sent" in page and "26 Nov 2026" in page  # meeting - 14 days
    response = senco.post(url + f"reviews/{review.pk}/", {"meeting_on": "2026-11-02", "invitations_sent_on": "2026-10-19",
                                                          "report_sent_on": "2026-11-12", "decision": "maintain",
                                                          "decision_on": "2026-11-20"})  # fmt: skip
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.decision == "maintain"
    page = senco.get(url).content.decode()
    assert "Maintain the plan unchanged" in page and "2 Nov 2027" in page  # the next review, from this meeting


def test_preparing_for_adulthood_is_asked_from_year_9(senco, world):
    plan = EhcPlan.objects.get(pupil=world.pupil_ehc)
    url = base(world, world.pupil_ehc) + f"plans/{plan.pk}/reviews/new/"
    assert "Preparing for adulthood" not in senco.get(url).content.decode()
    world.pupil_ehc.year_group = "9"
    world.pupil_ehc.save()
    assert "Preparing for adulthood" in senco.get(url).content.decode()


@pytest.mark.parametrize("persona", ["senco", "head", "send_admin"])
def test_the_school_compliance_page(client, world, persona):
    client.force_login(world.people[persona])
    page = client.get(f"/schools/{world.school.urn}/compliance/").content.decode()
    assert "Statutory deadlines" in page and "Overdue" in page
    assert "Marchbanks" in page and "Quillfeather" in page


def test_compliance_groups_by_maintaining_la(senco, world):
    page = senco.get(f"/schools/{world.school.urn}/compliance/?group=la").content.decode()
    assert "Bristol, City of (801)" in page and "Birmingham (330)" in page


def test_an_la_officer_sees_only_their_authoritys_cases(client, world):
    client.force_login(world.people["la_officer"])
    page = client.get("/compliance/").content.decode()
    assert "Marchbanks" in page and "Quillfeather" not in page
    assert client.get(base(world, world.pupil_support)).status_code == 404


def test_teachers_cannot_see_compliance_or_edit(client, world):
    client.force_login(world.people["teaching_assistant"])
    assert client.get(f"/schools/{world.school.urn}/compliance/").status_code == 404
    assert client.get(base(world, world.pupil_ehc)).status_code == 200
    assert client.get(base(world, world.pupil_ehc) + "requests/new/").status_code == 404


def test_trust_compliance_queries_do_not_grow_with_schools(client, world, django_assert_max_num_queries):
    client.force_login(world.people["trust_send_lead"])

    def add_school(n):
        from tests.factories import SchoolFactory

        la = LocalAuthorityFactory(code=f"{900 + n}", name=f"Authority {n}")
        school = SchoolFactory(urn=f"{200000 + n}", trust=world.school.trust, local_authority=la)
        pupil = put_on_register(PupilFactory(school=school), "E", "ASD")
        plan = EhcPlan.objects.create(pupil=pupil, school=school, local_authority=la, issued_on=dt.date(2025, 11, 1))
        AnnualReview.objects.create(plan=plan, pupil=pupil, meeting_on=dt.date(2026, 10, 20))

    add_school(1)
    with django_assert_max_num_queries(40) as few:
        assert client.get("/compliance/").status_code == 200
    for n in range(2, 12):
        add_school(n)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get("/compliance/").content.decode()
    assert page.count("Annual review meeting held") >= 11


def test_compliance_downloads_hold_every_date(senco, world):
    csv_text = senco.get(f"/schools/{world.school.urn}/compliance.csv").content.decode()
    header, *rows = csv_text.splitlines()
    assert header.startswith("School,URN,UPN,Surname,Forename,Local authority")
    assert any("Marchbanks" in r and "Annual review meeting held" in r and ",overdue," in r for r in rows)
    assert senco.get(f"/schools/{world.school.urn}/compliance.xlsx").content[:2] == b"PK"
    assert senco.get(f"/schools/{world.school.urn}/compliance.pdfx").status_code == 404
    client_all = senco.get("/compliance.csv")
    assert client_all.status_code == 200 and "Quillfeather" in client_all.content.decode()


def test_an_la_officer_records_cases_for_their_own_authority_only(client, world):
    client.force_login(world.people["la_officer"])
    plan = EhcPlan.objects.get(pupil=world.pupil_ehc)
    page = client.get(base(world, world.pupil_ehc) + f"plans/{plan.pk}/edit/").content.decode()
    assert "Bristol, City of (801)" in page and "Birmingham (330)" not in page


def test_section_f_beside_the_provision_map_with_shortfalls(senco, world):
    from sencohub.provision.catalogue import catalogue_seed
    from sencohub.provision.models import Attendance, Intervention, PayBand, Provision, Session

    catalogue_seed(world.school)
    group = Provision.objects.create(
        school=world.school, intervention=Intervention.objects.get(school=world.school, name="Speech and language group"),
        name="Talk group", staff="Mrs Patel", pay_band=PayBand.objects.create(school=world.school, name="TA", hourly_pence=1500),
        starts_on=dt.date(2026, 9, 7), ends_on=dt.date(2027, 7, 16), sessions_per_week=2, minutes=30,
    )  # fmt: skip
    group.pupils.set([world.pupil_ehc, world.pupil_support, world.pupil_none])
    for day, present in [(dt.date(2026, 9, 8), True), (dt.date(2026, 9, 10), False)]:
        Attendance.objects.create(session=Session.objects.create(provision=group, held_on=day), pupil=world.pupil_ehc, present=present)
    plan = EhcPlan.objects.get(pupil=world.pupil_ehc)
    url = base(world, world.pupil_ehc) + f"plans/{plan.pk}/"
    senco.post(url + "provision/new/", {"description": "Speech and language therapy programme", "hours_per_week": "1.5",
                                        "group_size": "2", "staff": "Trained TA", "provision": group.pk})  # fmt: skip
    senco.post(url + "provision/new/", {"description": "Access to a quiet room at lunchtime"})
    page = senco.get(url).content.decode()
    assert "Planned 1 hours a week on the map; the plan specifies 1.5." in page
    assert "Delivered in a group of 3; the plan specifies at most 2." in page
    assert "Attended 1 of 2 sessions held." in page
    assert "Not on the provision map, so there is no record that it is delivered." in page
