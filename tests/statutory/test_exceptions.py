"""Exceptions to the EHC time limits (Regs 5(4), 8(2), 10(4), 13(3); STATUTORY.md section 2): worked examples,
then properties."""

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from sencohub.statutory import exceptions as x

D = dt.date
RECEIVED = D(2025, 6, 2)  # a Monday: decision due 14 Jul, 16 weeks 22 Sep, 20 weeks 20 Oct 2025


def limits(**kwargs):
    return x.assessment_limits(RECEIVED, decision_on=D(2025, 7, 7), decided_to_assess=True, **kwargs)


def keys(found):
    return {limit.key for limit in found}


# A missed appointment (reg. 8(2)) ----------------------------------------------------------------------


def test_a_missed_appointment_excuses_the_advice_it_delayed_and_nothing_else():
    verdict = x.judge("appointment", D(2025, 7, 24), None, limits(advice=[(D(2025, 7, 10), None, "Paediatrician")]))
    assert keys(verdict.excused) == {x.ADVICE}
    assert verdict.excused[0].due == D(2025, 8, 21) and verdict.excused[0].detail == "Paediatrician"
    assert keys(limit for limit, _ in verdict.not_excused) == {x.DECISION_NOT_TO_ISSUE, x.FINAL_PLAN}
    assert not verdict.excuses(x.FINAL_PLAN)
    assert "the 20-week limit for the final plan (due 20 October 2025): a missed appointment excuses advice only" in verdict.summary()


def test_a_missed_appointment_with_no_advice_running_is_refused():
    verdict = x.judge("appointment", D(2025, 6, 20), None, limits(advice=[(D(2025, 7, 10), None, "Paediatrician")]))
    assert not verdict.valid and verdict.field == "reason"
    assert "It excuses none of the limits running then" in verdict.refused
    assert "a missed appointment excuses advice only (reg. 8(2))" in verdict.refused


# A school closure (regs 5(4)(a), 10(4)(a), 13(3)(a)) -----------------------------------------------------

SUMMER = (D(2025, 7, 23), D(2025, 9, 2))  # closed 23 July, reopens 3 September: 42 days


def test_advice_asked_of_a_head_teacher_before_the_summer_closure_excuses_the_limits_running_through_it():
    assert x.closure_window(*SUMMER) == (D(2025, 7, 16), D(2025, 8, 27))
    verdict = x.judge("closure", *SUMMER, limits(advice=[(D(2025, 7, 18), None, "Head teacher")]))
    assert keys(verdict.excused) == {x.ADVICE, x.DECISION_NOT_TO_ISSUE, x.FINAL_PLAN}
    # the decision whether to assess was made on 7 July, before the closure: nothing to excuse there
    assert not verdict.excuses(x.DECISION_TO_ASSESS)


def test_advice_asked_before_the_week_ahead_of_a_closure_is_not_excused():
    verdict = x.judge("closure", *SUMMER, limits(advice=[(D(2025, 7, 8), None, "Head teacher")]))
    assert not verdict.valid and verdict.field == "starts_on"
    assert "16 July 2025 to 27 August 2025" in verdict.refused


def test_a_closure_shorter_than_four_weeks_excuses_nothing():
    verdict = x.judge("closure", D(2025, 12, 20), D(2026, 1, 4), limits(advice=[(D(2025, 12, 15), None, "Head teacher")]))
    assert not verdict.valid and verdict.field == "ends_on"
    assert "at least 4 continuous weeks (28 days): 20 December 2025 to 4 January 2026 is 16 days" in verdict.refused


def test_a_summer_closure_recorded_in_november_with_no_advice_asked_excuses_nothing():
    # what the demo used to make: received 15 September, "summer closure" 8 to 14 weeks later
    found = x.assessment_limits(D(2025, 9, 15))
    verdict = x.judge("closure", D(2025, 11, 10), D(2025, 12, 22), found)
    assert not verdict.valid and "No request for advice recorded here fits" in verdict.refused


# Away from the area; personal circumstances ----------------------------------------------------------------


def test_being_away_counts_from_four_continuous_weeks():
    assert x.judge("away", D(2025, 8, 1), D(2025, 8, 28), limits()).valid  # 28 days
    verdict = x.judge("away", D(2025, 8, 1), D(2025, 8, 27), limits())
    assert not verdict.valid and "27 days" in verdict.refused
    assert "Enter the last day" in x.judge("away", D(2025, 8, 1), None, limits()).refused


