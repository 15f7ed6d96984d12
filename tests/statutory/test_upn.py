import string

from hypothesis import given
from hypothesis import strategies as st

from sencohub.statutory import upn

ALPHABET = "ABCDEFGHJKLMNPQRTUVWXYZ0123456789"


def test_a_published_example_is_valid():
    assert upn.check("B801200005001").ok


def test_a_wrong_check_letter_names_the_right_one():
    result = upn.check("A801200005001")
    assert result.error == upn.MESSAGE_CHECK.format(expected="B")


def test_spaces_and_lower_case_are_tidied():
    assert upn.check(" b801 2000 05001 ").upn == "B801200005001"


def test_length_is_reported():
    assert upn.check("B80120000500").error == upn.MESSAGE_LENGTH.format(length=12)


def test_unknown_local_authority_is_refused():
    body = "000200005001"
    assert upn.check(upn.check_letter(body) + body).error == upn.MESSAGE_LA.format(la="000")


def test_local_authorities_created_since_2019_are_accepted():
    for la in (839, 940, 941, 942, 943):
        assert upn.check(upn.make(la, 2001, 24, 7)).ok, la


def test_empty_upn_asks_for_one():
    assert upn.check("").error == upn.MESSAGE_MISSING


@given(
    la=st.sampled_from([801, 330, 202, 839, 940]),
    establishment=st.integers(0, 9999),
    year=st.integers(0, 99),
    serial=st.integers(0, 999),
)
def test_every_made_upn_is_valid(la, establishment, year, serial):
    made = upn.make(la, establishment, year, serial)
    assert len(made) == 13
    assert upn.check(made).ok


@given(
    la=st.sampled_from([801, 330, 940]),
    establishment=st.integers(0, 9999),
    serial=st.integers(0, 999),
    position=st.integers(4, 12),
    digit=st.sampled_from(string.digits),
)
def test_changing_one_digit_after_the_la_is_caught(la, establishment, serial, position, digit):
    made = upn.make(la, establishment, 20, serial)
    changed = made[:position] + digit + made[position + 1 :]
    if changed != made:
        assert not upn.check(changed).ok


@given(st.text(alphabet=ALPHABET + " -x", max_size=20))
def test_any_text_gets_an_answer_not_an_exception(text):
    result = upn.check(text)
    assert result.ok or result.error
