"""The provision map: catalogue, pay bands, provisions, costs per pupil and the £6,000 threshold."""

import datetime as dt
import json

import pytest
from django.core.management import call_command
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from sencohub.provision.catalogue import catalogue_seed
from sencohub.provision.costing import provision_map
from sencohub.provision.models import Intervention, PayBand, Provision
from sencohub.schools.models import Term
from sencohub.statutory.school_year import school_year
from tests.reauth import sign_in_confirmed

ON = dt.date(2026, 11, 23)


@pytest.fixture
def mapped(world):
    Term.objects.create(school=world.school, name="Autumn 2026", starts_on=dt.date(2026, 9, 7), ends_on=dt.date(2026, 12, 18))
    catalogue_seed(world.school)
    ta = PayBand.objects.create(school=world.school, name="Teaching assistant", hourly_pence=1540)
    reading = Provision.objects.create(
        school=world.school, intervention=Intervention.objects.get(school=world.school, name="Reading fluency"),
        name="Reading group", staff="Mrs Patel", pay_band=ta, starts_on=dt.date(2026, 9, 7), ends_on=dt.date(2026, 12, 18),
        sessions_per_week=3, minutes=20, other_costs_pence=1001,
    )  # fmt: skip
    reading.pupils.set([world.pupil_support, world.pupil_ehc, world.pupil_none])
    one_to_one = Provision.objects.create(
        school=world.school, intervention=Intervention.objects.get(school=world.school, name="Precision teaching"),
        name="1:1 for Ben", staff="Mr Okoye", pay_band=ta, starts_on=dt.date(2026, 9, 7), ends_on=dt.date(2026, 12, 18),
        sessions_per_week=5, minutes=330,
    )  # fmt: skip
    one_to_one.pupils.set([world.pupil_ehc])
    return world


def test_costs_come_from_sessions_hours_and_the_group(mapped):
    pmap = provision_map(mapped.school, on=ON)
    rows = {r.pupil.surname: r for r in pmap.rows}
    # 15 weeks of term x 3 sessions = 45 sessions of 20 minutes = 15 hours at £15.40 = £231.00, plus £10.01; shared by 3
    reading = {r.pupil.surname: next(p for p in r.provisions if p.provision.name == "Reading group") for r in pmap.rows}
    assert {p.sessions for p in reading.values()} == {45} and {p.hours for p in reading.values()} == {15}
    assert sorted(p.cost_pence for p in reading.values()) == [8033, 8034, 8034]  # 24101p shared: the first pupils take the spare pence
    assert sum(p.cost_pence for p in reading.values()) == 23100 + 1001
    # 75 sessions of 5.5 hours = 412.5 hours at £15.40 = £6,352.50: above £6,000
    assert rows["Marchbanks"].total_pence == 635250 + reading["Marchbanks"].cost_pence
    assert rows["Marchbanks"].above_threshold_pence == rows["Marchbanks"].total_pence - 600000
    assert [r.pupil.surname for r in pmap.above_threshold] == ["Marchbanks"]
    assert pmap.total_pence == sum(r.total_pence for r in pmap.rows)


def test_the_school_year_runs_september_to_august():
    assert school_year(dt.date(2026, 11, 23)) == (dt.date(2026, 9, 1), dt.date(2027, 8, 31))
    assert school_year(dt.date(2027, 3, 1)) == (dt.date(2026, 9, 1), dt.date(2027, 8, 31))


def test_the_map_page_and_downloads(client, mapped):
    sign_in_confirmed(client, mapped.people["senco"])
    page = client.get(f"/schools/{mapped.school.urn}/provision/").content.decode()
    assert "Provision map" in page and "Ben Marchbanks" in page
    if timezone.localdate() <= dt.date(2027, 8, 31):  # the map shows the school year we are in
        assert "above £6,000.00" in page
    assert client.get(f"/schools/{mapped.school.urn}/provision/map.xlsx").content[:2] == b"PK"
    assert client.get(f"/schools/{mapped.school.urn}/provision/map.pdf").content[:5] == b"%PDF-"
    data = json.loads(client.get(f"/schools/{mapped.school.urn}/provision/map.json").content)
    assert all({"upn", "total_cost_pence", "provisions"} <= set(row) for row in data)


