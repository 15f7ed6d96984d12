"""Numbers as people write them: worked examples, then properties."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sencohub.statutory.numbers import plain_number


@pytest.mark.parametrize(
    "value, text",
    [
        (Decimal("3.0"), "3"),
        (Decimal("1.5"), "1.5"),
        (Decimal("1.50"), "1.5"),
        (Decimal("0.5"), "0.5"),
        (Decimal("30.0"), "30"),
        (Decimal("100"), "100"),
        (3, "3"),
        (30, "30"),
        (0, "0"),
        (Decimal("-0.0"), "0"),
        (2.5, "2.5"),
        (None, ""),
        ("", ""),
    ],
)
def test_worked_examples(value, text):
    assert plain_number(value) == text


decimals = st.decimals(min_value=-999, max_value=999, places=1, allow_nan=False, allow_infinity=False)


@given(decimals)
def test_it_means_the_same_number(value):
    assert Decimal(plain_number(value)) == value


@given(decimals)
def test_it_has_no_trailing_zero_after_the_point_and_no_exponent(value):
    text = plain_number(value)
    assert "E" not in text.upper() and not ("." in text and text.endswith("0")) and not text.endswith(".")


@given(st.integers(min_value=-10_000, max_value=10_000))
def test_a_whole_number_is_written_with_no_point_however_it_is_stored(value):
    assert plain_number(value) == plain_number(Decimal(value).quantize(Decimal("0.1"))) == str(value)
