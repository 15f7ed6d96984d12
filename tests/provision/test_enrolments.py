"""Taking a pupil out of a provision ends their enrolment on a date; their attendance, measures and share of past
costs stay in their history. Ticked again, they carry on (the same day) or start a new enrolment (later)."""

import datetime as dt
from fractions import Fraction

import pytest
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from sencohub.provision.catalogue import catalogue_seed
from sencohub.provision.costing import provision_map, shares_by_weight, spell_weights
from sencohub.provision.models import Attendance, Enrolment, Intervention, PayBand, Provision, Session
from sencohub.provision.services import provision_pupils_set
from sencohub.schools.models import Term
from sencohub.statutory import money
from tests.factories import PupilFactory, put_on_register

TODAY = timezone.localdate()


@pytest.fixture
def group(world):
    """A reading group that started a month ago: Ada and Ben, with a register taken and measures recorded."""
    catalogue_seed(world.school)
    band = PayBand.objects.create(school=world.school, name="Teaching assistant", hourly_pence=1540)
    provision = Provision.objects.create(
        school=world.school, intervention=Intervention.objects.get(school=world.school, name="Reading fluency"),
        name="Reading group", staff="Mrs Patel", pay_band=band, days="024", starts_on=TODAY - dt.timedelta(days=30),
        ends_on=TODAY + dt.timedelta(days=60), sessions_per_week=3, minutes=20,
    )  # fmt: skip
    provision.pupils.set([world.pupil_support, world.pupil_ehc])
    session = Session.objects.create(provision=provision, held_on=TODAY - dt.timedelta(days=7))
    for pupil in (world.pupil_support, world.pupil_ehc):
        Attendance.objects.create(session=session, pupil=pupil, present=True)
    Enrolment.objects.filter(provision=provision, pupil=world.pupil_support).update(
        measure="standardised", entry_value=84, entry_on=TODAY - dt.timedelta(days=30), exit_value=91, exit_on=TODAY
    )
    return provision


def _post(client, world, provision, pupils, days=("0", "2", "4")):
    return client.post(f"/schools/{world.school.urn}/provision/groups/{provision.pk}/", {
        "intervention": provision.intervention_id, "name": provision.name, "wave": provision.wave, "staff": provision.staff,
        "pay_band": provision.pay_band_id, "days_of_week": list(days), "starts_on": provision.starts_on.isoformat(),
        "ends_on": provision.ends_on.isoformat(), "sessions_per_week": provision.sessions_per_week, "minutes": provision.minutes,
        "pupils": [p.pk for p in pupils],
    })  # fmt: skip


def test_a_pupil_taken_out_of_a_group_keeps_their_enrolment_attendance_and_measures(client, world, group):
    client.force_login(world.people["senco"])
    assert _post(client, world, group, [world.pupil_ehc]).status_code == 302
    ada = Enrolment.objects.get(provision=group, pupil=world.pupil_support)
    assert ada.left_on == TODAY and ada.entry_value == 84 and ada.exit_value == 91
    assert Attendance.objects.filter(pupil=world.pupil_support, session__provision=group, present=True).count() == 1
    assert list(Enrolment.objects.current().filter(provision=group).values_list("pupil__surname", flat=True)) == ["Marchbanks"]
    listing = client.get(f"/schools/{world.school.urn}/provision/groups/").content.decode()
    assert f"Ada Quillfeather left the group on {TODAY:%-d %b %Y}" in listing
    pupil_page = client.get(f"/schools/{world.school.urn}/pupils/{world.pupil_support.upn}/support/").content.decode()
    assert f"Reading group (Reading fluency): left the group on {TODAY:%-d %b %Y}" in pupil_page
    assert "84.0 on entry, 91.0 on exit" in pupil_page
    measures = client.get(f"/schools/{world.school.urn}/provision/groups/{group.pk}/measures/").content.decode()
    assert f"Ada Quillfeather (left the group on {TODAY:%-d %b %Y})" in measures  # an exit measure can still be recorded


def test_the_edit_page_ticks_only_the_pupils_still_in_the_group(client, world, group):
    client.force_login(world.people["senco"])
    _post(client, world, group, [world.pupil_ehc])
    page = client.get(f"/schools/{world.school.urn}/provision/groups/{group.pk}/").content.decode()
    assert f'value="{world.pupil_ehc.pk}" checked' in page and f'value="{world.pupil_support.pk}" checked' not in page


