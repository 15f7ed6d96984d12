"""The statutory date rules (STATUTORY.md sections 1-4 and 6): worked examples, then properties."""

import datetime as dt

import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import given
from hypothesis import strategies as st

from sencohub.statutory import timelines as t

D = dt.date
days = st.dates(min_value=D(2000, 1, 1), max_value=D(2090, 12, 31))


# Conventions (section 1) ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (D(2024, 2, 29), 12, D(2025, 2, 28)),  # the day does not exist: last day of the month
        (D(2024, 2, 29), 48, D(2028, 2, 29)),
        (D(2026, 1, 31), 1, D(2026, 2, 28)),
        (D(2026, 8, 31), 1, D(2026, 9, 30)),
        (D(2026, 3, 15), 12, D(2027, 3, 15)),
    ],
)
def test_months_keep_the_day_or_fall_to_the_end_of_a_shorter_month(start, months, expected):
    assert t.add_months(start, months) == expected


def test_working_days_skip_weekends_and_english_bank_holidays():
    assert t.is_working_day(D(2026, 11, 23))  # a Monday
    assert not t.is_working_day(D(2026, 11, 22))  # a Sunday
    assert not t.is_working_day(D(2026, 8, 31))  # late summer bank holiday
    assert not t.is_working_day(D(2026, 12, 28))  # Boxing Day (substitute)
    assert t.is_working_day(D(2027, 1, 4))
    assert t.is_working_day(D(2026, 8, 3))  # the first Monday of August is a bank holiday only in Scotland


# EHC needs assessment (section 2) ------------------------------------------------------------------------


def test_ehc_assessment_worked_example():
    assert t.ehc_assessment(D(2026, 1, 5), advice_requested=D(2026, 2, 20), draft_sent=D(2026, 4, 20)) == {
        "decision_to_assess_due": D(2026, 2, 16),
        "decision_not_to_issue_due": D(2026, 4, 27),
        "final_plan_due": D(2026, 5, 25),
        "advice_due": D(2026, 4, 3),
        "draft_comments_due": D(2026, 5, 5),
    }


def test_ehc_assessment_fields_need_their_inputs():
    assert set(t.ehc_assessment(D(2026, 1, 5))) == {"decision_to_assess_due", "decision_not_to_issue_due", "final_plan_due"}


def test_advice_requested_before_the_request_is_impossible():
    with pytest.raises(t.ImpossibleDates, match="before the date the request was received"):
        t.ehc_assessment(D(2026, 1, 5), advice_requested=D(2026, 1, 4))


def test_reassessment_worked_example():
    assert t.reassessment(D(2026, 3, 1)) == {
        "reassessment_decision_due": D(2026, 3, 16),
        "reassessment_final_plan_due": D(2026, 6, 7),
    }


# Annual reviews (section 3) --------------------------------------------------------------------------------


def test_first_annual_review_of_a_plan_issued_on_29_february():
    assert t.annual_review(plan_issued=D(2024, 2, 29)) == {"review_due": D(2025, 2, 28)}


def test_annual_review_worked_example_with_amendments():
    assert t.annual_review(last_review=D(2025, 3, 10), meeting=D(2026, 3, 2), amendments_sent=D(2026, 3, 23)) == {
        "review_due": D(2026, 3, 10),
        "invitations_due": D(2026, 2, 16),
        "advice_circulated_due": D(2026, 2, 16),
        "school_report_due": D(2026, 3, 16),
        "la_decision_due": D(2026, 3, 30),
        "amendment_comments_due": D(2026, 4, 7),
        "final_amended_plan_due": D(2026, 5, 18),  # amendments sent + 8 weeks
    }


def test_late_amendments_are_capped_at_twelve_weeks_from_the_meeting():
    dates = t.annual_review(plan_issued=D(2025, 1, 6), meeting=D(2026, 1, 5), amendments_sent=D(2026, 3, 2))
    assert dates["final_amended_plan_due"] == D(2026, 3, 30)  # meeting + 12 weeks, not 27 April