def test_teachers_and_governors_do_not_see_the_costs(client, mapped):
    for persona in ("teacher", "governor", "parent"):
        client.force_login(mapped.people[persona])
        assert client.get(f"/schools/{mapped.school.urn}/provision/").status_code == 404


def test_the_senco_adds_a_provision_with_its_pupils(client, mapped):
    client.force_login(mapped.people["senco"])
    band = PayBand.objects.get(school=mapped.school)
    intervention = Intervention.objects.get(school=mapped.school, name="Phonics catch-up")
    response = client.post(f"/schools/{mapped.school.urn}/provision/groups/new/", {
        "intervention": intervention.pk, "name": "Phonics group", "wave": 2, "staff": "Ms Byrne", "pay_band": band.pk,
        "starts_on": "2026-09-07", "ends_on": "2026-12-18", "days_of_week": ["0", "1", "2", "3", "4"], "minutes": 15, "other_costs_pounds": "12.50",
        "pupils": [mapped.pupil_support.pk],
    })  # fmt: skip
    assert response.status_code == 302
    provision = Provision.objects.get(name="Phonics group")
    assert provision.other_costs_pence == 1250 and list(provision.pupils.all()) == [mapped.pupil_support]
    assert provision.days == "01234" and provision.sessions_per_week == 5  # five days ticked: five sessions a week
    backwards = client.post(f"/schools/{mapped.school.urn}/provision/groups/new/", {
        "intervention": intervention.pk, "name": "Odd", "wave": 2, "staff": "X", "pay_band": band.pk,
        "starts_on": "2026-12-07", "ends_on": "2026-09-18", "sessions_per_week": 5, "minutes": 15})  # fmt: skip
    assert "cannot end before it starts" in backwards.content.decode()


def test_the_catalogue_starts_with_common_interventions(client, world):
    client.force_login(world.people["senco"])
    client.post(f"/schools/{world.school.urn}/provision/catalogue/", {"seed": "1"})
    page = client.get(f"/schools/{world.school.urn}/provision/catalogue/").content.decode()
    assert "Phonics catch-up" in page and "EEF Toolkit: phonics" in page and "Sensory circuits" in page
    assert catalogue_seed(world.school) == 0  # seeding twice adds nothing


def test_export_provision_map_command(mapped, capsys, tmp_path):
    call_command("export", "provision-map", "--school", mapped.school.urn, "--format", "json")
    data = json.loads(capsys.readouterr().out)
    for row in data:
        assert row["total_cost_pence"] == sum(p["cost_pence"] for p in row["provisions"])
        for p in row["provisions"]:
            assert {"hours", "group_size", "hourly_cost_pence", "other_costs_pence", "cost_pence"} <= set(p)
    out = tmp_path / "map.xlsx"
    call_command("export", "provision-map", "--school", mapped.school.urn, "--format", "xlsx", "--out", str(out))
    assert out.read_bytes()[:2] == b"PK"


