"""Odd input never breaks a page (issue 11, section 5): each promise with its own worked example.

The generic guards in test_guards.py throw odd input at everything; these say, case by case, what a person sees.
"""

import datetime as dt
import json

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from sencohub.ehcp.models import AnnualReview, EhcPlan
from sencohub.kernel.dates import EHC_PLAN_ISSUED, RECORD_DATES, DateWindow
from sencohub.provision.models import Intervention, PayBand, Provision
from sencohub.schools.models import Term
from sencohub.workforce.models import Appointment, TrainingSession
from tests.test_commands import timeline

HUGE = 2**63 + 7


def test_a_nul_byte_in_the_address_or_the_query_answers_400(client, world):
    client.force_login(world.people["senco"])
    register = f"/schools/{world.school.urn}/register/"
    assert client.get(register, {"need": "AS\x00D"}).status_code == 400
    assert client.get(f"/schools/{world.school.urn}\x00/register/").status_code == 400
    assert client.get(f"/api/v1/schools/{world.school.urn}/pupils", {"limit": "1\x00"}).status_code == 400
    assert client.get(register, {"need": "ASD"}).status_code == 200


def test_a_nul_byte_in_a_form_field_is_a_form_error_not_a_500(client, world):
    client.force_login(world.people["senco"])
    url = f"/schools/{world.school.urn}/terms/"
    response = client.post(url, {"add": "1", "name": "Autumn\x00", "starts_on": "2026-09-01\x00", "ends_on": "2026-12-18"})
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert not Term.objects.exists()


def test_a_nul_byte_in_an_api_field_is_refused_with_422(client, world):
    client.force_login(world.people["senco"])
    url = f"/api/v1/schools/{world.school.urn}/concerns"
    body = {"upn": world.pupil_support.upn, "what_seen": "Finds\x00 group work hard."}
    assert client.post(url, json.dumps(body), content_type="application/json").status_code == 422


def test_api_paging_limits_are_bounded(client, world):
    client.force_login(world.people["senco"])
    url = f"/api/v1/schools/{world.school.urn}/pupils"
    assert client.get(url, {"limit": 10**6}).status_code == 422
    assert client.get(url, {"offset": HUGE}).status_code == 422
    assert client.get(url, {"limit": 0}).status_code == 422
    page = client.get(url, {"limit": 1000, "offset": 1})
    assert page.status_code == 200 and page.json()["count"] == 3


def test_an_id_beyond_the_databases_range_gets_a_404(client, world):
    client.force_login(world.people["senco"])
    base = f"/schools/{world.school.urn}"
    assert client.get(f"{base}/provision/groups/{HUGE}/").status_code == 404
    assert client.get(f"{base}/senco/{HUGE}/qualifications/1/certificate").status_code == 404
    assert client.get(f"{base}/training/{HUGE}/").status_code == 404


def test_provision_and_training_forms_refuse_an_id_beyond_range_with_a_form_error(client, world):
    client.force_login(world.people["senco"])
    base = f"/schools/{world.school.urn}"
    session = TrainingSession.objects.create(school=world.school, topic="Autism in the classroom", held_on=dt.date(2026, 10, 1))
    response = client.post(f"{base}/training/{session.pk}/", {"topic": "Autism", "held_on": "2026-10-01", "minutes": "60",
                                                              "attendees": [str(world.people["teacher"].pk), str(HUGE)]})  # fmt: skip
    assert response.status_code == 200 and "is not a valid value" in response.content.decode()
    intervention = Intervention.objects.create(school=world.school, name="Reading catch-up", area="communication and interaction")
    band = PayBand.objects.create(school=world.school, name="TA", hourly_pence=1500)
    provision = Provision.objects.create(school=world.school, intervention=intervention, pay_band=band, name="Reading A",
                                         staff="TA", starts_on=dt.date(2026, 9, 7), ends_on=dt.date(2026, 12, 18),
                                         sessions_per_week=3, minutes=20)  # fmt: skip
    page = client.get(f"{base}/provision/groups/{provision.pk}/")
    assert page.status_code == 200
    response = client.post(f"{base}/provision/groups/{provision.pk}/", {"pupils": [str(HUGE)]})
    assert response.status_code == 200 and "is not a valid value" in response.content.decode()


def test_the_terms_page_answers_a_removal_of_no_term_with_a_form_error(client, world):
    client.force_login(world.people["senco"])
    url = f"/schools/{world.school.urn}/terms/"
    term = Term.objects.create(school=world.school, name="Autumn 2026", starts_on=dt.date(2026, 9, 1), ends_on=dt.date(2026, 12, 18))
    for odd in ("abc", str(HUGE), "²", ""):
        response = client.post(url, {"delete": odd})
        assert response.status_code == 200, odd
        assert "That term is not in the list any more" in response.content.decode()
    assert Term.objects.filter(pk=term.pk).exists()
    assert client.post(url, {"delete": str(term.pk)}).status_code == 302
    assert not Term.objects.exists()


# ---- Dates: one window for every date typed in ------------------------------------------------------------


