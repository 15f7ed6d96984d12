"""Provision timing entered once: the days ticked give the sessions a week, notes about timing cannot give days,
times or lengths, and a provision recorded before days were asked for keeps its figure and its costs."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from sencohub.provision import services
from sencohub.provision.catalogue import catalogue_seed
from sencohub.provision.clashes import clash_summary, find_clashes
from sencohub.provision.costing import provision_map
from sencohub.provision.forms import NO_DAYS, NO_MINUTES, NOTES_GIVE_TIMING, ProvisionForm
from sencohub.provision.impact import impact
from sencohub.provision.models import Intervention, PayBand, Provision
from sencohub.provision.reporting import ImpactRow, by_scale
from sencohub.schools.models import Term

ON = dt.date(2026, 11, 23)


def test_the_sessions_a_week_are_the_days_ticked():
    assert services.sessions_a_week("024") == 3
    assert services.sessions_a_week("01234") == 5
    assert services.sessions_a_week("2", 1) == 1
    assert services.sessions_a_week("", 4) == 4  # days not known: the figure given is kept
    with pytest.raises(ValidationError):
        services.sessions_a_week("024", 5)  # a figure the days contradict
    with pytest.raises(ValidationError):
        services.sessions_a_week("")


@given(st.sets(st.integers(0, 4), min_size=1))
def test_any_days_give_one_session_each(days):
    text = "".join(str(d) for d in sorted(days))
    assert services.sessions_a_week(text) == len(days)
    assert services.sessions_a_week(text, len(days)) == len(days)


@pytest.fixture
def school_with_groups(world):
    """Autumn 2026, 15 weeks. A group with days (Monday, Wednesday, Friday), and two recorded before days were asked
    for: one with a figure and no days, one whose figure (5) disagrees with its days (2)."""
    Term.objects.create(school=world.school, name="Autumn 2026", starts_on=dt.date(2026, 9, 7), ends_on=dt.date(2026, 12, 18))
    catalogue_seed(world.school)
    band = PayBand.objects.create(school=world.school, name="Teaching assistant", hourly_pence=1540)
    fluency = Intervention.objects.get(school=world.school, name="Reading fluency")
    common = dict(school=world.school, intervention=fluency, staff="Mrs Patel", pay_band=band,
                  starts_on=dt.date(2026, 9, 7), ends_on=dt.date(2026, 12, 18), minutes=20)  # fmt: skip
    with_days = Provision.objects.create(name="With days", days="024", sessions_per_week=3, when="In the library", **common)
    no_days = Provision.objects.create(name="No days", sessions_per_week=4, when="Mon-Thu after lunch", **common)
    disagreeing = Provision.objects.create(name="Disagreeing", days="13", sessions_per_week=5, **common)
    for group in (with_days, no_days, disagreeing):
        group.pupils.set([world.pupil_support])
    return world


def _form_data(provision, **changes):
    data = {
        "intervention": provision.intervention_id, "name": provision.name, "wave": provision.wave, "staff": provision.staff,
        "pay_band": provision.pay_band_id, "days_of_week": list(provision.days), "starts_on": provision.starts_on.isoformat(),
        "ends_on": provision.ends_on.isoformat(), "minutes": provision.minutes, "when": provision.when,
        "pupils": [p.pk for p in provision.pupils.all()],
    }  # fmt: skip
    return data | changes


def _costs(world):
    return {(r.pupil.pk, p.provision.name): p.cost_pence for r in provision_map(world.school, on=ON).rows for p in r.provisions}


def test_saving_each_provision_unchanged_keeps_its_sessions_and_its_costs(client, school_with_groups):
    world = school_with_groups
    client.force_login(world.people["senco"])
    before = _costs(world)
    # 15 weeks x 4 sessions of 20 minutes = 20 hours at £15.40: the figure without days still costs the group
    assert before[(world.pupil_support.pk, "No days")] == 30800
    assert before[(world.pupil_support.pk, "Disagreeing")] == 15 * 5 * 20 * 1540 // 60
    for provision in Provision.objects.all():
        response = client.post(f"/schools/{world.school.urn}/provision/groups/{provision.pk}/", _form_data(provision))
        assert response.status_code == 302, response.content.decode()
    assert dict(Provision.objects.values_list("name", "sessions_per_week")) == {"With days": 3, "No days": 4, "Disagreeing": 5}
    assert Provision.objects.get(name="No days").when == "Mon-Thu after lunch"  # old text kept as notes
    assert _costs(world) == before


def test_ticking_days_sets_the_sessions_a_week(client, school_with_groups):
    world = school_with_groups
    client.force_login(world.people["senco"])
    for name, days in (("No days", ["0", "1", "3"]), ("Disagreeing", ["1", "3", "4"]), ("With days", ["0", "1", "2", "3"])):
        provision = Provision.objects.get(name=name)
        response = client.post(f"/schools/{world.school.urn}/provision/groups/{provision.pk}/", _form_data(provision, days_of_week=days))
        assert response.status_code == 302
        provision.refresh_from_db()
        assert provision.days == "".join(days) and provision.sessions_per_week == len(days)


def test_a_provision_with_days_needs_days_and_minutes(client, school_with_groups):
    world = school_with_groups
    client.force_login(world.people["senco"])
    provision = Provision.objects.get(name="With days")
    page = client.post(f"/schools/{world.school.urn}/provision/groups/{provision.pk}/",
                       _form_data(provision, days_of_week=[], minutes="")).content.decode()  # fmt: skip
    assert NO_DAYS in page and NO_MINUTES in page and "This field is required" not in page
    provision.refresh_from_db()
    assert provision.days == "024"
    new = client.post(f"/schools/{world.school.urn}/provision/groups/new/", _form_data(provision, name="New group", days_of_week=[]))
    assert NO_DAYS in new.content.decode() and not Provision.objects.filter(name="New group").exists()
    blank = client.get(f"/schools/{world.school.urn}/provision/groups/new/").content.decode()
    assert "Sessions a week" not in blank and "Notes about timing (optional)" in blank


@pytest.mark.parametrize("notes", ["Mon, Wed, Fri", "9:10-9:30", "20 mins", "three sessions, 3 times a week", "Tuesdays", "at 2pm", "twice a week"])
def test_notes_about_timing_cannot_give_days_times_or_lengths(client, school_with_groups, notes):
    world = school_with_groups
    client.force_login(world.people["senco"])
    provision = Provision.objects.get(name="With days")
    page = client.post(f"/schools/{world.school.urn}/provision/groups/{provision.pk}/", _form_data(provision, when=notes))
    assert NOTES_GIVE_TIMING.replace("'", "&#x27;") in page.content.decode()
    provision.refresh_from_db()
    assert provision.when == "In the library"


@pytest.mark.parametrize("notes", ["In the library", "Week A only", "Room 12; bring reading records", "Monitor progress"])
def test_notes_that_say_something_else_are_kept(world, notes):
    form = ProvisionForm(data={"when": notes}, school=world.school, user=world.people["senco"])
    form.is_valid()
    assert "when" not in form.errors


def _at(name, days, start, staff="Mrs Patel", weeks=2):
    return SimpleNamespace(name=name, staff=staff, days=days, starts_at=dt.time(*start), minutes=20,
                           starts_on=dt.date(2026, 9, 7), ends_on=dt.date(2026, 9, 7) + dt.timedelta(weeks=weeks))  # fmt: skip


def test_clashes_are_counted_by_kind():
    a, b, c = _at("Reading A", "02", (9, 0)), _at("Reading B", "0", (9, 10)), _at("Spelling", "2", (9, 5), staff="Mr Okoye", weeks=10)
    pupil = SimpleNamespace(pk=1, full_name="Ada Quillfeather")
    members = {"Reading A": [pupil], "Reading B": [pupil], "Spelling": [pupil]}
    found = find_clashes([a, b, c], lambda p: members[p.name])
    summary = clash_summary(found)
    assert [(k.kind, k.count, k.label) for k in summary] == [
        ("staff", 1, "1 staff clash"),
        ("pupil", 2, "2 pupil clashes"),
        ("same lesson", 1, "1 group missing the same lesson"),
    ]
    assert sum(k.count for k in summary) == len(found)
    assert clash_summary([]) == []


def _row(name, measure, pairs, months=None):
    return ImpactRow(name, measure, len(pairs), impact(pairs, months), None, None)


def test_impact_is_grouped_by_scale_each_still_ranked():
    rows = [
        _row("Phonics", "Reading age (months)", [(80, 86), (84, 90), (90, 99)], [3, 3, 3]),
        _row("Fluency", "Standardised score", [(85, 92), (90, 96), (95, 101)]),
        _row("Sensory circuits", "No measure chosen", []),
        _row("Maths", "Standardised score", [(85, 87), (90, 93), (95, 96)]),
    ]
    scales = by_scale(sorted(rows, key=lambda r: -(r.result.effect_size or -99)))
    assert [s.name for s in scales] == ["Standardised score", "Reading age (months)", "No measure chosen"]
    assert [r.intervention for r in scales[0].rows] == ["Fluency", "Maths"]
    assert [s.by_age for s in scales] == [False, True, False]
    assert scales[2].chart["bars"] == []


def test_the_impact_page_groups_by_scale_explains_effect_size_and_links_to_pay_bands(client, school_with_groups):
    world = school_with_groups
    client.force_login(world.people["senco"])
    page = client.get(f"/schools/{world.school.urn}/provision/impact/").content.decode()
    assert "No measure chosen" in page and "Effect size says how far" in page
    assert f'href="/schools/{world.school.urn}/provision/pay-bands/"' in page