def test_a_teaching_assistant_takes_a_register(client, mapped):
    from sencohub.provision.models import Attendance, Session

    reading = Provision.objects.get(name="Reading group")
    reading.starts_on, reading.ends_on = timezone.localdate() - dt.timedelta(days=30), timezone.localdate() + dt.timedelta(days=30)
    reading.save()
    client.force_login(mapped.people["teaching_assistant"])  # class 4B: Ben Marchbanks only
    page = client.get(f"/schools/{mapped.school.urn}/sessions/").content.decode()
    assert "Reading group" in page
    url = f"/schools/{mapped.school.urn}/sessions/{reading.pk}/register/"
    form = client.get(url).content.decode()
    assert "Ben Marchbanks" in form and "Quillfeather" not in form  # only the pupils they work with
    ben = mapped.pupil_ehc
    response = client.post(url, {"held_on": timezone.localdate().isoformat(), f"p{ben.pk}": "on", "note": ""})
    assert response.status_code == 302
    session = Session.objects.get(provision=reading)
    assert Attendance.objects.get(session=session, pupil=ben).present and session.taken_by == mapped.people["teaching_assistant"]
    client.post(url, {"held_on": timezone.localdate().isoformat(), "note": "Ben at the dentist"})  # the same day again: corrected
    assert not Attendance.objects.get(session=session, pupil=ben).present and Session.objects.count() == 1
    future = client.post(url, {"held_on": (timezone.localdate() + dt.timedelta(days=1)).isoformat()}).content.decode()
    assert "not before" in future
    client.force_login(mapped.people["senco"])
    listing = client.get(f"/schools/{mapped.school.urn}/provision/groups/").content.decode()
    assert "attendance 0%" in listing


def test_registers_are_not_for_governors_or_parents(client, mapped):
    for persona in ("governor", "parent"):
        client.force_login(mapped.people[persona])
        assert client.get(f"/schools/{mapped.school.urn}/sessions/").status_code == 404


def test_measures_and_the_impact_page(client, mapped):
    from sencohub.provision.models import Enrolment

    client.force_login(mapped.people["senco"])
    reading = Provision.objects.get(name="Reading group")
    enrolments = list(Enrolment.objects.filter(provision=reading).order_by("pupil__surname"))
    data = {"form-TOTAL_FORMS": 3, "form-INITIAL_FORMS": 3, "form-MIN_NUM_FORMS": 0, "form-MAX_NUM_FORMS": 1000}
    for i, (e, (entry, exit_)) in enumerate(zip(enrolments, [(85, 92), (90, 96), (95, 101)], strict=True)):
        data |= {f"form-{i}-id": e.pk, f"form-{i}-measure": "standardised", f"form-{i}-entry_value": entry,
                 f"form-{i}-entry_on": "2026-09-07", f"form-{i}-exit_value": exit_, f"form-{i}-exit_on": "2026-12-14"}  # fmt: skip
    response = client.post(f"/schools/{mapped.school.urn}/provision/groups/{reading.pk}/measures/", data)
    assert response.status_code == 302
    page = client.get(f"/schools/{mapped.school.urn}/provision/impact/").content.decode()
    assert "Reading fluency" in page and "Standardised score" in page
    assert "6.3" in page  # average change: (7 + 6 + 6) / 3
    assert "1.33" in page  # effect size of the worked example in test_impact
    backwards = data | {"form-0-exit_on": "2026-09-01"}
    assert "cannot be before the entry" in client.post(f"/schools/{mapped.school.urn}/provision/groups/{reading.pk}/measures/", backwards).content.decode()


def test_the_notional_budget_against_committed_spend(client, mapped):
    client.force_login(mapped.people["senco"])
    url = f"/schools/{mapped.school.urn}/provision/"
    assert "No notional SEN budget recorded" in client.get(url).content.decode()
    client.post(url + "budget/", {"notional_pounds": "5,000"})
    page = client.get(url).content.decode()
    assert "notional SEN budget is £5,000.00" in page
    if timezone.localdate() <= dt.date(2027, 8, 31):
        assert "more than the budget" in page
    bad = client.post(url + "budget/", {"notional_pounds": "lots"}, follow=True).content.decode()
    assert "Enter the notional SEN budget in pounds" in bad


