"""Governors see no count from 1 to 4, and cannot work one out: worked examples, then the rule over generated
groups of counts."""

from hypothesis import given
from hypothesis import strategies as st

from sencohub.statutory.disclosure import SUPPRESSED as C
from sencohub.statutory.disclosure import count, count_in_words, suppress, suppress_with_total


def values(cells):
    return [v for _, v in cells]


def group(*counts):
    return [(f"K{i}", n) for i, n in enumerate(counts)]


def test_a_small_count_is_hidden_and_so_is_the_next_smallest_that_would_give_it_away():
    assert values(suppress(group(10, 7, 3))) == [10, C, C]
    assert values(suppress(group(10, 5))) == [10, 5]
    assert values(suppress(group(10, 2, 0))) == [C, C, 0]  # 0 names no one; 10 is hidden so 2 cannot be found


def test_hidden_counts_that_add_up_to_a_small_number_hide_more():
    assert values(suppress(group(20, 9, 1, 1))) == [20, C, C, C]  # 1 + 1 = 2 would be a small count


def test_a_small_total_is_hidden_with_everything_in_it():
    assert suppress_with_total(group(3, 0)) == ([("K0", C), ("K1", 0)], C)
    assert values(suppress(group(6, 9), total_hidden=True)) == [C, C]


def test_five_ones_hide_their_total_too():
    cells, total = suppress_with_total(group(1, 1, 1, 1, 1))
    assert values(cells) == [C] * 5 and total == C


def test_single_counts_and_words():
    assert [count(n) for n in (0, 1, 4, 5)] == [0, C, C, 5]
    assert [count_in_words(n) for n in (0, 3, 12)] == ["none", "fewer than 5", "12"]


def could_be(cells, total) -> int:
    """How many values a reader who knows the total and the rule could give each hidden count: filling the k
    hidden cells with counts of at least 1 (0 is always shown) that add up to what the total leaves, a cell can
    be anything from 1 to (what is left) - (k - 1), unless it is the only hidden cell."""
    hidden = sum(1 for v in cells if v == C)
    rest = total - sum(v for v in cells if v != C)
    return 1 if hidden == 1 else rest - (hidden - 1)


@given(st.lists(st.integers(min_value=0, max_value=12), min_size=1, max_size=5), st.booleans())
def test_no_count_from_1_to_4_is_shown_and_no_hidden_count_can_be_worked_out(counts, total_hidden):
    cells, total = suppress_with_total(group(*counts), total_hidden=total_hidden)
    shown = values(cells) + [total]
    assert not any(v != C and 1 <= v <= 4 for v in shown)
    if total_hidden:
        assert all(v in (0, C) for v in values(cells))
    if total == C or C not in values(cells):
        return
    # The total is shown: subtracting the shown counts from it gives no small number and no single hidden count.
    hidden_sum = total - sum(v for v in values(cells) if v != C)
    assert hidden_sum >= 5
    assert could_be(values(cells), total) >= 2, (counts, cells)
