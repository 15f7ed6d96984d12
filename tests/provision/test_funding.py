"""The provision map funds provision the way schools are funded (STATUTORY.md section 7): at most £6,000 of a pupil's
additional support counts against the notional SEN budget (element 2), the rest is top-up (element 3) shown apart,
and universal (wave 1) provision counts against neither."""

import datetime as dt
import json

import pytest
from django.utils import timezone

from sencohub.provision.catalogue import catalogue_seed
from sencohub.provision.costing import provision_map
from sencohub.provision.models import Intervention, PayBand, Provision, SenBudget
from sencohub.schools.models import Term
from sencohub.statutory.school_year import school_year_start
from tests.reauth import sign_in_confirmed

# The pages show the school year we are in, so the provision runs in this one: from the Monday on or after
# 7 September for 15 weeks to a Friday (as 7 September to 18 December 2026), whatever year the suite runs in.
YEAR_START = school_year_start(timezone.localdate())
START = YEAR_START + dt.timedelta(days=6 + (7 - (YEAR_START + dt.timedelta(days=6)).weekday()) % 7)
END = START + dt.timedelta(days=102)
ON = START + dt.timedelta(days=77)


@pytest.fixture
def funded(world):
    Term.objects.create(school=world.school, name="Autumn term", starts_on=START, ends_on=END)
    catalogue_seed(world.school)
    ta = PayBand.objects.create(school=world.school, name="Teaching assistant", hourly_pence=1540)
    intervention = Intervention.objects.get(school=world.school, name="Reading fluency")

    def provision(name, wave, sessions, minutes, pupils, other=0):
        p = Provision.objects.create(
            school=world.school, intervention=intervention, name=name, wave=wave, staff="Mrs Patel", pay_band=ta,
            starts_on=START, ends_on=END, sessions_per_week=sessions, minutes=minutes,
            other_costs_pence=other,
        )  # fmt: skip
        p.pupils.set(pupils)

    # 45 sessions of 20 minutes = 15 hours at £15.40 = £231.00, plus £10.01: £241.01 over 3 (£80.34, £80.34, £80.33)
    provision("Reading group", 2, 3, 20, [world.pupil_support, world.pupil_ehc, world.pupil_none], other=1001)
    # 75 sessions of 5.5 hours = 412.5 hours at £15.40 = £6,352.50 for Ben alone
    provision("1:1 for Ben", 3, 5, 330, [world.pupil_ehc])
    # Wave 1, universal: 75 sessions of 10 minutes = 12.5 hours at £15.40 = £192.50; not additional support
    provision("Visualiser in class", 1, 5, 10, [world.pupil_support])
    SenBudget.objects.create(school=world.school, year_start=YEAR_START, notional_pence=1_000_000)
    return world


def test_each_pupil_counts_for_at_most_6000_and_the_rest_is_top_up(funded):
    rows = {r.pupil.surname: r for r in provision_map(funded.school, on=ON).rows}
    ben = rows["Marchbanks"]  # £6,352.50 + £80.34 = £6,432.84 of additional support
    assert ben.additional_pence == 643_284
    assert (ben.funding.element2_pence, ben.funding.top_up_pence) == (600_000, 43_284)
    amy = rows["Quillfeather"]  # £80.34 of additional support; the visualiser is universal
    assert (amy.total_pence, amy.additional_pence, amy.universal_pence) == (8034 + 19_250, 8034, 19_250)
    assert (amy.funding.element2_pence, amy.funding.top_up_pence) == (8034, 0)
    pmap = provision_map(funded.school, on=ON)
    assert pmap.element2_pence == 600_000 + 8034 + 8033
    assert pmap.top_up_pence == 43_284 and pmap.universal_pence == 19_250
    assert pmap.element2_pence + pmap.top_up_pence + pmap.universal_pence == pmap.total_pence


def test_the_page_compares_element_2_with_the_budget_and_shows_top_up_apart(client, funded):
    client.force_login(funded.people["senco"])
    page = client.get(f"/schools/{funded.school.urn}/provision/").content.decode()
    # Counting everything, the map costs £6,786.01 (68% of the £10,000 budget); element 2 is £6,160.67 (62%).
    assert "£6,160.67 of £10,000.00 (62%)" in page
    assert "£432.84 for 1 pupil" in page
    assert "Universal (wave 1), not counted" in page and "£192.50" in page
    assert "more than the budget" not in page


def test_the_downloads_say_how_each_pupil_is_funded(client, funded):
    sign_in_confirmed(client, funded.people["senco"])
    data = {r["upn"]: r for r in json.loads(client.get(f"/schools/{funded.school.urn}/provision/map.json").content)}
    ben = data[funded.pupil_ehc.upn]
    assert (ben["element2_pence"], ben["top_up_pence"], ben["universal_pence"]) == (600_000, 43_284, 0)
    assert sum(ben["by_term_pence"].values()) == ben["total_cost_pence"]
    csv_text = client.get(f"/schools/{funded.school.urn}/provision/map.csv").content.decode()
    assert "Pupil's element 2 (pence)" in csv_text.splitlines()[0]
    visualiser = next(line for line in csv_text.splitlines() if "Visualiser in class" in line)
    assert ",N,8034,0" in visualiser


def test_term_costs_add_up_to_the_year_for_every_pupil_across_three_terms(world):
    # Three terms, a group whose pupils join and leave at odd times, hours and costs that do not divide: each
    # pupil's term costs add up to the year's cost on the map, to the penny.
    from sencohub.provision.models import Enrolment

    for name, start, end in (("Autumn 2026", (2026, 9, 3), (2026, 12, 18)), ("Spring 2027", (2027, 1, 5), (2027, 3, 26)),
                             ("Summer 2027", (2027, 4, 12), (2027, 7, 21))):  # fmt: skip
        Term.objects.create(school=world.school, name=name, starts_on=dt.date(*start), ends_on=dt.date(*end))
    catalogue_seed(world.school)
    band = PayBand.objects.create(school=world.school, name="HLTA", hourly_pence=1437)
    group = Provision.objects.create(
        school=world.school, intervention=Intervention.objects.get(school=world.school, name="Reading fluency"),
        name="Reading group", staff="Mr Okoye", pay_band=band, starts_on=dt.date(2026, 9, 3), ends_on=dt.date(2027, 7, 21),
        sessions_per_week=3, minutes=25, other_costs_pence=4711,
    )  # fmt: skip
    for pupil, joined, left in ((world.pupil_support, (2026, 9, 3), None), (world.pupil_ehc, (2026, 10, 14), (2027, 2, 13)),
                                (world.pupil_none, (2027, 1, 19), None)):  # fmt: skip
        Enrolment.objects.create(provision=group, pupil=pupil, joined_on=dt.date(*joined), left_on=left and dt.date(*left))
    rows = provision_map(world.school, on=dt.date(2026, 11, 23)).rows
    assert len(rows) == 3
    for row in rows:
        assert sum(row.by_term.values()) == row.total_pence, row.pupil.surname
