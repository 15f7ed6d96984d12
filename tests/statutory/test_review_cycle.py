"""When a support plan is reviewed: worked examples, then properties."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sencohub.statutory.review_cycle import (
    MAX_WEEKS,
    MIN_WEEKS,
    TermSpan,
    term_to_review_at,
    weeks_on,
)

AUTUMN = TermSpan("Autumn 2026", dt.date(2026, 9, 2), dt.date(2026, 12, 18))
SPRING = TermSpan("Spring 2027", dt.date(2027, 1, 5), dt.date(2027, 3, 26))
SUMMER = TermSpan("Summer 2027", dt.date(2027, 4, 12), dt.date(2027, 7, 21))
YEAR = [AUTUMN, SPRING, SUMMER]


def test_a_cycle_started_on_1_december_runs_to_the_end_of_the_spring_term():
    assert term_to_review_at(dt.date(2026, 12, 1), YEAR) == SPRING


def test_a_cycle_started_early_in_a_term_is_reviewed_at_its_end():
    assert term_to_review_at(dt.date(2026, 10, 1), YEAR) == AUTUMN
    assert term_to_review_at(dt.date(2027, 1, 11), YEAR) == SPRING


def test_six_weeks_exactly_is_long_enough():
    assert term_to_review_at(dt.date(2026, 11, 6), YEAR) == AUTUMN  # 42 days before 18 December
    assert term_to_review_at(dt.date(2026, 11, 7), YEAR) == SPRING  # 41 days


def test_a_cycle_started_in_the_holiday_is_reviewed_at_the_end_of_the_next_term():
    assert term_to_review_at(dt.date(2026, 12, 28), YEAR) == SPRING
    assert term_to_review_at(dt.date(2027, 4, 1), YEAR) == SUMMER


def test_without_the_next_term_recorded_there_is_no_term_to_review_at():
    assert term_to_review_at(dt.date(2026, 12, 1), [AUTUMN]) is None
    assert term_to_review_at(dt.date(2026, 12, 1), []) is None
    assert term_to_review_at(dt.date(2027, 8, 1), YEAR) is None


def test_a_term_a_year_away_is_not_taken_for_the_next_term():
    next_year = TermSpan("Autumn 2027", dt.date(2027, 9, 2), dt.date(2027, 12, 17))
    assert term_to_review_at(dt.date(2026, 12, 1), [AUTUMN, next_year]) is None
    assert term_to_review_at(dt.date(2026, 12, 1), [next_year]) is None


def test_weeks_on_counts_whole_weeks():
    assert weeks_on(dt.date(2026, 12, 1), 6) == dt.date(2027, 1, 12)
    assert weeks_on(dt.date(2026, 12, 1), 12) == dt.date(2027, 2, 23)
    assert weeks_on(dt.date(9999, 12, 1), 12) == dt.date.max


@pytest.mark.parametrize("weeks", [0, 5, 13, -1])
def test_weeks_outside_6_to_12_are_refused(weeks):
    with pytest.raises(ValueError, match="6 to 12 weeks"):
        weeks_on(dt.date(2026, 12, 1), weeks)


days = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date.max)


@st.composite
def school_years(draw):
    """Consecutive terms of 5 to 16 weeks with holidays of 1 to 7 weeks between them."""
    start = draw(st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(9990, 1, 1)))
    terms = []
    for number in range(draw(st.integers(0, 6))):
        ends = start + dt.timedelta(days=draw(st.integers(35, 112)))
        terms.append(TermSpan(f"Term {number}", start, ends))
        start = ends + dt.timedelta(days=draw(st.integers(7, 49)))
    return terms


@given(days, st.integers(MIN_WEEKS, MAX_WEEKS))
def test_weeks_on_is_exactly_the_weeks_after_the_start_or_the_last_day_there_is(start, weeks):
    review = weeks_on(start, weeks)
    assert review >= start
    if review != dt.date.max:
        assert review - start == dt.timedelta(weeks=weeks)
    else:
        assert dt.date.max - start <= dt.timedelta(weeks=weeks)


@given(days, school_years())
def test_the_term_chosen_gives_at_least_six_weeks_and_is_the_first_that_does(start, terms):
    term = term_to_review_at(start, terms)
    if term is not None:
        assert term in terms
        assert term.ends_on - start >= dt.timedelta(weeks=MIN_WEEKS)
        assert not any(start < t.ends_on < term.ends_on and t.ends_on - start >= dt.timedelta(weeks=6) for t in terms)
        skipped = [t for t in terms if start < t.ends_on < term.ends_on]
        assert len(skipped) <= 1  # at most the term the cycle starts in


@given(days, school_years())
def test_the_term_rule_never_fails_even_at_the_end_of_the_calendar(start, terms):
    term_to_review_at(start, terms)
    term_to_review_at(dt.date.max, terms)
    term_to_review_at(start, [*terms, TermSpan("Last", dt.date(9999, 9, 1), dt.date.max)])