def test_personal_circumstances_excuse_every_la_limit_running_then():
    verdict = x.judge("personal", D(2025, 6, 20), D(2025, 7, 1), limits())
    assert keys(verdict.excused) == {x.DECISION_TO_ASSESS, x.DECISION_NOT_TO_ISSUE, x.FINAL_PLAN}


def test_an_exception_after_the_plan_was_issued_excuses_nothing():
    found = limits(final_plan_on=D(2025, 10, 1))
    verdict = x.judge("personal", D(2025, 10, 6), None, found)
    assert not verdict.valid and verdict.field == "starts_on"
    assert "overlaps no time limit while it was running" in verdict.refused
    assert "the 20-week limit for the final plan, 2 June 2025 to 1 October 2025" in verdict.refused


def test_no_limit_runs_before_the_la_has_the_request():
    assert "record the date the LA received the request first" in x.judge("personal", D(2025, 6, 1), None, []).refused


def test_nothing_excuses_the_reassessment_limits():
    found = x.assessment_limits(RECEIVED, reassessment=True)
    verdict = x.judge("personal", D(2025, 6, 10), D(2025, 6, 30), found)
    assert not verdict.valid and "regs 5(4), 8(2), 10(4) and 13(3) do not cover it" in verdict.refused


# Properties ----------------------------------------------------------------------------------------------

days = st.dates(min_value=D(2015, 1, 1), max_value=D(2035, 12, 31))


@st.composite
def cases(draw):
    received = draw(days)
    after = st.integers(0, 200).map(lambda n: received + dt.timedelta(days=n))
    maybe_after = st.one_of(st.none(), after)
    advice = draw(st.lists(st.tuples(after, maybe_after, st.just("Adviser")), max_size=3))
    advice = [(asked, back if back is None or back >= asked else None, who) for asked, back, who in advice]
    return x.assessment_limits(
        received, decision_on=draw(maybe_after), decided_to_assess=draw(st.sampled_from([None, True, False])),
        advice=advice, final_plan_on=draw(maybe_after), withdrawn_on=draw(maybe_after),
    )  # fmt: skip


periods = st.tuples(days, st.one_of(st.none(), st.integers(0, 120)))


def _ends(starts, length):
    return None if length is None else starts + dt.timedelta(days=length)


@given(cases(), periods)
def test_a_missed_appointment_never_excuses_a_limit_other_than_advice(found, period):
    starts, length = period
    verdict = x.judge("appointment", starts, _ends(starts, length), found)
    assert keys(verdict.excused) <= {x.ADVICE}


@given(cases(), st.integers(0, 120), st.sampled_from(x.REASONS))
def test_an_exception_entirely_outside_the_running_periods_excuses_nothing(found, length, reason):
    day = dt.timedelta(days=1)
    earliest, latest = min(limit.starts for limit in found), max(limit.runs_until for limit in found)
    assert not x.judge(reason, earliest - day * (length + 1), earliest - day, found).valid
    assert not x.judge(reason, latest + day, latest + day * (length + 1), found).valid
    assert x.judge(reason, latest + day, None, found).excused == ()


@given(cases(), periods, st.sampled_from(x.REASONS))
def test_every_excused_limit_was_running_during_the_exception_and_may_be_excused_for_that_reason(found, period, reason):
    starts, length = period
    ends = _ends(starts, length)
    verdict = x.judge(reason, starts, ends, found)
    for limit in verdict.excused:
        assert limit.overlaps(starts, ends if ends is not None or reason != "appointment" else starts)
        assert reason in x.EXCUSED_BY[limit.key][0]
    assert verdict.valid == (verdict.refused == "")


@given(cases(), days, st.integers(0, 26), st.sampled_from(["closure", "away"]))
def test_a_closure_or_absence_shorter_than_four_weeks_excuses_nothing(found, starts, length, reason):
    assert not x.judge(reason, starts, starts + dt.timedelta(days=length), found).valid


def test_a_date_past_the_calendar_leaves_out_the_limits_it_cannot_reach():
    found = x.assessment_limits(D(9999, 10, 1), decision_on=D(9999, 10, 20), decided_to_assess=True)
    assert keys(found) == {x.DECISION_TO_ASSESS}
    assert x.judge("personal", D(9999, 12, 31), None, found).valid is False
