"""Impact arithmetic against hand-worked examples."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sencohub.provision import impact


def test_effect_size_worked_example():
    # Entry 85, 90, 95 (mean 90, sd 5); exit 92, 96, 101 (mean 96.33, sd 4.51); pooled sd sqrt((25 + 20.33)/2) = 4.761
    d, interval = impact.effect_size([85, 90, 95], [92, 96, 101])
    assert d == pytest.approx(6.3333 / 4.7610, abs=1e-3)  # 1.330
    assert interval is None  # fewer than 5 pupils: no interval


def test_the_interval_with_five_pupils():
    # Entry 80, 85, 90, 95, 100 (variance 62.5); exit 86, 90, 97, 99, 108 (mean 96, variance 290/4 = 72.5);
    # pooled sd sqrt(67.5) = 8.216; d = 6 / 8.216 = 0.730
    d, (low, high) = impact.effect_size([80, 85, 90, 95, 100], [86, 90, 97, 99, 108])
    assert d == pytest.approx(0.730, abs=1e-3)
    half = 1.96 * math.sqrt(2 / 5 + 0.730**2 / 20)  # 1.96 x 0.6532 = 1.280
    assert (low, high) == (pytest.approx(d - half, abs=1e-3), pytest.approx(d + half, abs=1e-3))
    assert low == pytest.approx(-0.550, abs=1e-2) and high == pytest.approx(2.011, abs=1e-2)


def test_ratio_gain_worked_example():
    # Reading ages gained 12, 9 and 6 months over 6, 6 and 6 months: mean 9 over 6 = 1.5
    assert impact.ratio_gain([12, 9, 6], [6, 6, 6]) == 1.5
    assert impact.ratio_gain([3], [0]) is None


def test_no_effect_size_without_spread_or_pupils():
    assert impact.effect_size([90], [95]) == (None, None)
    assert impact.effect_size([90, 90], [90, 90]) == (None, None)
    assert impact.impact([]).n == 0


def test_the_whole_summary():
    summary = impact.impact([(84, 96), (90, 99), (78, 84)], months_elapsed=[6, 6, 6])
    assert summary.n == 3 and summary.average_change == 9 and summary.ratio_gain == 1.5


@given(st.lists(st.tuples(st.integers(40, 160), st.integers(0, 30)), min_size=2, max_size=40))
def test_adding_the_same_gain_to_everyone_gives_a_positive_effect(rows):
    entry = [float(a) for a, _ in rows]
    shift = 5.0
    d, _ = impact.effect_size(entry, [a + shift for a in entry])
    if len(set(entry)) > 1:
        assert d > 0