def test_a_support_plan_chooses_its_provision_from_the_map_and_its_review_shows_delivery(client, mapped):
    from sencohub.provision.models import Attendance, Enrolment, Session
    from sencohub.support.services import plan_start

    reading = Provision.objects.get(name="Reading group")
    session = Session.objects.create(provision=reading, held_on=dt.date(2026, 9, 8))
    Attendance.objects.create(session=session, pupil=mapped.pupil_support, present=True)
    Enrolment.objects.filter(provision=reading, pupil=mapped.pupil_support).update(measure="standardised", entry_value=85, exit_value=92)
    plan = plan_start(pupil=mapped.pupil_support, today=ON)
    client.force_login(mapped.people["senco"])
    edit_url = f"/schools/{mapped.school.urn}/pupils/{mapped.pupil_support.upn}/support/{plan.pk}/edit/"
    assert "Reading group" in client.get(edit_url).content.decode()
    data = {
        "version": plan.version, "starts_on": plan.starts_on.isoformat(), "review_on": plan.review_on.isoformat(), "assessment": "",
        "outcomes-TOTAL_FORMS": 0, "outcomes-INITIAL_FORMS": 0, "strategies-TOTAL_FORMS": 0, "strategies-INITIAL_FORMS": 0,
        "provisions-TOTAL_FORMS": 1, "provisions-INITIAL_FORMS": 0, "provisions-0-provision": reading.pk,
    }  # fmt: skip
    assert client.post(edit_url, data).status_code == 302
    planned = plan.provisions.get()
    assert planned.description == "Reading group" and planned.sessions_per_week == 3 and planned.provision == reading
    review = client.get(f"/schools/{mapped.school.urn}/pupils/{mapped.pupil_support.upn}/support/{plan.pk}/review/").content.decode()
    assert "attended 1 of 1 sessions" in review and "85 on entry, 92 on exit" in review


def test_clashes_are_flagged(client, mapped):
    import datetime as dt_

    reading = Provision.objects.get(name="Reading group")
    reading.days, reading.starts_at = "024", dt_.time(9, 10)
    reading.save()
    other = Provision.objects.get(name="1:1 for Ben")
    other.days, other.starts_at, other.staff = "2", dt_.time(9, 20), "Mrs Patel"
    other.save()
    client.force_login(mapped.people["senco"])
    page = client.get(f"/schools/{mapped.school.urn}/provision/groups/").content.decode()
    assert "Mrs Patel is down for" in page and "on Wednesday at 09:10" in page
    assert "Ben Marchbanks is in" in page
    assert "every week for more than 6 weeks" in page


def test_no_clash_when_times_do_not_overlap():
    import datetime as dt_
    from types import SimpleNamespace

    from sencohub.provision.clashes import find_clashes

    def p(name, start, staff="A"):
        return SimpleNamespace(name=name, staff=staff, days="0", starts_at=start, minutes=20,
                               starts_on=dt_.date(2026, 9, 7), ends_on=dt_.date(2026, 9, 30))  # fmt: skip

    assert find_clashes([p("a", dt_.time(9, 0)), p("b", dt_.time(9, 20))], lambda x: []) == []
    assert [c.kind for c in find_clashes([p("a", dt_.time(9, 0)), p("b", dt_.time(9, 19))], lambda x: [])] == ["staff"]


def test_term_totals_for_the_school(mapped):
    # Autumn 2026 holds both provisions: 45 reading sessions (15 hours, £231, plus £10.01) and 75 of 5.5 hours (£6,352.50)
    assert provision_map(mapped.school, on=ON).term_totals() == [("Autumn 2026", 23100 + 1001 + 635250)]


def test_each_pupils_cost_by_term(mapped):
    rows = {r.pupil.surname: r for r in provision_map(mapped.school, on=ON).rows}
    # One term holds everything: the reading group (£231.00 + £10.01, over 3) and Ben's 1:1 (£6,352.50)
    assert sum(r.by_term["Autumn 2026"] for r in rows.values()) == 23100 + 1001 + 635250
    assert rows["Marchbanks"].by_term["Autumn 2026"] == rows["Marchbanks"].total_pence


@given(st.integers(0, 10**7), st.lists(st.integers(0, 200), min_size=1, max_size=6))
def test_apportioning_adds_up_to_the_penny(total, weights):
    from sencohub.statutory.money import apportion

    parts = apportion(total, weights)
    assert sum(parts) == total and len(parts) == len(weights)
    if sum(weights):
        assert all(abs(p - total * w / sum(weights)) < 1 for p, w in zip(parts, weights, strict=True))
