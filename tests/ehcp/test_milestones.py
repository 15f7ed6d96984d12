"""Statutory dates of real records: requests, plans, reviews and transfers, as the compliance page shows them."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from sencohub.ehcp import compliance, milestones, services
from sencohub.ehcp.models import (
    AdviceRequest,
    AnnualReview,
    AssessmentRequest,
    EhcPlan,
    PhaseTransfer,
    TimelineException,
)
from sencohub.register.models import SenStatus

D = dt.date
TODAY = D(2026, 11, 23)


def states(found):
    return {(m.key, m.detail): (m.due, m.state) for m in found}


@pytest.fixture
def request_(world):
    return AssessmentRequest.objects.get(pupil=world.pupil_support)  # received 14 September 2026


def test_a_request_counts_from_the_day_the_la_received_it(request_):
    found = states(milestones.for_request(request_, TODAY))
    assert found == {
        ("decision_to_assess_due", ""): (D(2026, 10, 26), "overdue"),
        ("decision_not_to_issue_due", ""): (D(2027, 1, 4), "upcoming"),  # Regs 10(1): shown while it runs
        ("final_plan_due", ""): (D(2027, 2, 1), "upcoming"),
    }


def test_a_draft_plan_sent_is_the_decision_to_issue(request_):
    request_.decision_on, request_.decided_to_assess, request_.draft_sent_on = D(2026, 10, 1), True, D(2026, 11, 2)
    found = states(milestones.for_request(request_, TODAY))
    assert found[("decision_not_to_issue_due", "draft plan sent, so the LA means to issue")] == (D(2027, 1, 4), "met")
    assert found[("final_plan_due", "")] == (D(2027, 2, 1), "upcoming")


def test_no_dates_until_the_la_has_the_request(request_):
    request_.received_on = None
    assert milestones.for_request(request_, TODAY) == []


def test_advice_is_due_six_weeks_after_it_was_asked_for(request_):
    request_.decision_on, request_.decided_to_assess = D(2026, 10, 20), True
    request_.save()
    AdviceRequest.objects.create(request=request_, pupil=request_.pupil, adviser="Educational psychologist", requested_on=D(2026, 10, 22))
    AdviceRequest.objects.create(request=request_, pupil=request_.pupil, adviser="Paediatrician", requested_on=D(2026, 10, 1),
                                 returned_on=D(2026, 11, 20))  # fmt: skip
    found = states(milestones.for_request(request_, TODAY))
    assert found[("decision_to_assess_due", "")] == (D(2026, 10, 26), "met")
    assert found[("advice_due", "Educational psychologist")] == (D(2026, 12, 3), "due soon")
    assert found[("advice_due", "Paediatrician")] == (D(2026, 11, 12), "met late")


def test_a_refusal_to_assess_ends_the_clock(request_):
    request_.decision_on, request_.decided_to_assess = D(2026, 10, 30), False
    found = states(milestones.for_request(request_, TODAY))
    assert found == {("decision_to_assess_due", ""): (D(2026, 10, 26), "met late")}


def test_a_decision_not_to_issue_replaces_the_final_plan_date(request_):
    request_.decision_on, request_.decided_to_assess, request_.not_issuing_on = D(2026, 10, 1), True, D(2026, 11, 2)
    found = states(milestones.for_request(request_, TODAY))
    assert found[("decision_not_to_issue_due", "")] == (D(2027, 1, 4), "met")
    assert ("final_plan_due", "") not in found


def test_a_withdrawn_request_leaves_nothing_overdue(request_):
    request_.withdrawn_on = D(2026, 10, 1)
    assert milestones.for_request(request_, TODAY) == []


def test_the_first_review_is_due_twelve_months_after_the_plan(world):
    plan = EhcPlan.objects.get(pupil=world.pupil_ehc)  # issued 3 March 2025
    found = states(milestones.for_plan(plan, TODAY))
    assert found == {("review_due", "review 1: not yet arranged"): (D(2026, 3, 3), "overdue")}


def test_an_arranged_review_counts_back_from_its_meeting(world):
    plan = EhcPlan.objects.get(pupil=world.pupil_ehc)
    AnnualReview.objects.create(plan=plan, pupil=plan.pupil, meeting_on=D(2026, 2, 23), invitations_sent_on=D(2026, 2, 2),
                                advice_circulated_on=D(2026, 2, 9), report_sent_on=D(2026, 3, 12),
                                decision="amend", decision_on=D(2026, 3, 20), amendments_sent_on=D(2026, 3, 24))  # fmt: skip
    AnnualReview.objects.create(plan=plan, pupil=plan.pupil, meeting_on=D(2026, 12, 1))
    found = states(milestones.for_plan(plan, TODAY))
    assert found[("review_due", "review 1")] == (D(2026, 3, 3), "met")
    assert found[("invitations_due", "review 1")] == (D(2026, 2, 9), "met")
    assert found[("school_report_due", "review 1")] == (D(2026, 3, 9), "met late")
    assert found[("la_decision_due", "review 1")] == (D(2026, 3, 23), "met")
    # amendments sent + 8 weeks is 19 May; meeting + 12 weeks, 18 May, is earlier
    assert found[("final_amended_plan_due", "review 1")] == (D(2026, 5, 18), "overdue")
    # the next review counts from the last meeting, and its invitations are due two weeks before it
    assert found[("review_due", "review 2")] == (D(2027, 2, 23), "upcoming")
    assert found[("invitations_due", "review 2")] == (D(2026, 11, 17), "overdue")
    assert not any(detail.endswith("not yet arranged") for _, detail in found)


def test_a_phase_transfer_is_due_by_15_february(world):
    plan = EhcPlan.objects.get(pupil=world.pupil_ehc)
    PhaseTransfer.objects.create(plan=plan, pupil=plan.pupil, transfer_on=D(2027, 9, 1), to="school")
    found = states(milestones.for_plan(plan, TODAY))
    assert found[("amended_plan_due", "Another school")] == (D(2027, 2, 15), "upcoming")


def test_a_ceased_plan_has_nothing_outstanding(world):
    plan = EhcPlan.objects.get(pupil=world.pupil_ehc)
    plan.ceased_on = D(2026, 1, 5)
    assert milestones.for_plan(plan, TODAY) == []


def test_timeliness_is_given_with_and_without_exceptions(world, request_):
    for weeks, exception in [(18, False), (22, False), (25, True), (20, True)]:
        r = AssessmentRequest.objects.create(pupil=world.pupil_none, school=world.school, local_authority=request_.local_authority,
                                             received_on=D(2025, 1, 6), final_plan_on=D(2025, 1, 6) + dt.timedelta(weeks=weeks))  # fmt: skip
        if exception:
            TimelineException.objects.create(request=r, pupil=r.pupil, reason="personal", starts_on=D(2025, 2, 1))
    result = compliance.timeliness(list(milestones.request_queryset()))
    assert (result.in_time, result.issued) == (2, 4) and result.with_exceptions == "50.0%"
    assert (result.in_time_without_exceptions, result.issued_without_exceptions) == (1, 2)


def test_a_plan_moves_the_pupil_to_ehc_plan_on_the_register(world):
    pupil = world.pupil_support
    plan = EhcPlan(pupil=pupil, school=world.school, local_authority=world.school.local_authority, issued_on=D(2026, 11, 2))
    services.ehc_plan_save(plan, today=TODAY)
    pupil.refresh_from_db()
    assert pupil.sen_provision == "E"
    assert SenStatus.objects.get(pupil=pupil, end_date__isnull=True).start_date == D(2026, 11, 2)
    with pytest.raises(ValidationError, match="already has a current EHC plan"):
        services.ehc_plan_save(EhcPlan(pupil=pupil, school=world.school, local_authority=world.school.local_authority,
                                   issued_on=D(2026, 11, 3)), today=TODAY)  # fmt: skip


def test_request_dates_must_be_possible(request_):
    request_.decision_on, request_.decided_to_assess = D(2026, 9, 1), True
    with pytest.raises(ValidationError) as error:
        services.request_save(request_, today=TODAY)
    assert "decision_on" in error.value.message_dict
    request_.decision_on = D(2026, 12, 1)
    with pytest.raises(ValidationError, match="in the future"):
        services.request_save(request_, today=TODAY)


def test_one_request_at_a_time(world, request_):
    again = AssessmentRequest(pupil=request_.pupil, school=world.school, local_authority=request_.local_authority)
    with pytest.raises(ValidationError, match="already has a request in progress"):
        services.request_save(again, today=TODAY)


def test_a_review_report_needs_the_meeting_first(world):
    plan = EhcPlan.objects.get(pupil=world.pupil_ehc)
    review = AnnualReview(plan=plan, meeting_on=D(2026, 12, 1), report_sent_on=D(2026, 11, 20))
    with pytest.raises(ValidationError) as error:
        services.review_save(review, today=TODAY)
    assert "report_sent_on" in error.value.message_dict