def test_a_pupil_ticked_again_the_same_day_carries_on_in_the_same_enrolment(client, world, group):
    client.force_login(world.people["senco"])
    _post(client, world, group, [world.pupil_ehc])
    _post(client, world, group, [world.pupil_ehc, world.pupil_support])
    ada = Enrolment.objects.get(provision=group, pupil=world.pupil_support)
    assert ada.left_on is None and ada.joined_on is None and ada.entry_value == 84


def test_a_pupil_back_in_the_group_later_starts_a_new_enrolment_from_that_day(world, group):
    provision_pupils_set(provision=group, pupils=[world.pupil_ehc], today=TODAY - dt.timedelta(days=10))
    provision_pupils_set(provision=group, pupils=[world.pupil_ehc, world.pupil_support], today=TODAY)
    spells = list(Enrolment.objects.filter(provision=group, pupil=world.pupil_support).order_by("pk").values_list("joined_on", "left_on", "entry_value"))
    assert spells == [(None, TODAY - dt.timedelta(days=10), 84), (TODAY, None, None)]


def test_a_pupil_added_today_by_mistake_with_nothing_recorded_is_simply_taken_off(world, group):
    cara = world.pupil_none
    provision_pupils_set(provision=group, pupils=[world.pupil_support, world.pupil_ehc, cara], today=TODAY)
    assert Enrolment.objects.get(provision=group, pupil=cara).joined_on == TODAY  # the group had started: from today
    provision_pupils_set(provision=group, pupils=[world.pupil_support, world.pupil_ehc], today=TODAY)
    assert not Enrolment.objects.filter(provision=group, pupil=cara).exists()


def test_pupils_added_to_a_new_provision_are_in_it_from_its_start(client, world, group):
    client.force_login(world.people["senco"])
    response = client.post(f"/schools/{world.school.urn}/provision/groups/new/", {
        "intervention": group.intervention_id, "name": "Spelling group", "wave": 2, "staff": "Mr Okoye", "pay_band": group.pay_band_id,
        "starts_on": (TODAY - dt.timedelta(days=14)).isoformat(), "ends_on": (TODAY + dt.timedelta(days=14)).isoformat(),
        "days_of_week": ["1", "3"], "minutes": 20, "pupils": [world.pupil_ehc.pk],
    })  # fmt: skip
    assert response.status_code == 302
    assert Enrolment.objects.get(provision__name="Spelling group").joined_on is None


@pytest.fixture
def term_group(world):
    """Autumn 2026: 15 weeks from 7 September. A group of two, 3 sessions a week of 20 minutes at £15.40 an hour."""
    Term.objects.create(school=world.school, name="Autumn 2026", starts_on=dt.date(2026, 9, 7), ends_on=dt.date(2026, 12, 18))
    catalogue_seed(world.school)
    band = PayBand.objects.create(school=world.school, name="Teaching assistant", hourly_pence=1540)
    provision = Provision.objects.create(
        school=world.school, intervention=Intervention.objects.get(school=world.school, name="Reading fluency"),
        name="Reading group", staff="Mrs Patel", pay_band=band, starts_on=dt.date(2026, 9, 7), ends_on=dt.date(2026, 12, 18),
        sessions_per_week=3, minutes=20,
    )  # fmt: skip
    provision.pupils.set([world.pupil_support, world.pupil_ehc])
    return provision


def test_a_pupil_who_left_after_five_weeks_bears_a_share_of_those_weeks_only(world, term_group):
    # Ada leaves on Friday 9 October, after 5 of the 15 weeks: 15 sessions shared by two, then 30 by Ben alone.
    provision_pupils_set(provision=term_group, pupils=[world.pupil_ehc], today=dt.date(2026, 10, 9))
    rows = {r.pupil.surname: r for r in provision_map(world.school, on=dt.date(2026, 11, 23)).rows}
    # 45 sessions of 20 minutes = 15 hours at £15.40 = £231.00; Ada 7.5 of 45 session-shares, Ben 37.5
    assert rows["Quillfeather"].total_pence == 3850 and rows["Marchbanks"].total_pence == 19250
    assert rows["Quillfeather"].by_term["Autumn 2026"] == 3850
    assert sum(r.total_pence for r in rows.values()) == 23100  # the cost of the group, to the penny


