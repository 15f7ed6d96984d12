"""The school year, 1 September to 31 August: worked examples, then properties."""

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from sencohub.statutory.school_year import school_year, school_year_start


def test_the_school_year_starts_on_1_september():
    assert school_year_start(dt.date(2026, 9, 1)) == dt.date(2026, 9, 1)
    assert school_year_start(dt.date(2026, 11, 23)) == dt.date(2026, 9, 1)
    assert school_year_start(dt.date(2026, 12, 31)) == dt.date(2026, 9, 1)


def test_january_to_august_belong_to_the_year_that_started_the_september_before():
    assert school_year_start(dt.date(2027, 1, 1)) == dt.date(2026, 9, 1)
    assert school_year_start(dt.date(2027, 8, 31)) == dt.date(2026, 9, 1)
    assert school_year_start(dt.date(2024, 2, 29)) == dt.date(2023, 9, 1)


def test_the_school_year_ends_on_31_august():
    assert school_year(dt.date(2026, 11, 23)) == (dt.date(2026, 9, 1), dt.date(2027, 8, 31))
    assert school_year(dt.date(2027, 3, 1)) == (dt.date(2026, 9, 1), dt.date(2027, 8, 31))
    assert school_year(dt.date(2027, 9, 1)) == (dt.date(2027, 9, 1), dt.date(2028, 8, 31))


@given(st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2100, 12, 31)))
def test_every_day_falls_in_exactly_one_school_year_of_a_year(day):
    start, end = school_year(day)
    assert start <= day <= end
    assert (start.month, start.day, end.month, end.day) == (9, 1, 8, 31)
    assert end.year == start.year + 1
    assert day - start < dt.timedelta(days=366)
    # The day after the end starts the next year; the day before the start ends the last one.
    assert school_year_start(end + dt.timedelta(days=1)) == dt.date(start.year + 1, 9, 1)
    assert school_year(start - dt.timedelta(days=1))[1] == start - dt.timedelta(days=1)
