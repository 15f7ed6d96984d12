"""Money rules: worked examples, then properties (STATUTORY.md section 7)."""

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sencohub.statutory import money


def test_a_worked_example():
    # A TA on £15.40 an hour runs a group of 4 three times a week for 20 minutes, for 38 weeks, with £60 of books.
    cost = money.provision_cost(sessions=3 * 38, minutes_per_session=20, hourly_pence=1540, other_pence=6000, group_size=4)
    assert cost.hours == 38  # 114 sessions x 20 minutes
    assert cost.staff_pence == 58520  # 38 hours x £15.40
    assert cost.total_pence == 64520
    assert cost.pupil_shares() == [16130, 16130, 16130, 16130]


def test_spare_pence_go_to_the_first_pupils():
    assert money.shares(1000, 3) == [334, 333, 333]
    assert money.shares(2, 3) == [1, 1, 0]


def test_exact_hours_round_once():
    # 20 sessions of 25 minutes at £14.99: 25/3 hours = 12491.67p, rounded once to 12492p
    assert money.hours(20, 25) == Fraction(25, 3)
    assert money.staff_cost_pence(20, 25, 1499) == 12492


def test_half_a_penny_rounds_up():
    assert money.round_pence(Fraction(5, 2)) == 3 and money.round_pence(Fraction(3, 2)) == 2


def test_the_threshold():
    assert money.above_threshold(600_000) == 0 and money.above_threshold(612_345) == 12_345


@pytest.mark.parametrize("bad", [{"group_size": 0}, {"other_pence": -1}, {"hourly_pence": -5}])
def test_impossible_costs_are_refused(bad):
    args = {"sessions": 10, "minutes_per_session": 30, "hourly_pence": 1500, "other_pence": 0, "group_size": 3} | bad
    with pytest.raises(ValueError):
        money.provision_cost(**args)


@given(st.integers(0, 10**9), st.integers(1, 60))
def test_shares_add_up_exactly_and_differ_by_at_most_a_penny(total, parts):
    split = money.shares(total, parts)
    assert sum(split) == total and len(split) == parts
    assert max(split) - min(split) <= 1


@given(st.integers(0, 400), st.integers(0, 180), st.integers(0, 10_000), st.integers(0, 10**6), st.integers(1, 30))
def test_the_pupils_shares_are_the_provisions_cost(sessions, minutes, hourly, other, group):
    cost = money.provision_cost(sessions=sessions, minutes_per_session=minutes, hourly_pence=hourly, other_pence=other,
                                group_size=group)  # fmt: skip
    assert sum(cost.pupil_shares()) == cost.total_pence
    assert abs(cost.staff_pence - cost.hours * hourly) <= Fraction(1, 2)


# --- Element 2 and top-up (STATUTORY.md section 7) -------------------------------------------------------------


def test_element_2_is_at_most_6000_a_pupil_and_the_rest_is_top_up():
    # High needs funding operational guide: the school meets the first £6,000 of additional support from its
    # notional SEN budget; the LA's top-up (element 3) pays for the rest. A pupil with £8,250 of support:
    assert money.funding(825_000) == money.Funding(element2_pence=600_000, top_up_pence=225_000)
    # A pupil with £3,100 is met wholly from element 2, with no top-up.
    assert money.funding(310_000) == money.Funding(element2_pence=310_000, top_up_pence=0)
    assert money.funding(600_000) == money.Funding(600_000, 0)


def test_universal_provision_is_not_additional_support():
    assert not money.is_additional_support(1)
    assert money.is_additional_support(2) and money.is_additional_support(3)


@given(st.integers(0, 10**8))
def test_element_2_never_passes_6000_and_nothing_is_lost(yearly):
    split = money.funding(yearly)
    assert 0 <= split.element2_pence <= money.NOTIONAL_THRESHOLD_PENCE and split.top_up_pence >= 0
    assert split.total_pence == yearly
    assert split.top_up_pence == money.above_threshold(yearly)
    assert split.top_up_pence == 0 or split.element2_pence == money.NOTIONAL_THRESHOLD_PENCE


@given(st.lists(st.integers(0, 2 * 10**6), max_size=40))
def test_a_schools_commitment_counts_at_most_6000_for_each_pupil(pupils):
    committed = sum(money.funding(p).element2_pence for p in pupils)
    assert committed <= money.NOTIONAL_THRESHOLD_PENCE * len(pupils)
    assert committed + sum(money.funding(p).top_up_pence for p in pupils) == sum(pupils)


def test_a_negative_cost_is_refused():
    with pytest.raises(ValueError):
        money.funding(-1)


# --- Pounds typed on a page, stored in pence (DESIGN.md section 4) ----------------------------------------------


def test_pounds_typed_on_a_page_are_stored_in_whole_pence():
    # A TA's hourly cost of £15.40, a £6,000 element 3, a notional SEN budget of £145,000, books at £0.99.
    assert money.pence_from_pounds(Decimal("15.40")) == 1540
    assert money.pence_from_pounds(Decimal("6000")) == 600_000
    assert money.pence_from_pounds(Decimal("145000.00")) == 14_500_000
    assert money.pence_from_pounds(Decimal("0.99")) == 99
    assert money.pence_from_pounds(0) == 0
    # A sum typed with a fraction of a penny is held to the nearest penny.
    assert money.pence_from_pounds(Decimal("12.344")) == 1234 and money.pence_from_pounds(Decimal("12.346")) == 1235


@given(st.integers(0, 10**11))
def test_pence_shown_as_pounds_and_typed_back_are_the_same_pence(pence):
    pounds = Decimal(pence) / 100  # what a page shows, to the penny
    assert money.pence_from_pounds(pounds) == pence


@given(st.decimals(min_value=0, max_value=10**9, places=4, allow_nan=False, allow_infinity=False))
def test_pounds_are_held_to_within_half_a_penny(pounds):
    assert abs(money.pence_from_pounds(pounds) - pounds * 100) <= Decimal("0.5")