def test_a_pupil_who_left_last_school_year_is_not_in_this_years_map_but_keeps_last_years_cost(world, term_group):
    term_group.ends_on = dt.date(2027, 12, 17)
    term_group.save()
    provision_pupils_set(provision=term_group, pupils=[world.pupil_ehc], today=dt.date(2027, 7, 16))
    assert [r.pupil.surname for r in provision_map(world.school, on=dt.date(2027, 10, 1)).rows] == ["Marchbanks"]
    assert "Quillfeather" in [r.pupil.surname for r in provision_map(world.school, on=dt.date(2027, 3, 1)).rows]


FIRST, LAST = dt.date(2026, 9, 7), dt.date(2026, 12, 18)
TERMS = [(FIRST, LAST)]
days = st.integers(0, (LAST - FIRST).days)


@st.composite
def spells(draw):
    out = []
    for _ in range(draw(st.integers(1, 5))):
        a, b = sorted((draw(days), draw(days)))
        out.append((FIRST + dt.timedelta(days=a), FIRST + dt.timedelta(days=b)))
    return out


@settings(max_examples=60, deadline=None)
@given(spells(), st.integers(0, 500_000))
def test_shares_of_a_group_whose_pupils_come_and_go_add_up_to_its_cost_and_follow_the_days_each_was_in_it(found, total):
    weights = spell_weights(found, FIRST, LAST, 3, TERMS)
    parts = shares_by_weight(total, weights)
    assert sum(parts) == total and all(p >= 0 for p in parts)
    assert sum(weights) <= money.planned_sessions(FIRST, LAST, 3, TERMS)  # never more than the sessions held
    if any(weights):
        for part, weight in zip(parts, weights, strict=True):
            assert abs(part - total * weight / sum(weights)) < 1  # each share is its exact part, to the penny
    for i, (a, b) in enumerate(found):  # pupils in the group over the same days pay the same, give or take a penny
        for j, (c, d) in enumerate(found):
            if (a, b) == (c, d):
                assert abs(parts[i] - parts[j]) <= 1


def test_parts_of_a_week_are_not_each_rounded_up_to_a_whole_session():
    # Three sessions a week: a pupil in for Monday only and another for Tuesday only were each 1 session when each
    # day was rounded, 2 between them for 2 days of a 3-a-week group; each is 3/5 of a session.
    monday, tuesday = FIRST, FIRST + dt.timedelta(days=1)
    weights = spell_weights([(monday, monday), (tuesday, tuesday)], FIRST, LAST, 3, TERMS)
    assert weights == [Fraction(3, 5), Fraction(3, 5)]


@given(st.integers(1, 6), st.integers(0, 10**7))
def test_a_whole_group_in_for_the_whole_provision_shares_its_cost_as_before(size, total):
    weights = spell_weights([(FIRST, LAST)] * size, FIRST, LAST, 3, TERMS)
    assert set(weights) == {Fraction(45, size)}
    assert shares_by_weight(total, weights) == money.shares(total, size)


def test_a_new_pupil_in_an_ongoing_group_is_costed_from_the_day_they_join(world, term_group):
    dev = put_on_register(PupilFactory(school=world.school, class_group=world.class_3a, surname="Ashdown", forename="Dev"), "K", "MLD")
    provision_pupils_set(provision=term_group, pupils=[world.pupil_support, world.pupil_ehc, dev], today=dt.date(2026, 11, 16))
    assert Enrolment.objects.get(provision=term_group, pupil=dev).joined_on == dt.date(2026, 11, 16)
    rows = {r.pupil.surname: r for r in provision_map(world.school, on=dt.date(2026, 11, 23)).rows}
    # 10 weeks shared by two (15 sessions each), then 5 weeks by three (5 each): 20 + 20 + 5 of 45 sessions; the two
    # spare pence go to the first in surname order (Ashdown, Marchbanks), as for any group
    assert [rows[n].total_pence for n in ("Quillfeather", "Marchbanks", "Ashdown")] == [10266, 10267, 2567]
    assert sum(r.total_pence for r in rows.values()) == 23100


def test_a_pupil_the_form_did_not_show_stays_in_the_group(world, group):
    # Someone who cannot see Ada saves the group with Ben ticked: Ada's enrolment is left as it is.
    provision_pupils_set(provision=group, pupils=[world.pupil_ehc], today=TODAY, offered=type(world.pupil_ehc).objects.filter(pk=world.pupil_ehc.pk))
    assert Enrolment.objects.get(provision=group, pupil=world.pupil_support).left_on is None
