"""A pupil recorded as E (EHC plan) with no EHC plan record has no statutory dates at all, so they are flagged on the
SENCo's overview, the statutory deadlines pages of the school, trust and LA, and the daily digest."""

import datetime as dt
import json

import pytest
from django.core import mail
from django.core.management import call_command

from sencohub.ehcp.digest import send_digests
from sencohub.ehcp.models import AssessmentRequest, EhcPlan
from sencohub.ehcp.selectors import PLAN_NOT_RECORDED
from tests.factories import PupilFactory, put_on_register


@pytest.fixture
def unrecorded(world):
    """Eve is recorded as E in Alder Primary, with the request to the school's LA recorded but no plan."""
    eve = put_on_register(PupilFactory(school=world.school, class_group=world.class_4b, surname="Fairweather", forename="Eve"), "E", "SLCN")
    la = EhcPlan.objects.get(pupil=world.pupil_ehc).local_authority
    AssessmentRequest.objects.create(pupil=eve, school=world.school, local_authority=la, received_on=dt.date(2025, 1, 13))
    return eve


def test_the_senco_overview_flags_a_pupil_recorded_as_e_without_a_plan(client, world, unrecorded):
    client.force_login(world.people["senco"])
    page = client.get(f"/schools/{world.school.urn}/overview/").content.decode()
    assert PLAN_NOT_RECORDED in page and "Eve Fairweather" in page
    assert f"/schools/{world.school.urn}/pupils/{unrecorded.upn}/ehc/" in page
    assert "Ben Marchbanks" not in page.split(PLAN_NOT_RECORDED)[1]  # Ben's plan is recorded


@pytest.mark.parametrize("persona, url", [
    ("senco", "/schools/100001/compliance/"),
    ("trust_send_lead", "/compliance/"),
    ("la_officer", "/compliance/"),
])  # fmt: skip
def test_the_deadlines_pages_of_the_school_trust_and_la_flag_it(client, world, unrecorded, persona, url):
    client.force_login(world.people[persona])
    page = client.get(url).content.decode()
    assert "EHC plan not recorded: annual review date unknown for 1 pupil" in page and "Eve Fairweather" in page


def test_a_plan_that_has_ceased_while_the_pupil_is_still_recorded_as_e_is_flagged_too(client, world):
    EhcPlan.objects.filter(pupil=world.pupil_ehc).update(ceased_on=dt.date(2026, 7, 20))
    client.force_login(world.people["senco"])
    page = client.get(f"/schools/{world.school.urn}/compliance/").content.decode()
    assert PLAN_NOT_RECORDED in page and "Ben Marchbanks" in page


def test_no_flag_when_every_pupil_recorded_as_e_has_a_plan(client, world):
    client.force_login(world.people["senco"])
    assert PLAN_NOT_RECORDED not in client.get(f"/schools/{world.school.urn}/compliance/").content.decode()
    assert PLAN_NOT_RECORDED not in client.get(f"/schools/{world.school.urn}/overview/").content.decode()


def test_an_la_officer_from_another_authority_is_not_told(client, world, unrecorded):
    AssessmentRequest.objects.filter(pupil=unrecorded).delete()  # now no LA's case: only the school sees Eve
    client.force_login(world.people["la_officer"])
    assert "Eve Fairweather" not in client.get("/compliance/").content.decode()


def test_the_daily_digest_names_it_even_when_nothing_else_is_due(world, unrecorded):
    EhcPlan.objects.filter(pupil=world.pupil_ehc).update(issued_on=dt.date(2026, 9, 1))  # Ben's dates are a year off
    sent = {s.email: s for s in send_digests(dt.date(2026, 11, 23))}
    assert sent["senco@alder.test"].not_recorded == 1 and sent["officer@bristol.test"].not_recorded == 1
    message = next(m for m in mail.outbox if m.to == ["senco@alder.test"])
    assert f"{PLAN_NOT_RECORDED} – E.F., Alder Primary" in message.body and "Fairweather" not in message.body
    assert f"/schools/{world.school.urn}/pupils/{unrecorded.upn}/ehc/" in message.body
    assert "1 EHC plan not recorded" in message.subject


def test_send_digests_reports_the_plans_not_recorded_as_json(world, unrecorded, capsys):
    call_command("send-digests", "--date", "2026-11-23", "--json")
    data = json.loads(capsys.readouterr().out)
    assert {"email": "senco@alder.test", "pupils": 1} in data["plans_not_recorded"]