def test_a_meeting_before_the_plan_was_issued_is_impossible():
    with pytest.raises(t.ImpossibleDates, match="before the date the plan was issued"):
        t.annual_review(plan_issued=D(2025, 6, 1), meeting=D(2025, 5, 1))


@pytest.mark.parametrize(("to", "expected"), [("school", D(2027, 2, 15)), ("post16", D(2027, 3, 31))])
def test_phase_transfer_deadlines(to, expected):
    assert t.phase_transfer(D(2027, 9, 1), to) == {"amended_plan_due": expected}


# Appeals (section 4) -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("decision", "certificate", "expected"),
    [
        (D(2026, 3, 2), None, D(2026, 5, 5)),  # Saturday 2 May; Monday 4 May is the early May bank holiday (r.12(2))
        (D(2026, 3, 10), None, D(2026, 5, 11)),  # Sunday 10 May: the Monday
        (D(2026, 3, 10), D(2026, 4, 20), D(2026, 5, 20)),  # the certificate gives the later date, a Wednesday
        (D(2026, 3, 10), D(2026, 3, 20), D(2026, 5, 11)),
        (D(2026, 2, 3), None, D(2026, 4, 7)),  # Good Friday 3 April 2026, then the weekend and Easter Monday
        (D(2027, 3, 31), None, D(2027, 6, 1)),  # Monday 31 May 2027, the spring bank holiday
        (D(2026, 6, 15), None, D(2026, 9, 1)),  # in August: after 31 August (a bank holiday in 2026) (r.12(3))
        (D(2026, 10, 26), None, D(2027, 1, 4)),  # 26 December: after 1 January; 2 and 3 January 2027 are a weekend
        (D(2026, 11, 1), None, D(2027, 1, 4)),  # 1 January itself moves too
        (D(2026, 10, 24), None, D(2026, 12, 24)),  # Thursday 24 December is a working day: it stays
        (D(2026, 12, 31), None, D(2027, 3, 1)),  # Sunday 28 February 2027: the Monday
        # each part once, (3) first: a limit ending on a Saturday before a closed period moves by r.12(2) alone,
        # because the time specified ended outside it
        (D(2022, 5, 30), None, D(2022, 8, 1)),  # Saturday 30 July 2022: Monday 1 August
        (D(2022, 10, 24), None, D(2022, 12, 28)),  # Saturday 24 December 2022: 26 and 27 are bank holidays
    ],
)
def test_appeal_worked_examples(decision, certificate, expected):
    assert t.appeal(decision, certificate) == {"appeal_due": expected}


# The SENCo qualification (section 6) ---------------------------------------------------------------------


def test_a_new_senco_has_three_years_and_the_npq():
    duty = t.senco_qualification(D(2025, 1, 6))
    assert duty.required and duty.complete_by == D(2028, 1, 6) and duty.accepted == ("NPQ for SENCOs",)


def test_a_nasenco_started_before_september_2024_counts_until_august_2027():
    duty = t.senco_qualification(D(2024, 11, 1), course="nasenco", course_start=D(2024, 6, 1))
    assert duty.accepted == ("NPQ for SENCOs", "NASENCo")
    assert duty.complete_by == D(2027, 8, 31)  # before the third anniversary, 1 November 2027
    early = t.senco_qualification(D(2023, 2, 28), course="nasenco", course_start=D(2024, 1, 10))
    assert early.complete_by == D(2026, 2, 28)


def test_a_nasenco_started_from_september_2024_does_not_count():
    duty = t.senco_qualification(D(2024, 10, 1), course="nasenco", course_start=D(2024, 9, 1))
    assert duty.accepted == ("NPQ for SENCOs",) and duty.complete_by == D(2027, 10, 1)
    assert "does not count" in duty.reason


