"""A pupil's term costs add up to the year's cost to the penny (STATUTORY.md section 7): the share is worked out once
for the year and then split over the terms, never worked out again term by term."""

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from sencohub.provision.costing import OUTSIDE_TERMS, group_cost

D = dt.date
TERMS = [
    ("Autumn 2026", D(2026, 9, 3), D(2026, 12, 18)),
    ("Spring 2027", D(2027, 1, 5), D(2027, 3, 26)),
    ("Summer 2027", D(2027, 4, 12), D(2027, 7, 21)),
]


def test_a_worked_example_where_term_by_term_rounding_used_to_lose_pence():
    # A TA at £14.37 an hour, 3 sessions a week of 25 minutes, all year, £47.11 of materials, a group of 3 of whom
    # one leaves at February half-term. Worked term by term, each term's cost rounds on its own and the terms no
    # longer add up to the year; split once, they do.
    spells = [(D(2026, 9, 3), D(2027, 7, 21)), (D(2026, 9, 3), D(2027, 2, 13)), (D(2026, 9, 3), D(2027, 7, 21))]
    group = group_cost(first=D(2026, 9, 3), last=D(2027, 7, 21), spells=spells, sessions_per_week=3, minutes=25,
                       hourly_pence=1437, other_pence=4711, group_size=3, terms=TERMS)  # fmt: skip
    assert sum(group.shares) == group.cost.total_pence
    for share, by_term in zip(group.shares, group.by_term, strict=True):
        assert sum(by_term.values()) == share
        assert list(by_term) == ["Autumn 2026", "Spring 2027", "Summer 2027"]
    assert group.by_term[1]["Summer 2027"] == 0  # she had left


def test_provision_outside_the_term_dates_is_shown_as_such():
    group = group_cost(first=D(2026, 7, 27), last=D(2026, 8, 28), spells=[(D(2026, 7, 27), D(2026, 8, 28))],
                       sessions_per_week=2, minutes=30, hourly_pence=1500, other_pence=2500, group_size=1, terms=TERMS)  # fmt: skip
    assert group.sessions == 0 and group.by_term == [{OUTSIDE_TERMS: 2500}]


days = st.integers(0, 364).map(lambda n: D(2026, 9, 1) + dt.timedelta(days=n))


@settings(max_examples=150, deadline=None)
@given(
    spells=st.lists(st.tuples(days, days).map(sorted), min_size=1, max_size=6),
    sessions_per_week=st.integers(1, 10), minutes=st.integers(5, 120), hourly=st.integers(900, 4000),
    other=st.integers(0, 50_000), with_terms=st.booleans(),
)  # fmt: skip
def test_each_pupils_terms_add_up_to_their_year_to_the_penny(spells, sessions_per_week, minutes, hourly, other, with_terms):
    first, last = D(2026, 9, 1), D(2027, 8, 31)
    group = group_cost(first=first, last=last, spells=[tuple(s) for s in spells], sessions_per_week=sessions_per_week,
                       minutes=minutes, hourly_pence=hourly, other_pence=other, group_size=len(spells),
                       terms=TERMS if with_terms else [])  # fmt: skip
    assert sum(group.shares) == group.cost.total_pence
    for share, by_term in zip(group.shares, group.by_term, strict=True):
        assert all(pence >= 0 for pence in by_term.values())
        if with_terms:
            assert sum(by_term.values()) == share
        else:
            assert by_term == {}
