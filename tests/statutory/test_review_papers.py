"""When an annual review's papers go round (SEND Regulations 2014, reg. 20; STATUTORY.md section 3):
worked examples, then properties."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sencohub.statutory import timelines as t

D = dt.date
meetings = st.dates(min_value=D(2014, 9, 1), max_value=D(2090, 12, 31))


@pytest.mark.parametrize(
    ("meeting", "papers_out_by", "report_by"),
    [
        (D(2027, 3, 10), D(2027, 2, 24), D(2027, 3, 24)),  # a Wednesday: both dates are Wednesdays
        (D(2027, 1, 6), D(2026, 12, 23), D(2027, 1, 20)),  # papers go out before the Christmas holidays
        (D(2028, 3, 14), D(2028, 2, 29), D(2028, 3, 28)),  # a leap year's 29 February
        (D(2027, 3, 1), D(2027, 2, 15), D(2027, 3, 15)),
        (D(2026, 9, 7), D(2026, 8, 24), D(2026, 9, 21)),  # a September meeting: papers out in August
    ],
)
def test_review_papers_worked_examples(meeting, papers_out_by, report_by):
    assert t.review_papers(meeting) == {
        "invitations_due": papers_out_by,
        "advice_circulated_due": papers_out_by,
        "school_report_due": report_by,
    }


def test_an_arranged_review_gives_the_same_papers_dates_as_the_calculator():
    dates = t.annual_review(last_review=D(2026, 3, 12), meeting=D(2027, 3, 10))
    assert {k: dates[k] for k in t.review_papers(D(2027, 3, 10))} == t.review_papers(D(2027, 3, 10))


@given(meetings)
def test_the_papers_reach_everyone_at_least_two_weeks_before_the_meeting(meeting):
    papers = t.review_papers(meeting)
    assert (meeting - papers["invitations_due"]).days >= 14
    assert papers["advice_circulated_due"] == papers["invitations_due"]


@given(meetings)
def test_the_report_follows_within_two_weeks_after_the_meeting(meeting):
    papers = t.review_papers(meeting)
    assert 0 < (papers["school_report_due"] - meeting).days <= 14


@given(meetings)
def test_papers_dates_fall_on_the_meetings_day_of_the_week_four_weeks_apart(meeting):
    papers = t.review_papers(meeting)
    assert papers["invitations_due"].weekday() == meeting.weekday() == papers["school_report_due"].weekday()
    assert (papers["school_report_due"] - papers["invitations_due"]).days == 28


@given(meetings, st.integers(min_value=1, max_value=400))
def test_a_later_meeting_moves_every_papers_date_later_by_as_much(meeting, later_by):
    later = meeting + dt.timedelta(days=later_by)
    before, after = t.review_papers(meeting), t.review_papers(later)
    assert all((after[k] - before[k]).days == later_by for k in before)