@pytest.mark.parametrize(
    ("appointed", "months", "required"),
    [(D(2009, 8, 31), 0, False), (D(2009, 9, 1), 0, False), (D(2009, 9, 2), 0, True), (D(2020, 1, 1), 12, True),
     (D(2020, 1, 1), 13, False)],  # "after" 1 September 2009: that day itself is not covered (Regs 49(4))
)
def test_who_the_duty_applies_to(appointed, months, required):
    duty = t.senco_qualification(appointed, months)
    assert duty.required is required
    assert ("complete_by" in duty.as_dict()) is required


# Properties ------------------------------------------------------------------------------------------------


@given(days, st.integers(min_value=-600, max_value=600))
def test_months_agree_with_dateutil(start, months):
    assert t.add_months(start, months) == start + relativedelta(months=months)


@given(days, st.integers(min_value=0, max_value=600))
def test_months_land_on_the_same_day_or_the_end_of_the_month(start, months):
    end = t.add_months(start, months)
    assert (end.year * 12 + end.month) - (start.year * 12 + start.month) == months
    assert end.day == start.day or (end.day < start.day and (end + dt.timedelta(days=1)).day == 1)


@given(days, st.one_of(st.none(), st.integers(0, 200)), st.one_of(st.none(), st.integers(0, 200)))
def test_every_assessment_date_is_on_or_after_its_start(received, advice_after, draft_after):
    advice = received + dt.timedelta(days=advice_after) if advice_after is not None else None
    draft = received + dt.timedelta(days=draft_after) if draft_after is not None else None
    dates = t.ehc_assessment(received, advice, draft)
    assert all(due >= received for due in dates.values())
    assert dates["decision_to_assess_due"] < dates["decision_not_to_issue_due"] < dates["final_plan_due"]
    assert ("advice_due" in dates) is (advice is not None) and ("draft_comments_due" in dates) is (draft is not None)


@given(days, st.integers(0, 800), st.one_of(st.none(), st.integers(0, 200)))
def test_the_amended_plan_is_never_due_after_meeting_plus_twelve_weeks(issued, meeting_after, amend_after):
    meeting = issued + dt.timedelta(days=meeting_after)
    amendments = meeting + dt.timedelta(days=amend_after) if amend_after is not None else None
    dates = t.annual_review(plan_issued=issued, meeting=meeting, amendments_sent=amendments)
    assert dates["review_due"] > issued
    assert dates["final_amended_plan_due"] <= meeting + dt.timedelta(weeks=12)
    assert dates["invitations_due"] < meeting < dates["school_report_due"] < dates["la_decision_due"]
    if amendments is not None:
        assert dates["final_amended_plan_due"] <= amendments + dt.timedelta(weeks=8)


@given(days, st.one_of(st.none(), st.integers(0, 400)))
def test_appeal_dates_are_working_days_never_early_and_out_of_a_closed_period_the_limit_ends_in(decision, certificate_after):
    certificate = decision + dt.timedelta(days=certificate_after) if certificate_after is not None else None
    due = t.appeal(decision, certificate)["appeal_due"]
    unadjusted = max(t.add_months(decision, 2), t.add_months(certificate, 1) if certificate is not None else decision)
    assert due >= unadjusted
    assert t.is_working_day(due)  # r.12(2): never a weekend or an England bank holiday
    closed = unadjusted.month == 8 or (unadjusted.month, unadjusted.day) >= (12, 25) or (unadjusted.month, unadjusted.day) == (1, 1)
    if closed:  # r.12(3): out of the closed period the limit ends in
        assert due.month != 8 and not (due.month == 12 and due.day >= 25) and due != D(due.year, 1, 1)
    else:  # r.12(2) alone: the first working day on or after the limit
        assert all(not t.is_working_day(unadjusted + dt.timedelta(days=n)) for n in range((due - unadjusted).days))


@given(days, st.integers(0, 12))
def test_a_required_qualification_is_due_within_three_years(appointed, months):
    duty = t.senco_qualification(max(appointed, D(2009, 9, 2)), months)
    assert duty.required and duty.complete_by is not None
    assert duty.complete_by <= t.add_months(max(appointed, D(2009, 9, 2)), 36)
    assert "NPQ for SENCOs" in duty.accepted