def test_an_annual_review_dated_9999_is_refused_and_says_which_dates_are_allowed(client, world):
    client.force_login(world.people["senco"])
    plan = EhcPlan.objects.get(pupil=world.pupil_ehc)
    url = f"/schools/{world.school.urn}/pupils/{world.pupil_ehc.upn}/ehc/plans/{plan.pk}/reviews/new/"
    response = client.post(url, {"meeting_on": "9999-12-31"})
    assert response.status_code == 200
    lowest, highest = RECORD_DATES.bounds()
    assert f"Enter a date between {lowest:%-d %B %Y} and {highest:%-d %B %Y}." in response.content.decode()
    assert not AnnualReview.objects.exists()


def test_an_ehc_plan_cannot_be_issued_before_ehc_plans_existed(client, world):
    client.force_login(world.people["senco"])
    plan = EhcPlan.objects.get(pupil=world.pupil_ehc)
    url = f"/schools/{world.school.urn}/pupils/{world.pupil_ehc.upn}/ehc/plans/{plan.pk}/edit/"
    page = client.get(url)
    assert page.status_code == 200
    response = client.post(url, {"local_authority": str(plan.local_authority_id), "issued_on": "2013-06-01"})
    assert "Enter a date between 1 September 2014" in response.content.decode()
    plan.refresh_from_db()
    assert plan.issued_on == dt.date(2025, 3, 3)


@settings(max_examples=200, deadline=None)
@given(day=st.dates(), back=st.integers(0, 30), ahead=st.integers(0, 10))
def test_a_date_window_accepts_exactly_the_dates_between_its_bounds(day, back, ahead):
    window = DateWindow(years_back=back, years_ahead=ahead)
    lowest, highest = window.bounds()
    try:
        window(day)
    except ValidationError as refused:
        assert not lowest <= day <= highest
        assert refused.code == "date_out_of_window"
    else:
        assert lowest <= day <= highest


@settings(max_examples=50, deadline=None)
@given(day=st.dates(min_value=dt.date(2014, 9, 1), max_value=dt.date(2030, 12, 31)))
def test_every_plausible_date_of_a_plan_is_accepted_and_none_before_2014(day):
    today = timezone.localdate()
    if day <= today.replace(year=today.year + 1):
        EHC_PLAN_ISSUED(day)
    with pytest.raises(ValidationError):
        EHC_PLAN_ISSUED(dt.date(2014, 8, 31))


@pytest.mark.parametrize("args", [
    ["annual-review", "--plan-issued", "9999-12-31"],
    ["ehc-assessment", "--received", "9999-12-31"],
    ["phase-transfer", "--transfer", "9999-12-31", "--to", "school"],
    ["annual-review", "--last-review", "0001-01-01"],
])  # fmt: skip
def test_the_timeline_command_answers_an_impossible_year_with_a_message_and_exit_1(args):
    result = timeline(*args)
    assert result.returncode == 1
    assert "Enter a date between 1 January 1990" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_statutory_dates_page_answers_9999_with_a_message(client, world):
    client.force_login(world.people["senco"])
    response = client.get("/statutory-dates/annual-review/", {"calculate": "1", "plan_issued": "9999-12-31"})
    assert response.status_code == 200
    assert "Enter a date between 1 January 1990" in response.content.decode()


# ---- A SENCo whose appointment starts later ------------------------------------------------------------------


def test_a_senco_appointed_from_a_date_ahead_shows_as_starting_on_it_everywhere(client, world):
    starts = timezone.localdate() + dt.timedelta(days=40)
    Appointment.objects.create(school=world.school, name="Sam Senco", starts_on=starts)
    shown = f"Sam Senco, starts on {starts:%-d %b %Y}"
    for persona in ("trust_send_lead", "la_officer"):
        client.force_login(world.people[persona])
        page = client.get("/sencos/")
        assert page.status_code == 200, persona
        assert shown in page.content.decode(), persona
        for fmt in ("csv", "xlsx"):
            assert client.get(f"/sencos/export.{fmt}").status_code == 200
            assert client.get(f"/sencos/anonymised.{fmt}").status_code == 200
    client.force_login(world.people["senco"])
    page = client.get(f"/schools/{world.school.urn}/senco/").content.decode()
    assert f"Starts on {starts:%-d %B %Y}" in page
    assert client.get(f"/schools/{world.school.urn}/overview/").status_code == 200


def test_a_register_dated_1900_is_refused_with_the_window(client, world):
    from sencohub.provision.catalogue import catalogue_seed
    from sencohub.provision.models import Intervention, PayBand, Provision, Session

    catalogue_seed(world.school)
    band = PayBand.objects.create(school=world.school, name="Teaching assistant", hourly_pence=1540)
    today = dt.date.today()
    group = Provision.objects.create(
        school=world.school, intervention=Intervention.objects.filter(school=world.school).first(), name="Reading group",
        staff="Mrs Patel", pay_band=band, starts_on=today - dt.timedelta(days=30), ends_on=today + dt.timedelta(days=30),
        sessions_per_week=5, minutes=20, days="01234",
    )  # fmt: skip
    group.pupils.add(world.pupil_support)
    client.force_login(world.people["senco"])
    response = client.post(f"/schools/{world.school.urn}/sessions/{group.pk}/register/", {"held_on": "1900-01-01"})
    assert response.status_code == 200 and "Enter a date between" in response.content.decode()
    assert not Session.objects.exists()
