import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from sencohub.statutory import census

D = dt.date(2026, 1, 15)
CODES = list(census.SEN_TYPES)


def messages(*args):
    return [p.message for p in census.check_sen_record(*args)]


def test_ehc_plan_with_a_primary_need_is_fine():
    assert census.check_sen_record("E", "ASD", "SLCN", D) == []


def test_sen_support_needs_a_primary_need():
    assert messages("K", None, None, D) == [census.MESSAGE_NEEDS_PRIMARY.format(provision="SEN support")]


def test_no_sen_has_no_need():
    assert messages("N", "ASD", None, D) == [census.MESSAGE_NO_SEN_NO_NEEDS]


def test_nsa_only_with_sen_support():
    assert census.check_sen_record("K", "NSA", None, D) == []
    assert messages("E", "NSA", None, D) == [census.MESSAGE_NSA_ONLY_SUPPORT]


def test_nsa_stands_alone():
    assert census.MESSAGE_NSA_NOT_SECONDARY in messages("K", "NSA", "ASD", D)
    assert census.MESSAGE_NSA_NOT_SECONDARY in messages("K", "ASD", "NSA", D)


def test_down_syndrome_only_from_january_2025():
    assert census.check_sen_record("E", "DS", None, dt.date(2025, 1, 1)) == []
    assert [p.field for p in census.check_sen_record("E", "DS", None, dt.date(2024, 12, 31))] == ["primary_need"]


def test_the_same_need_cannot_be_primary_and_secondary():
    assert messages("K", "MLD", "MLD", D) == [census.MESSAGE_SAME_NEED_TWICE]


def test_historic_codes_map_to_todays():
    assert census.normalise_provision("S")[0] == "E"
    assert census.normalise_provision("a")[0] == "K"
    assert census.normalise_provision("P")[0] == "K"
    assert census.normalise_provision("X") == (None, None)


def test_every_type_has_one_of_the_four_areas_or_other():
    assert {t.area for t in census.SEN_TYPES.values()} <= set(census.AREAS_OF_NEED)


@given(
    provision=st.sampled_from(["E", "K", "N"]),
    primary=st.one_of(st.none(), st.sampled_from(CODES)),
    secondary=st.one_of(st.none(), st.sampled_from(CODES)),
    on=st.dates(dt.date(2015, 1, 1), dt.date(2035, 12, 31)),
)
def test_a_record_without_problems_obeys_every_census_rule(provision, primary, secondary, on):
    if census.check_sen_record(provision, primary, secondary, on):
        return
    if provision == "N":
        assert primary is None and secondary is None
    else:
        assert primary is not None
        assert secondary != primary
        assert "NSA" not in (secondary,)
        if primary == "NSA":
            assert provision == "K" and secondary is None
    for code in (primary, secondary):
        if code == "DS":
            assert on >= dt.date(2025, 1, 1)
